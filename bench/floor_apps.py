"""The smallest applications on each of granian's interfaces, for ``bench.floor``: what a request costs before
pobratim does anything."""

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

BODY = b'{"head":{"vars":[]},"results":{"bindings":[]}}'
HEADERS = [("content-type", "application/sparql-results+json")]


def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Answer every request with the same short body (PEP 3333)."""
    start_response("200 OK", HEADERS)
    return [BODY]


async def rsgi(scope: Any, protocol: Any) -> None:
    """Answer every request with the same short body (granian's RSGI)."""
    protocol.response_bytes(200, HEADERS, BODY)


async def asgi(scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
    """Answer every request with the same short body (ASGI 3)."""
    if scope["type"] != "http":
        return
    headers = [(k.encode(), v.encode()) for k, v in HEADERS]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": BODY})


flask = Flask(__name__)


@flask.get("/")
def _root() -> tuple[bytes, int, list[tuple[str, str]]]:
    return BODY, 200, HEADERS
