"""pobratim behind nginx, with the configuration docs/deployment.md gives operators (only its ports changed)."""

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest
import requests

from .conftest import Built
from .live import free_port, serving
from .paths import REPO

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is installed by `make setup` (system-deps)")
JSON = {"Accept": "application/sparql-results+json"}


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
        assert f"listen 127.0.0.1:{port};" in site and live.url.removeprefix("http://") in site
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
