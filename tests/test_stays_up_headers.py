"""Request headers are bounded before any code parses them (431 beyond), negotiation's cost with them, and the
response cache by all it holds, its keys included."""

import contextlib
import socket
import threading
import time
import tracemalloc
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pytest
import requests

from pobratim.endpoint.header_limit import ACCEPT_MEMBERS, HEAD_BUFFER, HEADER_BYTES, HEADER_COUNT, HEADERS_BYTES
from pobratim.endpoint.response_cache import ResponseCache

from .support.inprocess import InProcess
from .support.live import Live

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

JSON = {"Accept": "application/sparql-results+json"}
BROWSER = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "Accept-Language": "bg-BG,bg;q=0.9,en-US;q=0.8,en;q=0.7",
    "Accept-Encoding": "gzip, deflate, br, zstd",
}


@pytest.mark.parametrize(
    ("headers", "named"),
    [
        ({"X-Long": "a" * (HEADER_BYTES + 1)}, "X-Long header is"),
        ({f"X-H{n}": "v" for n in range(HEADER_COUNT + 1)}, "header fields; at most"),
        ({f"X-H{n}": "v" * HEADER_BYTES for n in range(HEADERS_BYTES // HEADER_BYTES + 1)}, "bytes; at most"),
        ({"Accept": ",".join(["text/html"] * (ACCEPT_MEMBERS + 1))}, "Accept header lists more than"),
        ({"Accept-Language": ",".join(["bg"] * (ACCEPT_MEMBERS + 1))}, "Accept-Language header lists"),
    ],
)
def test_headers_beyond_the_bounds_get_431_naming_what(server: InProcess, headers: dict[str, str], named: str) -> None:
    for path in ("/", "/sparql?query=ASK%7B%7D", "/id/place/bg/kazanlak", "/nowhere"):
        r = server.get(path, headers=headers)
        assert r.status_code == 431 and named in r.text, (path, r.status_code, r.text[:200])


def test_headers_within_the_bounds_are_served(server: InProcess) -> None:
    assert server.get("/", headers=BROWSER).status_code == 200
    full = {**BROWSER, "Accept-Language": ",".join(["bg;q=0.5"] * ACCEPT_MEMBERS)}
    assert server.get("/", headers=full).status_code == 200
    assert server.get("/", headers={"X-Long": "a" * HEADER_BYTES}).status_code == 200


def _raw_request(live: Live, head: bytes) -> bytes:
    port = live.port
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        with contextlib.suppress(OSError):  # the server may answer and close before the whole head is sent
            s.sendall(head)
        return s.recv(200)


def test_a_head_larger_than_granians_buffer_is_refused_before_python(one_worker: Live) -> None:
    head = b"GET /health HTTP/1.1\r\nHost: t\r\nX-Huge: " + b"a" * (2 * HEAD_BUFFER) + b"\r\n\r\n"
    assert _raw_request(one_worker, head).startswith(b"HTTP/1.1 431")
    assert one_worker.get("/health").status_code == 200
    # The buffer bounds the head only: a body many times its size still comes through whole.
    values = " ".join(f"<urn:x:{i}>" for i in range(40_000))
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {values} }} }}"
    assert len(query) > 8 * HEAD_BUFFER
    r = one_worker.post("/sparql", data={"query": query}, headers=JSON)
    assert r.status_code == 200 and r.json()["results"]["bindings"][0]["n"]["value"] == "40000"


def test_huge_accept_headers_cost_nothing_while_others_are_served(one_worker: Live) -> None:
    """Sixteen clients sending an Accept of 20,000 media ranges (issue 26: /health took up to 10 s)."""
    accept = ",".join(f"application/x-{n};q=0.5" for n in range(20_000))[: HEAD_BUFFER - 1024]
    stop = threading.Event()
    statuses: list[int] = []

    def attack() -> None:
        with requests.Session() as session:
            while not stop.is_set():
                r = session.get(one_worker.url + "/sparql", params={"query": "ASK {}"}, headers={"Accept": accept})
                statuses.append(r.status_code)

    threads = [threading.Thread(target=attack) for _ in range(16)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        slowest = 0.0
        for _ in range(10):
            started = time.monotonic()
            assert one_worker.get("/health").status_code == 200
            slowest = max(slowest, time.monotonic() - started)
            time.sleep(0.1)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    assert statuses and set(statuses) == {431}
    assert slowest < 1.0, slowest


def _varied(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
    """A small page that varies on Accept-Language, as every page of the endpoint does."""
    body = b"page"
    start_response("200 OK", [("ETag", '"p"'), ("Content-Length", str(len(body))), ("Vary", "Accept-Language")])
    return [body]


def test_the_response_cache_is_bounded_by_all_it_holds() -> None:
    """800 requests with an 8 kB Accept-Language each (issue 26: a web process grew from 77 to 400 MB)."""
    bound = 1 << 20
    cache = ResponseCache(_varied, max_bytes=bound)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(800):
            environ = {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": "/",
                "HTTP_ACCEPT_LANGUAGE": f"{n:05d}" + "x" * (HEADER_BYTES - 5),
            }
            b"".join(cache(environ, lambda status, headers, exc_info=None: lambda data: None))
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < bound * 1.2, held  # the bound (and what Python takes to keep track) is what it holds
    assert 0 < len(cache.responses) < 800 and cache.responses.size <= bound
