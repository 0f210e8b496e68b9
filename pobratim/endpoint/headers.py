"""The headers every response of the endpoint carries (security, CORS): one home for Flask's after-request hook and
for the /sparql path that answers without Flask (``sparql_path.py``)."""

from collections.abc import Iterable

from werkzeug.wrappers import Response

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
# Pages load scripts, styles and images from this origin only and never inline (CSP Level 3): a label or query
# result that slipped markup into a page could not run. No framing (clickjacking), no MIME sniffing, no full URLs
# (with their queries) sent to other sites. Set unless a view set its own.
SECURITY: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
)
CORS_METHODS = "GET, POST, HEAD, OPTIONS"
CORS_HEADERS = "Accept, Content-Type, If-None-Match, Range"
CORS_EXPOSED = "ETag, Content-Length, Content-Range, X-Result-Truncated, X-Result-Limit, X-Result-Rows"


class Protective:
    """The security and CORS headers for ``origins`` (the ``CORS_ORIGINS`` setting), worked out once."""

    def __init__(self, origins: Iterable[str]) -> None:
        self.origins = frozenset(origins)
        self.any_origin = "*" in self.origins
        cors = [("Access-Control-Allow-Methods", CORS_METHODS), ("Access-Control-Allow-Headers", CORS_HEADERS)]
        cors.append(("Access-Control-Expose-Headers", CORS_EXPOSED))
        self.cors = tuple(cors)

    def allowed(self, origin: str | None) -> str | None:
        """The Access-Control-Allow-Origin a request from ``origin`` gets, or None."""
        if self.any_origin:
            return "*"
        return origin if origin and origin in self.origins else None

    def vary(self, mimetype: str | None) -> tuple[str, ...]:
        """The request headers a response of ``mimetype`` varies on because of these headers."""
        # Every page is in the viewer's language. Without CORS for any origin, the answer depends on Origin
        # whether or not this one is allowed: say so on every response, or a cache would hand one origin's answer
        # to another (Fetch standard, CORS protocol and caching).
        names = ("Accept-Language",) if mimetype == "text/html" else ()
        return names if self.any_origin else (*names, "Origin")

    def apply(self, response: Response, origin: str | None) -> None:
        """Add the headers to a Werkzeug response (Flask's after-request hook); errors included: a browser client
        must be able to read why a query failed."""
        # The names a view set looked up once, and the rest appended: Werkzeug's setdefault and item assignment
        # each search the headers by name, and each change of ``response.vary`` parses and writes the header anew
        # (28 against 11 µs a page, a fiftieth of a resource page).
        headers = response.headers
        present = {key.lower() for key, _value in headers.items()}
        headers.extend([(key, value) for key, value in SECURITY if key.lower() not in present])
        response.vary.update(self.vary(response.mimetype))
        allowed = self.allowed(origin)
        for key, value in [*((("Access-Control-Allow-Origin", allowed),) if allowed is not None else ()), *self.cors]:
            if key.lower() in present:
                headers[key] = value  # replaces the view's
            else:
                headers.add(key, value)

    def listed(self, mimetype: str | None, origin: str | None, vary: tuple[str, ...]) -> list[tuple[str, str]]:
        """The same headers as a WSGI header list, for a response that sets none of them itself and varies on
        ``vary`` (as ``apply`` leaves them)."""
        names = [*vary, *(n for n in self.vary(mimetype) if n not in vary)]
        found = [*SECURITY, ("Vary", ", ".join(names))] if names else list(SECURITY)
        allowed = self.allowed(origin)
        if allowed is not None:
            found.append(("Access-Control-Allow-Origin", allowed))
        found.extend(self.cors)
        return found
