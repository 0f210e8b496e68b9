"""The smallest applications on each of granian's interfaces, for ``bench.floor``: what a request costs before
pobratim does anything."""

import os
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any
from urllib.parse import parse_qs

import pyoxigraph
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


@cache
def _store() -> pyoxigraph.Store:
    return pyoxigraph.Store.read_only(os.environ["FLOOR_STORE"])


def lookup(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Answer the ``query`` parameter from the on-disk store named by ``FLOOR_STORE``, in this process, with no
    check at all: the least a WSGI lookup can cost (the default graph is the union, as pobratim's)."""
    query = parse_qs(environ.get("QUERY_STRING", ""))["query"][0]
    result = _store().query(query, use_default_graph_as_union=True)
    assert isinstance(result, pyoxigraph.QuerySolutions)
    body = result.serialize(format=pyoxigraph.QueryResultsFormat.JSON) or b""
    start_response("200 OK", HEADERS)
    return [body]
