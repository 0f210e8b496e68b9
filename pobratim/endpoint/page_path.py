"""Resource documents answered in front of Flask: the route's own making of a document (``routes/resources.py``:
``document``), without Flask's dispatching, hooks and Response objects (≈ 110–150 µs of a page's CPU, a tenth of
an uncached page: docs/performance.md).

Only a GET or HEAD of a document (a path with a document suffix, ``/id/place/bg/kazanlak.html``) that Flask would
route to the resource view as it stands, without If-None-Match, is answered here; the request context is Flask's
own (the view's code reads the request, renders templates and builds links as in the route). Everything else goes
on to Flask, and so does every refusal met here (a 404, a query string too long, or a bug): the route raises it
again (``front.raise_refused``), so it is rendered, and a bug logged, as every other is.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import request

from pobratim.endpoint.body_limit import limit_query_string
from pobratim.endpoint.front import REFUSED, FrontPath, Reply
from pobratim.endpoint.routes.resources import document, document_etag, document_of, requested_path
from pobratim.endpoint.state import EXTENSION, State

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

METHODS = ("GET", "HEAD")
# Where the resource view's rules begin: a cheap look before a request context is made; Flask's routing decides.
PREFIXES = ("/id/", "/source/", "/graph/", "/dataset.", "/ontology.")
ENDPOINT = "resources.resource"


class PagePath(FrontPath):
    """WSGI middleware: answer resource documents before Flask's dispatching does; leave it every other request."""

    def __call__(self, environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if (
            environ.get("REQUEST_METHOD") not in METHODS
            or "HTTP_IF_NONE_MATCH" in environ
            or not path.startswith(PREFIXES)
            or document_of(path)[1] is None
        ):
            return self.app(environ, start_response)
        st: State = self.flask.extensions[EXTENSION]
        reply: Reply | None = None
        met: Exception | None = None
        with self.flask.request_context(environ):
            # Flask's routing as the route sees it: a path it redirects (a doubled slash) or another view's goes on.
            rule = request.url_rule
            if request.routing_exception is None and rule is not None and rule.endpoint == ENDPOINT:
                try:
                    limit_query_string(request.query_string, st.settings.max_request_bytes)  # as Flask's hook
                    full = requested_path()
                    name, fmt = document_of(full)
                    assert fmt is not None
                    reply = document(name, fmt, document_etag(full, fmt))
                except Exception as err:  # an HTTPException (a refusal), or a bug: the route raises it again
                    met = err
        if met is not None:
            environ[REFUSED] = met
        if reply is None:
            return self.app(environ, start_response)
        return self.send(reply, environ, start_response)
