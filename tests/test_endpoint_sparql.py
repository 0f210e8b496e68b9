"""SPARQL 1.1 Protocol at /sparql: methods, formats, errors, limits, CORS — through the app in the test's process
(Flask's test client), and through the real server (`pobratim serve`) where a limit needs one."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from pobratim import published
from pobratim.core.ids import DEFAULT_BASE
from pobratim.core.vocab import POB, SD, SDO
from pobratim.endpoint import create_app
from pobratim.endpoint.sparql_path import SparqlPath
from pobratim.sparql.formats import Format, of_kind

from .conftest import Built
from .support.front import front_and_alone, headers_but_vary
from .support.inprocess import InProcess, Reply
from .support.live import Live

if TYPE_CHECKING:
    pass

ON_BOTH_STORES = True  # each test runs on the embedded store and on Virtuoso (conftest.py)

B = DEFAULT_BASE
SELECT = f"""SELECT ?partner ?start WHERE {{
  GRAPH <{B}graph/kazanlak-international-cooperation> {{ ?t <{POB.claim}> ?claim . ?claim <{SDO.startDate}> ?start }}
  ?t <{POB.party}> ?partner . FILTER (?partner != <{B}id/place/bg/kazanlak>) }} ORDER BY ?partner"""
CONSTRUCT = f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{B}graph/asenovgrad-twin-towns> {{ ?s ?p ?o }} }}"""
ASK = f"ASK {{ GRAPH ?g {{ <{B}id/place/bg/kazanlak> ?p ?o }} }}"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


def expected_rows(built: Built) -> list[tuple[str, str]]:
    store = built.open_store()
    result = store.query(SELECT)
    assert isinstance(result, pyoxigraph.QuerySolutions)
    return [(row["partner"].value, row["start"].value) for row in result]


def json_rows(body: bytes) -> list[tuple[str, str]]:
    data = json.loads(body)
    return [(b["partner"]["value"], b["start"]["value"]) for b in data["results"]["bindings"]]


def test_get_post_form_and_post_direct_agree(server: InProcess, built: Built) -> None:
    want = expected_rows(built)
    assert len(want) == 14
    accept = {"Accept": "application/sparql-results+json"}
    by_get = server.get("/sparql", params={"query": SELECT}, headers=accept)
    by_form = server.post("/sparql", data={"query": SELECT}, headers=accept)
    by_body = server.post(
        "/sparql", data=SELECT.encode(), headers={**accept, "Content-Type": "application/sparql-query"}
    )
    for r in (by_get, by_form, by_body):
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"].startswith("application/sparql-results+json")
        assert json_rows(r.content) == want
        assert "Accept" in r.headers["Vary"]


def test_select_in_xml_csv_tsv(server: InProcess, built: Built) -> None:
    want = expected_rows(built)
    xml = server.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+xml"})
    root = ET.fromstring(xml.content)
    got = [
        tuple(
            b.findtext(f"{RESULTS_NS}uri") if b.get("name") == "partner" else b.findtext(f"{RESULTS_NS}literal")
            for b in r.findall(f"{RESULTS_NS}binding")
        )
        for r in root.iter(f"{RESULTS_NS}result")
    ]
    assert got == want
    data = server.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert data.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(data.text)))
    assert rows[0] == ["partner", "start"] and [tuple(r) for r in rows[1:]] == want
    tsv = server.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/tab-separated-values"})
    lines = tsv.text.splitlines()
    assert lines[0] == "?partner\t?start"
    assert lines[1].split("\t")[0] == f"<{want[0][0]}>"
    assert lines[1].split("\t")[1] == f'"{want[0][1]}"^^<http://www.w3.org/2001/XMLSchema#gYear>'


@pytest.mark.parametrize(
    ("accept", "check"),
    [
        ("application/sparql-results+json", lambda body: json.loads(body)["boolean"] is True),
        (
            "application/sparql-results+xml",
            lambda body: ET.fromstring(body).findtext(f"{RESULTS_NS}boolean") == "true",
        ),
        ("text/csv", lambda body: body.decode().splitlines() == ["_askResult", "true"]),
        ("text/tab-separated-values", lambda body: body.decode().splitlines() == ["?_askResult", "true"]),
    ],
)
def test_ask_in_each_format(server: InProcess, accept: str, check: Callable[[bytes], bool]) -> None:
    r = server.get("/sparql", params={"query": ASK}, headers={"Accept": accept})
    assert r.status_code == 200
    assert check(r.content)


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/trig", "trig"),
        ("application/n-quads", "nquads"),
    ],
)
def test_construct_in_each_format_is_the_same_graph(
    server: InProcess, built: Built, accept: str, rdflib_format: str
) -> None:
    r = server.post("/sparql", data={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith(accept)
    trig = Dataset()
    trig.parse(built.dist / published.TRIG, format="trig")
    want = trig.graph(URIRef(B + "graph/asenovgrad-twin-towns"))
    got = Dataset() if rdflib_format in {"trig", "nquads"} else Graph()
    got.parse(data=r.content, format=rdflib_format)
    triples = Graph()
    for s, p, o, *_ in got.quads((None, None, None, None)) if isinstance(got, Dataset) else got:
        triples.add((s, p, o))
    assert len(triples) == len(want)
    assert isomorphic(triples, want)


def test_format_parameter_and_406(server: InProcess) -> None:
    r = server.get("/sparql", params={"query": SELECT, "format": "csv"}, headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    r = server.get("/sparql", params={"query": SELECT, "format": "yaml"})
    assert r.status_code == 400 and "unknown format 'yaml'" in r.text
    r = server.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "JSON, XML, CSV or TSV" in r.text
    r = server.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert r.status_code == 406 and "RDF" in r.text


def test_dataset_parameters(server: InProcess) -> None:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{POB.TwinningClaim}> }}"
    accept = {"Accept": "application/sparql-results+json"}

    def count(params: dict[str, str] | list[tuple[str, str]]) -> int:
        return int(server.get("/sparql", params=params, headers=accept).json()["results"]["bindings"][0]["n"]["value"])

    per_graph = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{POB.TwinningClaim}> }} }}"
    assert count({"query": q}) == count({"query": per_graph}) > 29  # the default graph is the union
    assert count({"query": q, "default-graph-uri": B + "graph/asenovgrad-twin-towns"}) == 10
    two = [
        ("query", q),
        ("default-graph-uri", B + "graph/asenovgrad-twin-towns"),
        ("default-graph-uri", B + "graph/kazanlak-cremona"),
    ]
    assert count(two) == 29
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    only = server.get(
        "/sparql", params={"query": named, "named-graph-uri": B + "graph/kazanlak-cremona"}, headers=accept
    ).json()
    assert [b["g"]["value"] for b in only["results"]["bindings"]] == [B + "graph/kazanlak-cremona"]


def test_graph_ranges_over_the_builds_graphs_only(server: InProcess, built: Built) -> None:
    """GRAPH ?g meets each named graph of the build, on either store, and nothing a store keeps for itself."""
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    rows = server.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"}).json()
    found = {b["g"]["value"] for b in rows["results"]["bindings"]}
    assert found == set(published.Manifest.read(built.dist).graph_names)
    # The default graph is still every graph's union in a query that also names graphs.
    both = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?t <{POB.claim}> ?c . GRAPH ?g {{ ?t <{POB.claim}> ?c }} }}"
    n = server.get("/sparql", params={"query": both}, headers={"Accept": "application/sparql-results+json"}).json()
    assert int(n["results"]["bindings"][0]["n"]["value"]) > 29


def test_a_query_names_its_own_dataset_with_from(server: InProcess) -> None:
    """SPARQL 1.1 Query §13.2: FROM and FROM NAMED replace the union default graph; the protocol overrides both."""
    accept = {"Accept": "application/sparql-results+json"}

    def count(query: str, **params: str) -> int:
        reply = server.get("/sparql", params={"query": query, **params}, headers=accept)
        assert reply.status_code == 200, reply.text
        return int(reply.json()["results"]["bindings"][0]["n"]["value"])

    claims = f"{{ ?s a <{POB.TwinningClaim}> }}"
    asenovgrad, cremona = B + "graph/asenovgrad-twin-towns", B + "graph/kazanlak-cremona"
    assert count(f"SELECT (COUNT(*) AS ?n) FROM <{asenovgrad}> WHERE {claims}") == 10
    assert count(f"SELECT (COUNT(*) AS ?n) FROM <{asenovgrad}> FROM <{cremona}> WHERE {claims}") == 29
    # FROM NAMED alone leaves the default graph empty: the claims are reached through GRAPH only.
    assert count(f"SELECT (COUNT(*) AS ?n) FROM NAMED <{cremona}> WHERE {claims}") == 0
    assert count(f"SELECT (COUNT(*) AS ?n) FROM NAMED <{cremona}> WHERE {{ GRAPH ?g {claims} }}") == 19
    # "from" inside an IRI, a string or a comment, or as a variable's name, names no dataset.
    assert count(f"SELECT (COUNT(*) AS ?n) WHERE {claims} # from <{asenovgrad}>") > 29
    assert count(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?from a <{POB.TwinningClaim}> }}") > 29
    overridden = count(f"SELECT (COUNT(*) AS ?n) FROM <{asenovgrad}> WHERE {claims}", **{"default-graph-uri": cremona})
    # SPARQL 1.1 Protocol §2.1.4: the protocol's dataset replaces the query's. Virtuoso merges the two (a
    # difference the README lists).
    assert overridden == (19 if server.app.extensions["pobratim"].settings.store == "embedded" else 29)


def test_the_obvious_query_needs_no_graph(server: InProcess) -> None:
    """As on Fuseki with unionDefaultGraph or `oxigraph serve --union-default-graph`."""
    q = f"SELECT ?x {{ <{B}id/place/bg/kazanlak> <{POB.twinnedWith}> ?x }}"
    rows = server.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"}).json()
    assert len(rows["results"]["bindings"]) == 19


XSD = "http://www.w3.org/2001/XMLSchema#"


def test_booleans_and_now_come_back_as_sparql_types_them(server: InProcess) -> None:
    # SPARQL 1.1 Query §17.4: comparisons, BOUND and `true` are xsd:boolean, NOW() an xsd:dateTime (here in
    # UTC). Virtuoso has no boolean type: its integers 1 and 0 are restored where the query says booleans.
    query = """SELECT (true AS ?t) (1 = 2 AS ?c) (BOUND(?z) AS ?b) (?c2 AS ?copy) (NOW() AS ?now) ?v ?n
               WHERE { VALUES (?v ?n) { (true 1) } BIND(1 < 2 AS ?c2) }"""
    r = server.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    row = r.json()["results"]["bindings"][0]
    booleans = {name: row[name] for name in ("t", "c", "b", "copy", "v")}
    assert {n: (v["datatype"], v["value"]) for n, v in booleans.items()} == {
        "t": (XSD + "boolean", "true"),
        "c": (XSD + "boolean", "false"),
        "b": (XSD + "boolean", "false"),
        "copy": (XSD + "boolean", "true"),
        "v": (XSD + "boolean", "true"),
    }
    assert (row["n"]["datatype"], row["n"]["value"]) == (XSD + "integer", "1")  # an integer stays one
    assert row["now"]["datatype"] == XSD + "dateTime"
    now = datetime.fromisoformat(row["now"]["value"])  # with its time zone: comparable with UTC
    assert abs((now - datetime.now(UTC)).total_seconds()) < 60


def test_union_default_graph_is_a_setting(built: Built) -> None:
    app = create_app({"DIST": str(built.dist), "QUERY_WORKERS": 1, "UNION_DEFAULT_GRAPH": False})
    try:
        off = InProcess(app)
        q = f"ASK {{ ?t <{POB.claim}> ?claim }}"
        assert (
            off.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"}).json()[
                "boolean"
            ]
            is False
        )  # claims live in their sources' graphs, outside the plain default graph
        description = Graph().parse(data=off.get("/sparql", headers={"Accept": "text/turtle"}).content, format="turtle")
        assert (None, SD.feature, SD.UnionDefaultGraph) not in description
    finally:
        app.extensions["pobratim"].pool.close()


def test_malformed_query_gives_400_with_position(server: InProcess) -> None:
    r = server.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert "1:" in r.text and "syntax error" in r.text.lower()


def test_updates_are_refused(server: InProcess) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    r = server.post("/sparql", data={"update": update})
    assert r.status_code == 403 and "read-only" in r.text
    r = server.post("/sparql", data=update, headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403
    r = server.post("/sparql", data={"query": update})
    assert r.status_code == 400
    count = server.get("/sparql", params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"}).json()
    assert count["boolean"] is False


def test_service_outside_the_allow_list_is_refused_before_running(server: InProcess) -> None:
    import contextlib
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(3)
    port = listener.getsockname()[1]
    hits: list[object] = []

    def accept() -> None:
        with contextlib.suppress(OSError):  # the timeout: nobody came, as it should be
            hits.append(listener.accept())

    thread = threading.Thread(target=accept)
    thread.start()
    for keyword, target in (
        ("SERVICE", f"<http://127.0.0.1:{port}/sparql>"),
        ("SERVICE", "?endpoint"),
        ("SERV\\u0049CE", f"<http://127.0.0.1:{port}/sparql>"),  # the keyword behind a codepoint escape
    ):
        r = server.get("/sparql", params={"query": f"SELECT * WHERE {{ {keyword} {target} {{ ?s ?p ?o }} }}"})
        assert r.status_code == 403, r.text
        assert "allow" in r.text
    thread.join()
    listener.close()
    assert hits == []  # nothing ever connected to the would-be target


def test_result_limit_is_announced(tight: Live) -> None:
    q = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
    r = tight.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == 5
    assert r.headers["X-Result-Truncated"] == "true" and r.headers["X-Result-Limit"] == "5"
    small = tight.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"})
    assert "X-Result-Truncated" not in small.headers and small.headers["X-Result-Rows"] == "3"


def test_paging_is_stable(server: InProcess) -> None:
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 50 OFFSET %d"
    pages = [[server.get("/sparql", params={"query": q % off}).content for off in (0, 50, 100)] for _ in range(2)]
    assert pages[0] == pages[1]
    assert len({*pages[0]}) == 3


def test_cors_on_success_and_error(server: InProcess) -> None:
    origin = {"Origin": "https://client.example"}
    ok = server.get("/sparql", params={"query": ASK}, headers=origin)
    bad = server.get("/sparql", params={"query": "SELEC"}, headers=origin)
    missing = server.get("/id/place/xx/nowhere", headers=origin)
    for r in (ok, bad, missing):
        assert r.headers["Access-Control-Allow-Origin"] == "*"
    preflight = requests_options(server, "/sparql")
    assert preflight.status_code in {200, 204}
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


def requests_options(server: InProcess, path: str) -> Reply:
    return server.options(
        path,
        headers={
            "Origin": "https://client.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )


def test_etag_revalidation(server: InProcess) -> None:
    first = server.get("/sparql", params={"query": SELECT})
    etag = first.headers["ETag"]
    again = server.get("/sparql", params={"query": SELECT}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = server.get("/sparql", params={"query": SELECT}, headers={"If-None-Match": etag, "Accept": "text/csv"})
    assert other.status_code == 200


def test_service_description(server: InProcess) -> None:
    r = server.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (
        URIRef(server.url + "/sparql"),
        URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        URIRef(sd + "Service"),
    ) in g
    names = {str(o) for o in g.objects(None, URIRef(sd + "name"))}
    assert B + "graph/kazanlak-cremona" in names
    assert (URIRef(server.url + "/sparql"), SD.feature, SD.UnionDefaultGraph) in g
    page = server.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.headers["Content-Type"].startswith("text/html") and "<textarea" in page.text
    data = server.get("/sparql")  # curl's */*: data, not a page
    assert data.headers["Content-Type"].startswith("text/turtle")


def test_query_link_opens_the_page_for_browsers(server: InProcess) -> None:
    r = server.get("/sparql?query=" + quote(ASK), headers={"Accept": "text/html"})
    assert r.status_code == 200 and "<textarea" in r.text
    assert "ASK {" in r.text


@pytest.mark.parametrize("fmt", of_kind("results", "rdf"), ids=lambda f: f.name)
def test_every_answer_format_is_reachable_by_accept_name_and_suffix(server: InProcess, fmt: Format) -> None:
    """One format table: each format of its kind answers to its media type, its name and its suffix alike."""
    query = SELECT if fmt.kind == "results" else CONSTRUCT
    asked: list[tuple[dict[str, str], dict[str, str]]] = [({"query": query}, {"Accept": fmt.media_type})]
    asked += [({"query": query, "format": word}, {}) for word in (fmt.name, fmt.suffix)]
    for params, headers in asked:
        r = server.get("/sparql", params=params, headers=headers)
        assert r.status_code == 200 and r.headers["Content-Type"] == fmt.content_type, (params, headers)


@pytest.mark.parametrize("origins", ["*", "https://client.example"])
def test_the_path_in_front_of_flask_answers_as_the_route_does(built: Built, origins: str) -> None:
    """``SparqlPath`` answers /sparql's queries with the route's own code: the same status, headers and body as the
    Flask route gives for the same request, refusals (rendered by Flask) and what it leaves to Flask included."""
    app = create_app({"DIST": str(built.dist), "CORS_ORIGINS": origins})
    try:
        front, alone, reached = front_and_alone(app, SparqlPath)
        form = {"content_type": "application/x-www-form-urlencoded"}
        asks: list[tuple[str, dict[str, Any]]] = [
            ("GET", {"query_string": {"query": SELECT}}),
            (
                "GET",
                {"query_string": {"query": SELECT, "format": "csv"}, "headers": {"Origin": "https://client.example"}},
            ),
            ("GET", {"query_string": {"query": ASK}, "headers": {"Accept": "application/sparql-results+xml"}}),
            (
                "GET",
                {"query_string": {"query": CONSTRUCT}, "headers": {"Accept": "text/turtle", "Origin": "https://o"}},
            ),
            ("POST", {"data": urlencode({"query": SELECT}), **form}),
            ("POST", {"data": SELECT, "content_type": published.QUERY_MEDIA_TYPE}),
            ("POST", {"data": urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}), **form}),
            ("GET", {"query_string": {"query": "SELECT * WHERE { ?s ?p }"}}),  # 400, with Oxigraph's words
            ("GET", {"query_string": {"query": "   "}}),
            ("GET", {"query_string": {"query": SELECT}, "headers": {"Accept": "image/png"}}),  # 406
            ("GET", {"query_string": {"query": SELECT, "update": "x"}}),
            ("POST", {"data": "x", "content_type": "text/plain"}),  # 415
            ("GET", {}),  # the service description: Flask's
            ("POST", {"data": urlencode({"query": SELECT}), "headers": {"Accept": "text/html"}, **form}),  # the page
            ("GET", {"query_string": {"query": SELECT}, "headers": {"If-None-Match": '"x"'}}),  # Flask's
        ]
        for number, (method, kwargs) in enumerate(asks):
            before = len(reached)
            expected, got = (
                alone.open("/sparql", method=method, **kwargs),
                front.open("/sparql", method=method, **kwargs),
            )
            where = f"{method} {kwargs}"
            assert got.status == expected.status, where
            if kwargs:
                assert got.get_data() == expected.get_data(), where
            else:  # the service description: its blank nodes are labelled anew each time
                assert isomorphic(Graph().parse(data=got.get_data()), Graph().parse(data=expected.get_data()))
            assert headers_but_vary(got) == headers_but_vary(expected), where
            assert (len(reached) > before) == (number >= 7), where  # the first seven answered in front of Flask
    finally:
        app.extensions["pobratim"].pool.close()
