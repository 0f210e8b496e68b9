"""Bound the request bodies one client may be sending at once, so that slow clients cannot hold every thread.

The HTTP server (granian) hands a request to a WSGI thread as soon as its headers are in, and reading the
body then holds that thread for as long as the client takes to send it: sixteen clients sending a byte a
second held every thread, and /health timed out while they lasted. No deadline on the whole body can be kept
from here with granian 2.8.9 (measured on loopback, a client sending one byte every 0.5 s):

- ``wsgi.input.read(n)`` returns once ``n`` bytes have come or the body has ended, never with what has come
  so far (``read(64)`` given 6 bytes over 3 s returned when the client closed), and takes no timeout; a
  deadline checked between reads is never reached while one waits (``tests/test_granian_bodies.py``);
- ``read(1)`` returns each byte as it comes, but costs 2 µs a byte and gives the GIL up and back each time
  (2 kB in 4 ms; a 1 MB body not read within 2 s): the limit on bodies would become a CPU attack;
- a WSGI application has no handle on the connection to close it, and answering 408 while another thread
  waits in ``read`` stopped every Python thread of the web process until the client closed (a thread ticking
  every 0.1 s stalled 3.6 s: gdb showed granian's request thread, once the application had returned, holding
  the GIL while it waited for the lock the reading thread holds inside ``read``), and the connection stayed
  open behind the 408;
- granian has a timeout on request heads only; its maintainers declined one on bodies (granian issue 728).

Instead each address may be sending only a few bodies at once; more are refused at once with 429, and the
other threads stay free; a chunked body (no Content-Length) is refused before it is read; behind nginx
(``docs/deployment.md``) the proxy reads every body whole first, cutting a client that sends nothing for
``client_body_timeout``, and the application never waits for a slow one.
"""

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pobratim.endpoint.problems import fail

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class BodyLimit:
    """WSGI middleware: at most ``per_client`` requests with a body per client address at once."""

    def __init__(self, app: "WSGIApplication", per_client: int) -> None:
        self.app, self.per_client = app, per_client
        self._sending: dict[str, int] = {}
        self._lock = threading.Lock()

    def __call__(self, environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        has_body = environ.get("CONTENT_LENGTH") not in (None, "", "0") or "chunked" in environ.get(
            "HTTP_TRANSFER_ENCODING", ""
        )
        if not has_body:
            return self.app(environ, start_response)
        if environ.get("CONTENT_LENGTH") in (None, ""):
            # A chunked body announces its length chunk by chunk (one announced FFFFFFFFFFFFFFFF bytes and sent
            # three). Reading it could not be given up (see above), and answering without reading it closes
            # the connection at once: such a request is refused before a byte of its body is read. RFC 9110
            # §15.5.12: 411 Length Required; every SPARQL client and browser sends Content-Length.
            body = b"411 Length Required: send the request body with a Content-Length header, not chunked\n"
            start_response(
                "411 Length Required",
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Connection", "close"),
                ],
            )
            return [body]
        address = str(environ.get("REMOTE_ADDR", ""))
        with self._lock:
            if self._sending.get(address, 0) >= self.per_client:
                body = (
                    f"429 Too Many Requests: this address already sends {self.per_client} request bodies at once; "
                    "wait for them\n"
                ).encode()
                start_response(
                    "429 Too Many Requests",
                    [("Content-Type", "text/plain; charset=utf-8"), ("Retry-After", "1"), ("Connection", "close")],
                )
                return [body]
            self._sending[address] = self._sending.get(address, 0) + 1
        try:
            # The body is read, and the answer written, before the count is given back.
            return list(self.app(environ, start_response))
        finally:
            with self._lock:
                self._sending[address] -= 1
                if not self._sending[address]:
                    del self._sending[address]


def limit_query_string(query_string: bytes, max_bytes: int) -> None:
    """Refuse (413) a query string longer than ``max_bytes``, before anything parses it: every request, by Flask's
    before-request hook and by the /sparql path that answers without Flask."""
    if len(query_string) > max_bytes:
        fail(413, f"the query string is longer than {max_bytes} bytes")
