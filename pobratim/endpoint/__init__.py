"""pobratim's endpoint: SPARQL 1.1 Protocol, dumps and dereferenceable resources over one published build."""

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from pobratim import settings
from pobratim.endpoint import problems
from pobratim.endpoint.body_limit import BodyLimit
from pobratim.endpoint.header_limit import HeaderLimit
from pobratim.endpoint.page_model import translations, viewer_language
from pobratim.endpoint.problems import fail
from pobratim.endpoint.response_cache import ResponseCache
from pobratim.endpoint.routes.dumps import bp as dumps_bp
from pobratim.endpoint.routes.resources import bp as resources_bp
from pobratim.endpoint.routes.search import bp as search_bp
from pobratim.endpoint.routes.sparql import bp as sparql_bp
from pobratim.endpoint.routes.ui import bp as ui_bp
from pobratim.endpoint.state import EXTENSION, open_state, state
from pobratim.settings import Settings

log = logging.getLogger(__name__)
# YASR's column resizer (column-resizer, inside the vendored @zazuko/yasgui 4.6.2) injects two fixed <style>
# texts: its layout rules and the cursor while a column is dragged. CSP Level 3 lets a page allow exactly those
# texts by their SHA-256 (§ 8.2 hash-source) and nothing else inline; a browser test fails if the vendored
# version changes them.
# YASQE's syntax-error tooltip underlines each expected token with one fixed style attribute
# (style='text-decoration:underline'); 'unsafe-hashes' (CSP Level 3 § 6.7.2.3) extends the hash-sources to
# style attributes, so exactly that value is allowed and no other.
YASR_STYLE_HASHES = (
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk=' 'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg=' "
    "'unsafe-hashes' 'sha256-EntWS0hFrz2vH7susM+dPUxvHlL6sBswmM8K80E5oUk='"
)
CONTENT_SECURITY_POLICY = (
    f"default-src 'self'; script-src 'self'; style-src 'self' {YASR_STYLE_HASHES}; img-src 'self' data:; "
    "connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(given: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Create the application for ``given`` settings; from a mapping (or nothing), the settings are loaded
    once here: defaults, then ``POBRATIM_*`` environment variables, then the mapping."""
    cfg = given if isinstance(given, Settings) else settings.load(given)
    app = Flask(__name__)
    # Werkzeug refuses larger bodies with 413 before a view reads them.
    app.config["MAX_CONTENT_LENGTH"] = cfg.max_request_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = cfg.max_request_bytes
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.wsgi_app = BodyLimit(app.wsgi_app, cfg.body_reads_per_client)  # type: ignore[method-assign]
    # Inside the proxy fix: the cache keys on the URL as the application sees it.
    app.wsgi_app = ResponseCache(app.wsgi_app)  # type: ignore[method-assign]
    if cfg.trust_proxy:
        # One proxy in front: take scheme, host, port and prefix from its X-Forwarded-* headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1)  # type: ignore[method-assign]
    # Outermost: no code of ours or Werkzeug's parses a header before its size is known to be bounded.
    app.wsgi_app = HeaderLimit(app.wsgi_app, "*" in cfg.cors_origins)  # type: ignore[method-assign]

    st = open_state(cfg)
    app.extensions[EXTENSION] = st

    for bp in (sparql_bp, dumps_bp, resources_bp, ui_bp, search_bp):
        app.register_blueprint(bp)
    problems.register(app)

    @app.context_processor
    def _language() -> dict[str, Any]:
        # Every page speaks the viewer's language (?lang=, else Accept-Language) and offers the other; every page
        # (an error's too) can name the build it shows.
        return translations(viewer_language()) | {"st": state()}

    @app.before_request
    def _limit_query_string() -> Response | None:
        if len(request.query_string) > cfg.max_request_bytes:
            fail(413, f"the query string is longer than {cfg.max_request_bytes} bytes")
        return None

    @app.after_request
    def _security_headers(response: Response) -> Response:
        # Pages load scripts, styles and images from this origin only and never inline (CSP Level 3): a
        # label or query result that slipped markup into a page could not run. No framing (clickjacking),
        # no MIME sniffing, no full URLs (with their queries) sent to other sites.
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if response.mimetype == "text/html":
            response.vary.add("Accept-Language")  # every page is in the viewer's language
        return response

    @app.after_request
    def _cors(response: Response) -> Response:
        # On every response, errors included: a browser client must be able to read why a query failed.
        origins = cfg.cors_origins
        origin = request.headers.get("Origin")
        if "*" in origins:
            response.headers["Access-Control-Allow-Origin"] = "*"
        else:
            # The answer depends on Origin whether or not this one is allowed: say so on every response,
            # or a cache would hand one origin's answer to another (Fetch standard, CORS protocol and caching).
            response.vary.add("Origin")
            if origin and origin in origins:
                response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, If-None-Match, Range"
        response.headers["Access-Control-Expose-Headers"] = (
            "ETag, Content-Length, Content-Range, X-Result-Truncated, X-Result-Limit, X-Result-Rows"
        )
        return response

    return app


__all__ = ["create_app"]
