"""Bound the request headers before any application code parses them: each, in all, their number, and the
members of the ``Accept`` headers that negotiation weighs.

Granian takes a request head up to its read buffer (``HEAD_BUFFER`` below, which ``serve`` gives it: hyper
answers 431 beyond); what fits is then checked here, outermost, before Werkzeug's parsers or the response
cache's keys see a byte of it. RFC 6585 §5: 431 Request Header Fields Too Large, for one field or for all.
nginx's default bound on one header line is 8 kB (``large_client_header_buffers 4 8k``), Apache's 8,190 bytes
(``LimitRequestFieldSize``) and 100 fields (``LimitRequestFields``): a client that works behind them works here.

Negotiation is what costs: Werkzeug weighs every media range of ``Accept`` against every format offered,
and an 8 kB ``Accept`` of 800 ranges took 116 ms to negotiate (measured), 20,000 ranges seconds. Browsers
send under ten ranges and languages; ``ACCEPT_MEMBERS`` leaves room for many more.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

HEADER_BYTES = 8 * 1024  # one header field's value
HEADERS_BYTES = 32 * 1024  # all header fields together, names and values
HEADER_COUNT = 100  # header fields
ACCEPT_MEMBERS = 32  # members of one Accept, Accept-Language, Accept-Encoding or Accept-Charset
HEAD_BUFFER = 64 * 1024  # granian's read buffer: a request head larger than this is refused by hyper (431)
NEGOTIATED = ("HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE", "HTTP_ACCEPT_ENCODING", "HTTP_ACCEPT_CHARSET")
# What the server itself puts in the environment under an HTTP_ name, not a header the client sent.
NOT_SENT = frozenset({"HTTP_VERSION"})


def _name(key: str) -> str:
    return key[5:].replace("_", "-").title()


def too_large(environ: "WSGIEnvironment") -> str | None:
    """Say what about the request's headers is beyond the bounds, or None."""
    count = total = 0
    for key, value in environ.items():
        if not key.startswith("HTTP_") or key in NOT_SENT:
            continue
        text = str(value)
        count += 1
        total += len(key) + len(text)
        if len(text) > HEADER_BYTES:
            return f"the {_name(key)} header is {len(text)} bytes long; at most {HEADER_BYTES} are accepted"
        if key in NEGOTIATED and text.count(",") >= ACCEPT_MEMBERS:
            return (
                f"the {_name(key)} header lists more than {ACCEPT_MEMBERS} members; at most {ACCEPT_MEMBERS} are read"
            )
    if count > HEADER_COUNT:
        return f"the request has {count} header fields; at most {HEADER_COUNT} are accepted"
    if total > HEADERS_BYTES:
        return f"the request's header fields hold {total} bytes; at most {HEADERS_BYTES} are accepted"
    return None


class HeaderLimit:
    """WSGI middleware: refuse a request whose headers are beyond the bounds with 431, naming which."""

    def __init__(self, app: "WSGIApplication", any_origin: bool) -> None:
        self.app, self.any_origin = app, any_origin

    def __call__(self, environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        problem = too_large(environ)
        if problem is None:
            return self.app(environ, start_response)
        body = f"431 Request Header Fields Too Large: {problem}\n".encode()
        headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
        if self.any_origin:  # a browser client may read why, as it may for every other refusal
            headers.append(("Access-Control-Allow-Origin", "*"))
        start_response("431 Request Header Fields Too Large", headers)
        return [body]
