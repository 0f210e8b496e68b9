"""Answer repeated GET requests from memory before the application runs, as a shared HTTP cache would.

A published build never changes while it is served, so a response the application marked as a validated,
cacheable representation (status 200 with an ``ETag``) can be reused for the same request. The rules are
those of a shared cache in front of the server (RFC 9111): the key is the request's method and full URL
(§4), and a stored response is used only for a request whose headers named in the response's ``Vary``
match those of the request that stored it (§4.1); ``Vary: *``, ``Set-Cookie``, ``Cache-Control:
no-store``/``private`` and conditional or range requests always reach the application. Varnish in front
of Fuseki, or the Wikidata Query Service's caching proxy, do the same; having it in process spares the
Flask work (routing, negotiation, parameter parsing) that a repeated lookup otherwise repeats: about half
of the CPU time of such a request here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pobratim.endpoint.lru import LRUCache

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# Requests whose answer depends on more than the URL and the Vary'd headers, or that ask for part of one.
BYPASS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_RANGE", "HTTP_AUTHORIZATION")


@dataclass(frozen=True)
class Stored:
    """A response kept for reuse: its status line, headers and body."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes


# What Python takes for an entry beyond its text: the Stored, its list, the LRU's slot and tuples (with the
# per-header allowance below, an over-count: tracemalloc measured 2.0 kB for a stored response of ten short
# headers and no body, counted here as 2.4 kB).
ENTRY_BYTES = 1024


def _headers_bytes(headers: list[tuple[str, str]]) -> int:
    return sum(len(k) + len(v) + 120 for k, v in headers)  # two str objects and a tuple each


def _url(environ: WSGIEnvironment) -> str:
    return "\n".join(
        (
            environ.get("wsgi.url_scheme", ""),
            environ.get("HTTP_HOST", ""),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
        )
    )


def _key(url: str, vary: tuple[str, ...], environ: WSGIEnvironment) -> str:
    return "\n".join((url, *(environ.get(name, "") for name in vary)))


def _vary(headers: list[tuple[str, str]]) -> tuple[str, ...] | None:
    """The environ keys of the request headers a response varies on; None when it must not be stored."""
    names: list[str] = []
    for key, value in headers:
        lower = key.lower()
        if lower == "set-cookie":
            return None
        if lower == "cache-control" and any(d in value.lower() for d in ("no-store", "private", "no-cache")):
            return None
        if lower == "vary":
            for name in value.split(","):
                name = name.strip()
                if name == "*":
                    return None
                if name:
                    names.append("HTTP_" + name.upper().replace("-", "_"))
    return tuple(sorted(set(names)))


class ResponseCache:
    """WSGI middleware: serve stored responses to repeated GETs; store cacheable ones on the way out."""

    def __init__(self, app: WSGIApplication, max_bytes: int = 64 * 1024 * 1024, item_bytes: int = 1024 * 1024):
        self.app = app
        self.responses: LRUCache[Stored] = LRUCache(max_items=8192, max_bytes=max_bytes, item_bytes=item_bytes)
        self.varies: LRUCache[tuple[str, ...]] = LRUCache(max_items=8192, max_bytes=max_bytes // 8)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET" or any(name in environ for name in BYPASS):
            return self.app(environ, start_response)
        url = _url(environ)
        vary = self.varies.get(url)
        if vary is not None:
            stored = self.responses.get(_key(url, vary, environ))
            if stored is not None:
                start_response(stored.status, list(stored.headers))
                return [stored.body]
        seen: dict[str, object] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> object:
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)  # type: ignore[arg-type]

        body = self.app(environ, capture)  # type: ignore[arg-type]
        status, headers = str(seen.get("status", "")), seen.get("headers")
        if not status.startswith("200 ") or not isinstance(headers, list):
            return body
        names = {k.lower(): v for k, v in headers}
        length = names.get("content-length", "")
        if "etag" not in names or not length.isdigit() or int(length) > self.responses.item_bytes:
            return body
        response_vary = _vary(headers)
        if response_vary is None:
            return body
        try:
            content = b"".join(body)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        # Each entry is counted by all it holds, its key included (the URL and every varied header's value:
        # a 400 kB Accept-Language once made page keys the most of a web process's memory), so the byte
        # bound is the memory bound; past it, whole entries go, least recently used first.
        key = _key(url, response_vary, environ)
        stored = Stored(status, list(headers), content)
        self.varies.put(url, response_vary, ENTRY_BYTES + len(url) + sum(map(len, response_vary)))
        self.responses.put(key, stored, ENTRY_BYTES + len(key) + len(content) + _headers_bytes(stored.headers))
        return [content]
