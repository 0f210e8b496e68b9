"""Dereferenceable resources: 303 to documents by content negotiation, HTML pages, 404, proxies."""

import json
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from requests.utils import parse_header_links

from pobratim.core.ids import DEFAULT_BASE
from pobratim.core.vocab import POB
from pobratim.endpoint import create_app
from pobratim.endpoint.page_path import PagePath
from pobratim.sparql.formats import DOCUMENTS, Format

from .conftest import HOSTILE, Built
from .support.front import front_and_alone, headers_but_vary
from .support.inprocess import InProcess
from .support.live import Live
from .support.resources import CREMONA_TWINNING, Scripts, expected_graph

ON_BOTH_STORES = True  # each test runs on the embedded store and on Virtuoso (conftest.py)

B = DEFAULT_BASE
KAZANLAK = "/id/place/bg/kazanlak"


@pytest.mark.parametrize(
    ("accept", "suffix"),
    [
        ("text/html", "html"),
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "rdf"),
        ("*/*", "ttl"),
    ],
)
def test_iri_redirects_by_content_negotiation(server: InProcess, accept: str, suffix: str) -> None:
    r = server.get(KAZANLAK, headers={"Accept": accept})
    assert r.status_code == 303
    assert r.headers["Location"] == f"{KAZANLAK}.{suffix}"  # relative: never built from the Host header
    assert "Accept" in r.headers["Vary"]


@pytest.mark.parametrize(("suffix", "fmt"), [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"), ("rdf", "xml")])
def test_documents_parse_back_to_the_description(server: InProcess, built: Built, suffix: str, fmt: str) -> None:
    r = server.get(f"{CREMONA_TWINNING}.{suffix}")
    assert r.status_code == 200
    got = Graph().parse(data=r.content, format=fmt)
    got.remove((URIRef(f"{B}{CREMONA_TWINNING[1:]}.{suffix}"), None, None))  # what the document says of itself
    assert isomorphic(got, expected_graph(built.open_store(), CREMONA_TWINNING))
    # Both sources' starts are in the data: the disagreement is kept, not merged.
    twinning = URIRef(B + CREMONA_TWINNING[1:])
    claims = list(got.objects(twinning, POB.claim))
    starts = {str(o) for c in claims for o in got.objects(c, URIRef("https://schema.org/startDate"))}
    assert starts == {"1978-05-25", "1982"} and len(claims) == 2


def test_trig_keeps_the_graphs(server: InProcess) -> None:
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(data=server.get(f"{CREMONA_TWINNING}.trig").content, format="trig")
    graphs = {str(g.identifier) for g in ds.graphs() if (URIRef(B + CREMONA_TWINNING[1:]), None, None) in g}
    assert {B + "graph/kazanlak-cremona", B + "graph/kazanlak-international-cooperation"} <= graphs


def test_unknown_iri_is_404_and_406_when_nothing_fits(server: InProcess) -> None:
    assert server.get("/id/place/bg/atlantis").status_code == 404
    assert server.get("/id/place/bg/atlantis.ttl").status_code == 404
    r = server.get(KAZANLAK, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "text/turtle" in r.text


def test_html_page_of_a_municipality(server: InProcess, built: Built) -> None:
    r = server.get(f"{KAZANLAK}.html", headers={"Accept-Language": "en"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    page = r.text
    assert "<h1>Kazanlak</h1>" in page
    assert "Twin towns" in page and "Timeline" in page
    for partner in ("Cremona", "Nagykanizsa", "Jungnang-gu", "Luxor", "Alexandria"):
        assert partner in page
    parsed = Scripts()
    parsed.feed(page)
    assert {"text/turtle", "application/ld+json"} <= set(parsed.alternates)
    embedded = Graph().parse(data=parsed.jsonld[0], format="json-ld")
    turtle = Graph().parse(data=server.get(f"{KAZANLAK}.ttl").content, format="turtle")
    assert set(embedded) <= set(turtle) and len(embedded) > 20


def test_html_in_bulgarian(server: InProcess) -> None:
    page = server.get(f"{KAZANLAK}.html", headers={"Accept-Language": "bg,en;q=0.5"}).text
    assert "<h1>Казанлък</h1>" in page and "Побратимени градове" in page and "Кремона" in page
    assert "<h1>Kazanlak</h1>" in server.get(f"{KAZANLAK}.html?lang=en", headers={"Accept-Language": "bg"}).text


def test_conflicting_statements_side_by_side_with_quotes(server: InProcess) -> None:
    page = server.get(f"{CREMONA_TWINNING}.html?lang=en").text
    assert "sources differ" in page
    assert "1978-05-25" in page and "1982" in page
    assert "Началото на сътрудничеството с град Кремона" in page  # the quote behind the 1978 start
    assert "град Кремона (Италия – от 1982 г.)" in page  # and the one behind 1982


def test_landing_and_health(server: InProcess) -> None:
    page = server.get("/").text
    assert "Town twinnings as linked open data" in page
    assert "/sparql" in page and "/dumps/pobratim.trig" in page and "/.well-known/void" in page
    assert '<tr><th scope="row">twinnings</th><td>29</td></tr>' in page
    assert '<tr><th scope="row">sources</th><td>3</td></tr>' in page
    assert "Kazanlak" in page and "Asenovgrad" in page
    health = server.get("/health").json()
    assert health["status"] == "ok" and health["triples"] > 2000


def test_hostile_labels_are_escaped(hostile: Live) -> None:
    page = hostile.get("/id/place/eg/luxor.html?lang=en").text
    assert HOSTILE not in page
    assert "&lt;script&gt;" in page
    parsed = Scripts()
    parsed.feed(page)
    data = json.loads(parsed.jsonld[0])  # the embedded JSON-LD still parses, with the label intact
    graph = Graph().parse(data=json.dumps(data), format="json-ld")
    assert Literal("Luxor " + HOSTILE, lang="en") in set(graph.objects())
    kazanlak = hostile.get(f"{KAZANLAK}.html").text
    assert HOSTILE not in kazanlak and "Luxor &lt;script&gt;" in kazanlak


def test_forwarded_headers_decide_the_public_url(tight: Live) -> None:
    headers = {
        "Accept": "text/html",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "twins.example.org",
        "X-Forwarded-Prefix": "/lod",
    }
    r = tight.get(KAZANLAK, headers=headers)
    assert r.status_code == 303
    assert r.headers["Location"] == "/lod/id/place/bg/kazanlak.html"
    page = tight.get(f"{KAZANLAK}.html", headers=headers).text
    assert "127.0.0.1" not in page
    assert 'href="/lod/id/place/it/cremona"' in page
    # The header's links to routes (built once per public prefix) follow the prefix, and only where it is given.
    assert 'href="/lod/static/style.css"' in page and 'href="/lod/query"' in page
    plain = tight.get(f"{KAZANLAK}.html", headers={"Accept": "text/html"}).text
    assert 'href="/static/style.css"' in plain and 'href="/query"' in plain and "/lod/" not in plain
    sd = tight.get("/sparql", headers={**headers, "Accept": "text/turtle"}).text
    assert "https://twins.example.org/lod/sparql" in sd and "127.0.0.1" not in sd


def test_forwarded_headers_are_ignored_without_trust(server: InProcess) -> None:
    r = server.get(KAZANLAK, headers={"Accept": "text/html", "X-Forwarded-Host": "evil.example"})
    assert r.headers["Location"] == f"{KAZANLAK}.html"
    forged = server.get(KAZANLAK, headers={"Accept": "text/html", "Host": "evil.example"})
    assert forged.status_code == 303 and "evil" not in forged.headers["Location"]


@pytest.mark.parametrize("fmt", DOCUMENTS, ids=lambda f: f.name)
def test_every_document_format_is_reachable_by_suffix_accept_and_alternates(server: InProcess, fmt: Format) -> None:
    """One format table: what a suffix serves, Accept reaches and every other document links to, alike."""
    by_suffix = server.get(f"{KAZANLAK}.{fmt.suffix}")
    assert by_suffix.status_code == 200 and by_suffix.headers["Content-Type"] == fmt.content_type
    by_accept = server.get(KAZANLAK, headers={"Accept": fmt.media_type})
    assert by_accept.status_code == 303 and by_accept.headers["Location"].endswith(f"{KAZANLAK}.{fmt.suffix}")
    for other in DOCUMENTS:
        if other == fmt:
            continue
        links = parse_header_links(server.get(f"{KAZANLAK}.{other.suffix}").headers["Link"])
        assert {"url": f"{KAZANLAK}.{fmt.suffix}", "rel": "alternate", "type": fmt.media_type} in links
    if fmt.kind != "html":  # the page names every other document in its head and in its text
        page = Scripts()
        page.feed(server.get(f"{KAZANLAK}.html").text)
        assert page.alternates[fmt.media_type] == f"{KAZANLAK}.{fmt.suffix}"


@pytest.mark.parametrize("origins", ["*", "https://client.example"])
def test_the_page_path_in_front_of_flask_answers_as_the_route_does(built: Built, origins: str) -> None:
    """``PagePath`` answers resource documents with the route's own code: the same status, headers and body as the
    Flask route gives for the same request; refusals (rendered by Flask) and what it leaves to Flask included."""
    app = create_app({"DIST": str(built.dist), "CORS_ORIGINS": origins, "MAX_REQUEST_BYTES": "2000"})
    try:
        front, alone, reached = front_and_alone(app, PagePath)
        bulgarian = {"Accept-Language": "bg,en;q=0.5"}
        asks: list[tuple[str, str, dict[str, Any]]] = [
            ("GET", f"{KAZANLAK}.html", {}),
            ("GET", f"{KAZANLAK}.html", {"query_string": {"lang": "bg"}}),
            ("GET", f"{KAZANLAK}.html", {"headers": {**bulgarian, "Origin": "https://client.example"}}),
            ("HEAD", f"{KAZANLAK}.html", {}),
            ("GET", f"{CREMONA_TWINNING}.html", {}),
            ("GET", f"{CREMONA_TWINNING}.ttl", {"headers": {"Origin": "https://o.example"}}),
            ("GET", f"{KAZANLAK}.jsonld", {}),
            ("GET", f"{KAZANLAK}.nq", {}),
            ("GET", "/dataset.html", {}),
            ("GET", "/ontology.ttl", {}),
            ("GET", "/id/place/xx/nowhere.html", {}),  # 404, met in front of Flask and rendered by it
            ("GET", "/id/place/xx/nowhere.html", {"headers": {"Accept": "text/html"}}),  # the same, as a page
            ("GET", f"{KAZANLAK}.html", {"query_string": {"q": "x" * 3000}}),  # 413, met in front of Flask
            ("GET", KAZANLAK, {"headers": {"Accept": "text/turtle"}}),  # 303: Flask's
            ("GET", f"{KAZANLAK}.html", {"headers": {"If-None-Match": '"x"'}}),  # Flask's
            ("POST", f"{KAZANLAK}.html", {}),  # 405: Flask's
            ("GET", "/id/place//bg/kazanlak.html", {}),  # Flask redirects a doubled slash
            ("GET", "/dumps/pobratim.ttl", {}),  # another view
        ]
        for method, path, kwargs in asks:
            before = len(reached)
            expected, got = alone.open(path, method=method, **kwargs), front.open(path, method=method, **kwargs)
            where = f"{method} {path} {kwargs}"
            assert got.status == expected.status, where
            assert got.get_data() == expected.get_data(), where
            assert headers_but_vary(got) == headers_but_vary(expected), where
            answered_here = expected.status_code == 200 and "If-None-Match" not in kwargs.get("headers", {})
            answered_here = answered_here and not path.startswith("/dumps/")
            assert (len(reached) == before) == answered_here, where
    finally:
        app.extensions["pobratim"].pool.close()
