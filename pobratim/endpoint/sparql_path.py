"""/sparql's queries answered in front of Flask: the route's own reading and answering (``routes/sparql.py``:
``asked`` and ``answer``, every protection in them), without Flask's per-request machinery (its request context,
routing, hooks and Response objects took ≈ 200 µs of a lookup's CPU in the web process).

Only what needs nothing else of Flask is answered here: a GET or POST to /sparql that asks a query for data (not
the service description, not the query page), without If-None-Match. Everything else goes on to Flask as before,
and so does every refusal met here (an HTTPException, or a bug): the route raises it again, so it is rendered
(and a bug logged) as every other is. Nothing is spent before a request goes on: the client's budget and a query
worker are taken only once the request is known to be answered here.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Request

from pobratim.endpoint.front import REFUSED, FrontPath
from pobratim.endpoint.routes.sparql import answer, asked
from pobratim.endpoint.state import EXTENSION, State

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

PATH = "/sparql"
METHODS = ("GET", "POST")


class SparqlPath(FrontPath):
    """WSGI middleware, innermost: answer /sparql's queries before Flask does; leave it every other request."""

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
                return self.to_flask(req, environ, start_response)
            reply = answer(req, st, ask, ask.query)
        except Exception as err:  # an HTTPException (a refusal), or a bug: the route raises it again
            environ[REFUSED] = err
            return self.to_flask(req, environ, start_response)
        return self.send(reply, environ, start_response)
