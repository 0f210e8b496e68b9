"""A local web server of municipal sites for the capture tests: real HTTP on 127.0.0.1, port 0.

Each site serves the fixture pages in ``tests/fixture_sites/pages/`` in the encodings real municipal sites
use, and the troubles they cause: gzip, redirects (and a loop), 404 and 500, a robots.txt that refuses, a
server that stalls or trickles, oversized pages and a gzip bomb, a PDF, and a page that changes between two
captures (with ETag and Last-Modified, answering conditional requests with 304).
"""

import gzip
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).parent.parent / "fixture_sites" / "pages"
ROBOTS = "User-agent: *\nDisallow: /intern/\n"


def fixture(name: str) -> str:
    """The text of a fixture page (kept in UTF-8; served in the encoding a route names)."""
    return (PAGES / name).read_text(encoding="utf-8")


@dataclass
class Seen:
    """A request the site answered: its path and headers."""

    path: str
    headers: dict[str, str]


Handler = Callable[["_Handler"], None]


@dataclass
class Site:
    """One municipal web site: its routes, what it was asked, and the state of its changing page."""

    routes: dict[str, Handler] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    version: int = 1  # which text /changing serves
    stop: threading.Event = field(default_factory=threading.Event)  # ends stalls when the server closes
    url: str = ""

    def asked(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        site = self.server.site
        site.seen.append(Seen(self.path, dict(self.headers.items())))
        route = site.routes.get(self.path.split("?")[0])
        if route is None:
            self.send(404, b"<html><head><title>Not found</title></head><body>Not found</body></html>")
        else:
            route(self)

    def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Site


def page(name: str, encoding: str, header_charset: str | None = None, gzipped: bool = False) -> Handler:
    """Serve a fixture page in ``encoding``; declare ``header_charset`` in Content-Type (None: declare none)."""
    body = fixture(name).encode(encoding)
    content_type = "text/html" + (f"; charset={header_charset}" if header_charset else "")

    def serve(h: _Handler) -> None:
        if gzipped and "gzip" in h.headers.get("Accept-Encoding", ""):
            h.send(200, gzip.compress(body), content_type, Content_Encoding="gzip", Vary="Accept-Encoding")
        else:
            h.send(200, body, content_type)

    return serve


def text(content: str, content_type: str = "text/plain; charset=utf-8", status: int = 200) -> Handler:
    return lambda h: h.send(status, content.encode("utf-8"), content_type)


def redirect(to: str, status: int = 301) -> Handler:
    return lambda h: h.send(status, b"", Location=to)


def failing(status: int) -> Handler:
    return lambda h: h.send(status, f"<html><body>Error {status}</body></html>".encode())


def stalling(h: _Handler) -> None:
    """Accept the request and answer nothing until the site closes (a hung application server)."""
    h.server.site.stop.wait(60)


def trickling(h: _Handler) -> None:
    """Send headers, then a byte every tenth of a second: each read is quick, the whole never ends."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.end_headers()
    h.wfile.write(b"<html><head><title>Slow</title></head><body><p>")
    while not h.server.site.stop.wait(0.1):
        try:
            h.wfile.write(b"x")
            h.wfile.flush()
        except OSError:
            return


def oversized_declared(h: _Handler) -> None:
    """Declare a 50 MB page (and send only its start): refused on the header alone."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(50 * 1024 * 1024))
    h.end_headers()
    h.wfile.write(b"<html><body>" + b"a" * 1024)


def oversized_streamed(h: _Handler) -> None:
    """Stream a page without Content-Length that runs past any cap (chunked, until the client stops)."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    chunk = b"<p>" + b"Lorem ipsum dolor sit amet. " * 1000 + b"</p>"
    try:
        for _ in range(1000):
            h.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        h.wfile.write(b"0\r\n\r\n")
    except OSError:
        return


def gzip_bomb(h: _Handler) -> None:
    """A small gzip body that inflates to 20 MB."""
    body = gzip.compress(b"<html><body>" + b" " * (20 * 1024 * 1024))
    h.send(200, body, "text/html; charset=utf-8", Content_Encoding="gzip")


CHANGING = {
    1: fixture("bg-utf8-twins.html"),
    # The second version: the Taizhou line is gone and the 1998 protocol's sentence is reworded.
    2: fixture("bg-utf8-twins.html")
    .replace("<li>Тайджоу, Китай – от 2011 г.</li>\n", "")
    .replace(
        "На 5 октомври 1998 г. кметовете на Габрово и Нови Сад подписаха протокол",
        "През 1998 г. е подписан протокол с Нови Сад",
    )
    .replace("Публикувано на 14.03.2019", "Публикувано на 02.12.2026"),
}
MODIFIED = {1: datetime(2019, 3, 14, 9, 0, tzinfo=UTC), 2: datetime(2026, 12, 2, 9, 0, tzinfo=UTC)}


def changing(validators: bool = True) -> Handler:
    """The page whose text the test sets with ``site.version``; with validators it answers conditionals."""

    def serve(h: _Handler) -> None:
        version = h.server.site.version
        body = CHANGING[version].encode("utf-8")
        if not validators:
            h.send(200, body)
            return
        etag = f'"v{version}"'
        modified = format_datetime(MODIFIED[version], usegmt=True)
        if h.headers.get("If-None-Match") == etag:
            h.send(304, b"", ETag=etag, Last_Modified=modified)
        else:
            h.send(200, body, ETag=etag, Last_Modified=modified)

    return serve


def municipal_routes(robots: str = ROBOTS) -> dict[str, Handler]:
    """The routes of a municipal site (Bulgarian, Czech, German and Polish pages, and their troubles)."""
    return {
        "/robots.txt": text(robots),
        "/pobratimeni-gradove/": page("bg-utf8-twins.html", "utf-8", "utf-8", gzipped=True),
        "/mezhdunarodno.php": page("bg-cp1251-twins.html", "windows-1251"),  # only <meta> declares it
        "/old/mezhdunarodno.php": redirect("/mezhdunarodno.php"),
        "/partnerska-mesta": page("cz-iso88592-partners.html", "iso-8859-2", "ISO-8859-2"),
        "/miasta-partnerskie": page("pl-iso88592-miasta.html", "iso-8859-2", "utf-8"),  # the header lies
        "/de/partnerstaedte": page("de-utf8-partner.html", "utf-8", "utf-8"),
        "/loop/a": redirect("/loop/b", 302),
        "/loop/b": redirect("/loop/a", 302),
        **{f"/chain/{i}": redirect(f"/chain/{i + 1}", 302) for i in range(12)},
        "/chain/12": page("de-utf8-partner.html", "utf-8", "utf-8"),
        "/missing": failing(404),
        "/broken": failing(500),
        "/intern/partner.html": page("de-utf8-partner.html", "utf-8", "utf-8"),
        "/stall": stalling,
        "/trickle": trickling,
        "/huge": oversized_declared,
        "/huge-streamed": oversized_streamed,
        "/bomb": gzip_bomb,
        "/brochure.pdf": lambda h: h.send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        "/changing": changing(),
        "/changing-no-validators": changing(validators=False),
    }


@contextmanager
def serving(routes: dict[str, Handler] | None = None) -> Iterator[Site]:
    """Run a site on 127.0.0.1 (a free port) in a thread; close it, and end its stalls, on exit."""
    site = Site(municipal_routes() if routes is None else routes)
    server = _Server(("127.0.0.1", 0), _Handler)
    server.site = site
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="fixture-site", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


# The municipalities and partners of the fixture pages, as a reviewer would add them to places.yaml.
FIXTURE_PLACES = """\
  bg/gabrovo: {en: Gabrovo, bg: Габрово, kind: municipality}
  ru/mytishchi: {en: Mytishchi, bg: Митищи, local: {ru: Мытищи}, kind: city}
  cn/taizhou: {en: Taizhou, bg: Тайджоу, kind: city}
"""


def add_fixture_places(places: Path) -> None:
    """Append the fixture pages' places to a copy of ``places.yaml``."""
    places.write_text(places.read_text(encoding="utf-8") + FIXTURE_PLACES, encoding="utf-8")
