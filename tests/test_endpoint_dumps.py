"""Dumps under /dumps/ and the dataset description at /.well-known/void."""

import gzip
import hashlib

import pytest
from rdflib import Graph, URIRef

from .conftest import Built
from .support.inprocess import InProcess

ON_BOTH_STORES = True  # each test runs on the embedded store and on Virtuoso (conftest.py)

FILES = {
    "pobratim.trig": "application/trig",
    "pobratim.ttl": "text/turtle",
    "pobratim.jsonld": "application/ld+json",
    "pobratim.nt.gz": "application/gzip",
    "void.ttl": "text/turtle",
    "SHA256SUMS": "text/plain",
    "ontology.ttl": "text/turtle",
}


@pytest.mark.parametrize(("name", "media"), FILES.items(), ids=list(FILES))
def test_each_file_with_headers(server: InProcess, built: Built, name: str, media: str) -> None:
    data = (built.dist / name).read_bytes()
    r = server.get(f"/dumps/{name}", headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media
    assert r.content == data
    assert int(r.headers["Content-Length"]) == len(data)
    assert r.headers["ETag"] and r.headers["Last-Modified"]
    again = server.get(f"/dumps/{name}", headers={"If-None-Match": r.headers["ETag"], "Accept-Encoding": "identity"})
    assert again.status_code == 304
    since = server.get(
        f"/dumps/{name}", headers={"If-Modified-Since": r.headers["Last-Modified"], "Accept-Encoding": "identity"}
    )
    assert since.status_code == 304
    head = server.head(f"/dumps/{name}", headers={"Accept-Encoding": "identity"})
    assert head.status_code == 200 and head.content == b"" and int(head.headers["Content-Length"]) == len(data)


def test_range_requests(server: InProcess, built: Built) -> None:
    data = (built.dist / "pobratim.ttl").read_bytes()
    r = server.get("/dumps/pobratim.ttl", headers={"Range": "bytes=100-199"})
    assert r.status_code == 206 and r.content == data[100:200]
    assert r.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
    bad = server.get("/dumps/pobratim.ttl", headers={"Range": f"bytes={len(data) + 10}-"})
    assert bad.status_code == 416


def test_gzip_when_accepted(server: InProcess, built: Built) -> None:
    data = (built.dist / "pobratim.trig").read_bytes()
    r = server.get("/dumps/pobratim.trig", headers={"Accept-Encoding": "gzip"})
    assert r.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in r.headers["Vary"]
    raw = r.content  # the test client does not decode: these are the bytes on the wire
    assert len(raw) < len(data) / 3
    assert gzip.decompress(raw) == data
    again = server.get("/dumps/pobratim.trig", headers={"Accept-Encoding": "gzip", "If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304


def test_checksums_match_what_is_served(server: InProcess) -> None:
    sums = server.get("/dumps/SHA256SUMS").text.splitlines()
    for line in sums:
        digest, name = line.split("  ", 1)
        body = server.get(f"/dumps/{name}", headers={"Accept-Encoding": "identity"}).content
        assert hashlib.sha256(body).hexdigest() == digest, name


def test_no_store_files_and_no_escape(server: InProcess) -> None:
    assert server.get("/dumps/store/CURRENT").status_code == 404
    assert server.get("/dumps/../README.md").status_code == 404
    assert server.get("/dumps/%2e%2e/pyproject.toml").status_code == 404
    assert server.get("/dumps/nothing.ttl").status_code == 404


def test_index_lists_every_file(server: InProcess) -> None:
    page = server.get("/dumps/").text
    for name in FILES:
        assert name in page


def test_well_known_void(server: InProcess, built: Built) -> None:
    r = server.get("/.well-known/void")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    dumps = {str(o) for o in g.objects(None, URIRef("http://rdfs.org/ns/void#dataDump"))}
    assert "https://pobratim.example/dumps/pobratim.trig" in dumps
    jsonld = server.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["Content-Type"].startswith("application/ld+json")
    from rdflib.compare import isomorphic

    assert isomorphic(Graph().parse(data=jsonld.text, format="json-ld"), g)
    assert server.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406


def test_saved_queries_are_served_as_sparql_queries(server: InProcess) -> None:
    listed = server.get("/queries/").json()
    assert listed
    for q in listed:
        for path in (q["url"], "/dumps/queries/" + q["url"].rsplit("/", 1)[-1]):
            r = server.get(path)
            assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/sparql-query"), path
