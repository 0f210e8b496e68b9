"""What the paths that answer in front of Flask share: the reply a route's own code gives, sent as WSGI with the
headers every response carries, and the handing on to Flask of every request such a path leaves (a refusal it met
included, which the route raises again so that Flask renders it as it renders every refusal: ``problems.py``).

Flask's per-request machinery (its request handling, routing, hooks, and turning a Response into WSGI headers)
took ≈ 200 µs of a /sparql lookup's CPU and ≈ 110–150 µs of a resource page's (docs/performance.md): the paths
``sparql_path.py`` and ``page_path.py`` answer their most asked requests with the routes' own functions instead.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, Response
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Request

from pobratim.endpoint.headers import Protective

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# What a path in front of Flask met and leaves to the route, which raises it again (``raise_refused``).
REFUSED = "pobratim.refused"


@dataclass(frozen=True)
class Reply:
    """A route's answer, before the headers every response carries (``headers.py``)."""

    status: int
    headers: list[tuple[str, str]]  # neither Vary nor Content-Length
    body: bytes
    media_type: str | None = None  # None: no body (304)
    vary: tuple[str, ...] = ()

    def response(self) -> Response:
        """The reply as the Flask route returns it (Flask's after-request hook adds the common headers)."""
        response = Response(self.body, self.status, self.headers)
        response.vary.update(self.vary)
        return response


def raise_refused(req: Request) -> None:
    """Raise again what the path in front of Flask met for this request, if anything: rendered by Flask."""
    refused = req.environ.pop(REFUSED, None)
    if refused is not None:
        raise refused


class FrontPath:
    """WSGI middleware that answers some requests with a route's own code and leaves every other to ``app``."""

    def __init__(self, app: "WSGIApplication", flask: Flask, protective: Protective) -> None:
        self.app, self.flask, self.protective = app, flask, protective

    def __call__(self, environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        """Answer the request here, or leave it to Flask: each path says which it answers."""
        raise NotImplementedError

    def send(self, reply: Reply, environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        """Send ``reply`` with the headers Flask's after-request hook would add (``Protective.listed``)."""
        headers = [
            *reply.headers,
            ("Content-Length", str(len(reply.body))),
            *self.protective.listed(reply.media_type, environ.get("HTTP_ORIGIN"), reply.vary),
        ]
        start_response(f"{reply.status} {HTTP_STATUS_CODES[reply.status]}", headers)
        # RFC 9110 §9.3.2: HEAD answers with the headers GET would have, Content-Length included, and no content.
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [reply.body]

    def to_flask(self, req: Request, environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        """Leave a request to Flask, with the body read here if any (an input stream can be read once only)."""
        read = vars(req).get("_cached_data")  # Werkzeug keeps the body it read there (Request.get_data)
        if read is not None:
            environ["wsgi.input"] = io.BytesIO(read)
        return self.app(environ, start_response)
