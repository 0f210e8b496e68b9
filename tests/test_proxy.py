"""pobratim behind nginx, with the configuration docs/deployment.md gives operators (only its ports changed, and
its body timeout shortened so that a test waits 2 s, not 10)."""

import http.client
import os
import re
import select
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests

from .conftest import Built
from .support.live import free_port, serving
from .support.paths import REPO

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is installed by `make setup` (system-deps)")
JSON = {"Accept": "application/sparql-results+json"}
BODY_TIMEOUT = 2  # seconds: client_body_timeout in the test's copy of the site


def documented_site() -> str:
    """The nginx site configuration of docs/deployment.md: the one block of nginx code there."""
    text = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")
    [block] = re.findall(r"```nginx\n(.*?)```", text, flags=re.S)
    assert isinstance(block, str)
    return block


@pytest.fixture(scope="module")
def proxied(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("nginx")
    with serving(built.dist, WEB_WORKERS="1", TRUST_PROXY="true") as live:
        port = free_port()
        site = documented_site().replace("listen 80;", f"listen 127.0.0.1:{port};")
        site = site.replace("server 127.0.0.1:8080;", f"server {live.url.removeprefix('http://')};")
        site = site.replace("client_body_timeout 10s;", f"client_body_timeout {BODY_TIMEOUT}s;")
        assert f"listen 127.0.0.1:{port};" in site and live.url.removeprefix("http://") in site
        assert f"client_body_timeout {BODY_TIMEOUT}s;" in site and "client_max_body_size 1m;" in site
        temp = "".join(
            f"{name}_temp_path {root / name};\n" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (root / "nginx.conf").write_text(
            f"pid {root / 'nginx.pid'};\nerror_log {root / 'error.log'};\nuser root;\nevents {{}}\n"
            f"http {{\naccess_log off;\n{temp}{site}\n}}\n",
            encoding="utf-8",
        )
        assert NGINX is not None
        nginx = subprocess.Popen(
            [NGINX, "-c", str(root / "nginx.conf"), "-p", str(root), "-g", "daemon off;"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 20
            while True:
                assert nginx.poll() is None, nginx.communicate()[0]
                try:
                    if requests.get(url + "/health", timeout=2).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                assert time.monotonic() < deadline, "nginx did not come up"
                time.sleep(0.2)
            yield url
        finally:
            nginx.terminate()
            nginx.wait(10)


def test_queries_pages_and_dumps_through_the_proxy(proxied: str) -> None:
    r = requests.get(proxied + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=JSON, timeout=30)
    assert r.status_code == 200 and r.json()["boolean"] is True
    r = requests.post(proxied + "/sparql", data={"query": "SELECT * { ?s ?p ?o } LIMIT 3"}, headers=JSON, timeout=30)
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 3
    r = requests.get(
        proxied + "/id/place/bg/kazanlak", headers={"Accept": "text/turtle"}, allow_redirects=False, timeout=30
    )
    assert r.status_code == 303 and not r.headers["Location"].startswith("http://127.0.0.1")
    r = requests.get(proxied + "/dumps/pobratim.ttl", headers={"Range": "bytes=0-9"}, timeout=30)
    assert r.status_code == 206 and len(r.content) == 10
    page = requests.get(proxied + "/", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "Content-Security-Policy" in page.headers


def test_the_proxy_reads_bodies_and_bounds_heads_first(proxied: str) -> None:
    # A chunked body is read whole by nginx and handed on with its length: pobratim answers it.
    chunks = iter([b"ASK { ?s ", b"?p ?o }"])
    r = requests.post(
        proxied + "/sparql",
        data=chunks,
        headers={**JSON, "Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert r.status_code == 200 and r.json()["boolean"] is True
    # A header past the bound never reaches pobratim.
    r = requests.get(proxied + "/health", headers={"X-Long": "a" * 9000}, timeout=30)
    assert r.status_code in {400, 431}
    assert requests.get(proxied + "/health", timeout=30).status_code == 200


def trickle(url: str, gap: float, count: int, until: float) -> tuple[int | None, float]:
    """POST /sparql announcing a 100,000-byte body, send ``count`` bytes of it ``gap`` seconds apart, then nothing;
    return the status the server answered with (None: it closed without one) and when, or (None, inf) if it
    had neither answered nor closed by the monotonic time ``until``."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.putrequest("POST", "/sparql")
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Content-Length", "100000")
        conn.endheaders()
        assert conn.sock is not None
        sent = 0
        while time.monotonic() < until:
            # The server has answered or closed once the socket is readable.
            if select.select([conn.sock], [], [], gap if sent >= count else 0)[0]:
                try:
                    return conn.getresponse().status, time.monotonic()
                except (http.client.HTTPException, OSError):
                    return None, time.monotonic()
            if sent < count:
                try:
                    conn.send(b"q")
                except OSError:
                    return None, time.monotonic()
                sent += 1
                time.sleep(gap)
        return None, float("inf")
    finally:
        conn.close()


def test_a_stalled_body_is_cut_by_the_proxy(proxied: str) -> None:
    """A client that stops sending its body is cut by nginx after client_body_timeout (measured: the connection
    closed without an answer, 1.8 s after the last byte with a 2 s timeout).

    nginx times the gap between two reads of a body, not the whole body (its documentation of
    client_body_timeout): what it bounds is how long a client may send nothing.
    """
    started = time.monotonic()
    status, at = trickle(proxied, 0.2, 5, started + BODY_TIMEOUT + 6)
    last_byte = started + 5 * 0.2
    assert status in {408, None} and at - last_byte < BODY_TIMEOUT + 3, (status, at - last_byte)


def test_trickling_bodies_hold_the_proxy_not_pobratim(proxied: str) -> None:
    """Twenty-four clients trickling a body a byte every half second, more than pobratim's 16 request threads
    (and 22 more than the 2 bodies one address may send it at once): nginx holds them all, pobratim answers."""
    until = time.monotonic() + 4
    done: list[tuple[int | None, float]] = []
    slow = [threading.Thread(target=lambda: done.append(trickle(proxied, 0.5, 6, until))) for _ in range(24)]
    for t in slow:
        t.start()
    time.sleep(1)
    for _ in range(3):
        started = time.monotonic()
        assert requests.get(proxied + "/health", timeout=10).status_code == 200
        r = requests.post(proxied + "/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers=JSON, timeout=10)
        assert r.status_code == 200 and r.json()["boolean"] is True
        assert time.monotonic() - started < 1.0
        time.sleep(0.5)
    for t in slow:
        t.join(15)
    # Each was still held open by nginx at the end (a byte within every client_body_timeout): none was refused
    # by pobratim (429 for a third body from one address) or answered before its body was whole.
    assert len(done) == 24 and all(status is None and at == float("inf") for status, at in done), done


def test_a_body_past_the_bound_is_refused_by_the_proxy(proxied: str) -> None:
    r = requests.post(proxied + "/sparql", data={"query": "#" * 1_100_000}, headers=JSON, timeout=30)
    assert r.status_code == 413
