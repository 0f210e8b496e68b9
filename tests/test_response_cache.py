"""The response cache reuses an answer only where a shared HTTP cache may (RFC 9111), and never changes one."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask, Response, request
from werkzeug.test import Client

from pobratim.endpoint import create_app
from pobratim.endpoint.response_cache import ResponseCache

from .conftest import Built
from .support.inprocess import InProcess

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


def _counting_app() -> tuple[Flask, list[str]]:
    """A small Flask app whose views say which request headers they used, and count their runs."""
    app = Flask(__name__)
    runs: list[str] = []

    @app.get("/negotiated")
    def negotiated() -> Response:
        runs.append("negotiated")
        r = Response(f"for {request.headers.get('Accept', '')}")
        r.set_etag("n" + request.headers.get("Accept", ""))
        r.vary.add("Accept")
        return r

    @app.get("/cookie")
    def cookie() -> Response:
        runs.append("cookie")
        r = Response("x")
        r.set_etag("c")
        r.set_cookie("session", "1")
        return r

    @app.get("/no-etag")
    def no_etag() -> Response:
        runs.append("no-etag")
        return Response("x")

    @app.get("/star")
    def star() -> Response:
        runs.append("star")
        r = Response("x")
        r.set_etag("s")
        r.headers["Vary"] = "*"
        return r

    @app.get("/missing")
    def missing() -> Response:
        runs.append("missing")
        r = Response("no", 404)
        r.set_etag("m")
        return r

    return app, runs


def test_repeated_gets_are_answered_without_running_the_app_again() -> None:
    app, runs = _counting_app()
    client = Client(ResponseCache(app.wsgi_app))
    first = client.get("/negotiated", headers={"Accept": "text/csv"})
    second = client.get("/negotiated", headers={"Accept": "text/csv"})
    assert runs == ["negotiated"]
    assert second.data == first.data == b"for text/csv"
    assert dict(second.headers) == dict(first.headers)
    # A different value of a Vary'd header is a different answer (RFC 9111 §4.1) ...
    other = client.get("/negotiated", headers={"Accept": "application/json"})
    assert other.data == b"for application/json" and runs == ["negotiated"] * 2
    # ... and so is another URL (the query string is part of it).
    client.get("/negotiated?x=1", headers={"Accept": "text/csv"})
    assert runs == ["negotiated"] * 3
    # Conditional, range and non-GET requests always reach the application.
    client.get("/negotiated", headers={"Accept": "text/csv", "If-None-Match": '"x"'})
    client.get("/negotiated", headers={"Accept": "text/csv", "Range": "bytes=0-1"})
    client.head("/negotiated", headers={"Accept": "text/csv"})
    assert runs == ["negotiated"] * 6


def test_uncacheable_answers_are_not_stored() -> None:
    app, runs = _counting_app()
    client = Client(ResponseCache(app.wsgi_app))
    for path in ("/cookie", "/no-etag", "/star", "/missing"):
        for _ in range(2):
            client.get(path)
    assert runs == ["cookie"] * 2 + ["no-etag"] * 2 + ["star"] * 2 + ["missing"] * 2


def _raw(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
    start_response("200 OK", [("ETag", '"big"'), ("Content-Length", str(2 * 1024 * 1024))])
    return [b"x" * (2 * 1024 * 1024)]


def test_large_answers_pass_through_whole() -> None:
    client = Client(ResponseCache(_raw))
    assert len(client.get("/").data) == 2 * 1024 * 1024
    assert len(client.get("/").data) == 2 * 1024 * 1024


def test_served_answers_keep_negotiation_and_language(server: InProcess) -> None:
    lookup = {"query": "SELECT ?s WHERE { ?s a <https://pobratim.example/ontology#Twinning> } LIMIT 3"}
    as_json = [
        server.get("/sparql", params=lookup, headers={"Accept": "application/sparql-results+json"}) for _ in "ab"
    ]
    as_csv = server.get("/sparql", params=lookup, headers={"Accept": "text/csv"})
    assert as_json[0].content == as_json[1].content and as_json[0].headers["ETag"] == as_json[1].headers["ETag"]
    assert as_json[1].json()["head"]["vars"] == ["s"]
    assert as_csv.headers["Content-Type"].startswith("text/csv") and as_csv.text.startswith("s\r\n")
    pages = {
        lang: [server.get("/id/place/bg/kazanlak.html", headers={"Accept-Language": lang}) for _ in "ab"]
        for lang in ("bg", "en")
    }
    assert pages["bg"][0].text == pages["bg"][1].text and '<html lang="bg"' in pages["bg"][1].text
    assert pages["en"][0].text == pages["en"][1].text and '<html lang="en"' in pages["en"][1].text


def test_restricted_cors_answers_vary_on_origin(built: Built) -> None:
    # Without Vary: Origin a cache would give an allowed origin the answer made for a request without one.
    app = create_app({"DIST": str(built.dist), "QUERY_WORKERS": 1, "CORS_ORIGINS": ["https://a.example"]})
    try:
        client = app.test_client()
        plain = client.get("/id/place/bg/kazanlak.ttl")
        allowed = client.get("/id/place/bg/kazanlak.ttl", headers={"Origin": "https://a.example"})
        other = client.get("/id/place/bg/kazanlak.ttl", headers={"Origin": "https://b.example"})
    finally:
        app.extensions["pobratim"].pool.close()
    assert "Origin" in plain.vary and "Access-Control-Allow-Origin" not in plain.headers
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://a.example"
    assert "Access-Control-Allow-Origin" not in other.headers
