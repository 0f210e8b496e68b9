"""Input that asks too much is not granted: a satisfiable multi-range is answered whole (RFC 9110 §14.2), a
chunked body is refused before it is read, and a page echoes only the parameters it uses, once each."""

import socket
import time
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import requests

from pobratim import published

from .support.inprocess import InProcess
from .support.live import Live

DUMP = f"/dumps/{published.TURTLE}"


def test_a_satisfiable_multi_range_gets_the_whole_file(server: InProcess) -> None:
    whole = server.get(DUMP, headers={"Accept-Encoding": "identity"}).content
    r = server.get(DUMP, headers={"Range": "bytes=0-0,1-1,2-2", "Accept-Encoding": "identity"})
    assert r.status_code == 200 and r.content == whole
    r = server.get(DUMP, headers={"Range": "bytes=0-9"})
    assert r.status_code == 206 and r.content == whole[:10]
    assert r.headers["Content-Range"] == f"bytes 0-9/{len(whole)}"
    r = server.get(DUMP, headers={"Range": f"bytes={len(whole) + 10}-"})
    assert r.status_code == 416


class Links(HTMLParser):
    """The language switch's links (``hreflang``) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "a" and names.get("hreflang") and names.get("href"):
            self.found.append(str(names["href"]))


def test_a_search_echoes_only_the_query_it_uses(server: InProcess) -> None:
    params = [("q", "Kazanlak")] + [("q", f"other{n}") for n in range(5000)] + [("x", "y" * 100)]
    r = server.get("/search", params=params, headers={"Accept": "text/html"})
    assert r.status_code == 200
    links = Links()
    links.feed(r.text)
    assert links.found
    for href in links.found:
        query = parse_qs(urlsplit(href).query)
        assert query["q"] == ["Kazanlak"] and "x" not in query, href
    assert len(r.content) < 200_000 and "other4999" not in r.text


def test_a_chunked_body_announcing_exabytes_is_refused_at_once(one_worker: Live) -> None:
    port = one_worker.port
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: t\r\nContent-Type: application/sparql-query\r\n"
            b"Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\nASK"
        )
        started = time.monotonic()
        answer = s.recv(200)
        assert answer.startswith(b"HTTP/1.1 411"), answer
        while s.recv(4096):  # the server closes the connection: it does not wait for the body
            pass
        assert time.monotonic() - started < 5
    assert one_worker.get("/health").status_code == 200
    # A body with its length is read as ever.
    r = requests.post(
        one_worker.url + "/sparql",
        data=b"ASK { ?s ?p ?o }",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert r.status_code == 200 and r.json()["boolean"] is True
