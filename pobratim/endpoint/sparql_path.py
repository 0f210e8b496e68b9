"""/sparql's queries answered in front of Flask: the route's own reading and answering (``routes/sparql.py``:
``asked`` and ``answer``, every protection in them), without Flask's per-request machinery (its request context,
routing, hooks and Response objects took ≈ 200 µs of a lookup's CPU in the web process).

Only what needs nothing else of Flask is answered here: a GET or POST to /sparql that asks a query for data (not
the service description, not the query page), without If-None-Match. Everything else goes on to Flask as before,
and so does every refusal met here (an HTTPException, or a bug): the route raises it again, so it is rendered
(and a bug logged) as every other is. Nothing is spent before a request goes on: the client's budget and a query
worker are taken only once the request is known to be answered here.
"""

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask, Request
from werkzeug.http import HTTP_STATUS_CODES

from pobratim.endpoint.headers import Protective
from pobratim.endpoint.routes.sparql import REFUSED, answer, asked
from pobratim.endpoint.state import EXTENSION, State

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PATH = "/sparql"
METHODS = ("GET", "POST")


class SparqlPath:
    """WSGI middleware, innermost: answer /sparql's queries before Flask does; leave it every other request."""

    def __init__(self, app: "WSGIApplication", flask: Flask, protective: Protective) -> None:
        self.app, self.flask, self.protective = app, flask, protective

    def __call__(self, environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        if (
            environ.get("PATH_INFO") != PATH
            or environ.get("REQUEST_METHOD") not in METHODS
            or "HTTP_IF_NONE_MATCH" in environ
        ):
            return self.app(environ, start_response)
        st: State = self.flask.extensions[EXTENSION]
        req = Request(environ, populate_request=False)
        req.max_content_length = st.settings.max_request_bytes  # as Flask's MAX_CONTENT_LENGTH: 413 beyond
        try:
            ask = asked(req, st.settings)
            if ask.query is None or ask.html is not None:
                return self._to_flask(req, environ, start_response)
            reply = answer(req, st, ask, ask.query)
        except Exception as err:  # an HTTPException (a refusal), or a bug: the route raises it again
            environ[REFUSED] = err
            return self._to_flask(req, environ, start_response)
        headers = [
            *reply.headers,
            ("Content-Length", str(len(reply.body))),
            *self.protective.listed(reply.media_type, environ.get("HTTP_ORIGIN"), reply.vary),
        ]
        start_response(f"{reply.status} {HTTP_STATUS_CODES[reply.status]}", headers)
        return [reply.body]

    def _to_flask(self, req: Request, environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        read = vars(req).get("_cached_data")  # Werkzeug keeps the body it read there (Request.get_data)
        if read is not None:
            environ["wsgi.input"] = io.BytesIO(read)  # the input stream can be read once only: hand the body on
        return self.app(environ, start_response)
