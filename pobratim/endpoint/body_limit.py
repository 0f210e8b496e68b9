"""Bound the request bodies one client may be sending at once, so that slow clients cannot hold every thread.

The HTTP server (granian) hands a request to a WSGI thread as soon as its headers are in, and reading the
body then holds that thread for as long as the client takes to send it: sixteen clients sending a byte a
second held every thread, and /health timed out while they lasted. Granian gives the application no read
timeout, and answering 408 while another thread still read the body froze the whole web process until the
client finished (measured again with granian 2.8.9: /health timed out for as long as the reader waited),
so a deadline cannot be kept from here. Instead each address may be sending only a few bodies at once;
more are refused at once with 429, and the other threads stay free; a chunked body (no Content-Length) is
refused before it is read; behind nginx (``docs/deployment.md``) the proxy reads every body whole first,
under its own deadline (``client_body_timeout``), and the application never waits for a slow one.
"""

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

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
