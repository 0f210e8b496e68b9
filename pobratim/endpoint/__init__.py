"""pobratim's endpoint: SPARQL 1.1 Protocol, dumps and dereferenceable resources over one published build."""

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from pobratim import settings
from pobratim.endpoint import problems
from pobratim.endpoint.body_limit import BodyLimit, limit_query_string
from pobratim.endpoint.header_limit import HeaderLimit
from pobratim.endpoint.headers import Protective
from pobratim.endpoint.page_model import translations, viewer_language
from pobratim.endpoint.page_path import PagePath
from pobratim.endpoint.response_cache import ResponseCache
from pobratim.endpoint.routes.dumps import bp as dumps_bp
from pobratim.endpoint.routes.resources import bp as resources_bp
from pobratim.endpoint.routes.search import bp as search_bp
from pobratim.endpoint.routes.sparql import bp as sparql_bp
from pobratim.endpoint.routes.ui import bp as ui_bp
from pobratim.endpoint.sparql_path import SparqlPath
from pobratim.endpoint.state import EXTENSION, open_state, state
from pobratim.settings import Settings

log = logging.getLogger(__name__)


def create_app(given: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Create the application for ``given`` settings; from a mapping (or nothing), the settings are loaded
    once here: defaults, then ``POBRATIM_*`` environment variables, then the mapping."""
    cfg = given if isinstance(given, Settings) else settings.load(given)
    app = Flask(__name__)
    # Werkzeug refuses larger bodies with 413 before a view reads them.
    app.config["MAX_CONTENT_LENGTH"] = cfg.max_request_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = cfg.max_request_bytes
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    protective = Protective(cfg.cors_origins)
    # Innermost: /sparql's queries answered with the route's own code, without Flask's per-request machinery.
    app.wsgi_app = SparqlPath(app.wsgi_app, app, protective)  # type: ignore[method-assign]
    # And resource documents, with the route's own code in Flask's request context, without its dispatching.
    app.wsgi_app = PagePath(app.wsgi_app, app, protective)  # type: ignore[method-assign]
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
    def _limit_query_string() -> None:
        limit_query_string(request.query_string, cfg.max_request_bytes)

    @app.after_request
    def _protective_headers(response: Response) -> Response:
        # Security and CORS headers on every response, errors included (``headers.py``).
        protective.apply(response, request.headers.get("Origin"))
        return response

    return app


__all__ = ["create_app"]
