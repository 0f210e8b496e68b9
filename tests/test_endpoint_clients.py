"""Standard clients work against the endpoint unchanged: SPARQLWrapper, rdflib's SPARQLStore, Comunica, curl."""

import json
import shutil
import subprocess
from pathlib import Path
from xml.dom.minidom import Document

import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from pobratim.core.ids import DEFAULT_BASE
from pobratim.core.vocab import POB
from tests.support.paths import SEED

from .conftest import TWINNINGS_VARIABLES, Built
from .support.live import Live
from .support.rdf import select

ON_BOTH_STORES = True  # each test runs on the embedded store and on Virtuoso (conftest.py)

B = DEFAULT_BASE
TWINS = (SEED.queries / "twinnings.rq").read_text(encoding="utf-8")
CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{B}graph/asenovgrad-twin-towns> {{ ?s ?p ?o }} }}"
JS = Path(__file__).parent / "js"
# A relation in the (union) default graph, and a claim about it in a source's graph.
CLAIMED = f"ASK {{ ?t a <{POB.Twinning}> ; <{POB.claim}> ?c . GRAPH ?g {{ ?c a <{POB.TwinningClaim}> }} }}"


def store_rows(built: Built, query: str) -> set[tuple[str | None, ...]]:
    store = built.open_store()
    result = store.query(query, use_default_graph_as_union=True)  # as the endpoint's default graph
    assert isinstance(result, pyoxigraph.QuerySolutions)
    names = [v.value for v in result.variables]
    return {tuple(None if row[n] is None else row[n].value for n in names) for row in result}


def store_graph(built: Built, query: str) -> Graph:
    store = built.open_store()
    triples = store.query(query, use_default_graph_as_union=True)
    assert isinstance(triples, pyoxigraph.QueryTriples)
    body = pyoxigraph.serialize(list(triples), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return Graph().parse(data=body, format="nt")


VARS = TWINNINGS_VARIABLES


def test_sparqlwrapper_select_json_and_xml(live: Live, built: Built) -> None:
    want = store_rows(built, TWINS)
    client = SPARQLWrapper(live.url + "/sparql")
    client.setQuery(TWINS)
    client.setReturnFormat(JSON)
    data = client.query().convert()
    assert isinstance(data, dict)
    assert data["head"]["vars"] == VARS
    got = {tuple(b.get(v, {}).get("value") for v in VARS) for b in data["results"]["bindings"]}
    assert got == want
    client.setReturnFormat(XML)
    doc = client.query().convert()
    ns = "http://www.w3.org/2005/sparql-results#"
    assert isinstance(doc, Document) and len(doc.getElementsByTagNameNS(ns, "result")) == 43


def test_sparqlwrapper_ask_and_construct(live: Live, built: Built) -> None:
    client = SPARQLWrapper(live.url + "/sparql")
    client.setQuery(
        f"ASK {{ <{B}id/place/bg/kazanlak> <https://pobratim.example/ontology#twinnedWith> <{B}id/place/it/cremona> }}"
    )
    client.setReturnFormat(JSON)
    answer = client.query().convert()
    assert isinstance(answer, dict) and answer["boolean"] is True
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    turtle = client.query().convert()
    assert isinstance(turtle, bytes)
    got = Graph().parse(data=turtle, format="turtle")
    assert isomorphic(got, store_graph(built, CONSTRUCT))
    client.setMethod("POST")
    client.setReturnFormat(XML)  # RDF/XML for a CONSTRUCT
    graph = client.query().convert()
    assert isinstance(graph, Graph) and isomorphic(graph, store_graph(built, CONSTRUCT))


@pytest.mark.parametrize("results", ["json", "xml"])
def test_rdflib_sparqlstore_select_and_ask(live: Live, built: Built, results: str) -> None:
    graph = Graph(store=SPARQLStore(live.url + "/sparql", returnFormat=results))
    rows = {tuple(None if t is None else str(t) for t in row) for row in select(graph, TWINS)}
    assert rows == store_rows(built, TWINS)
    assert graph.query(CLAIMED).askAnswer


def test_rdflib_sparqlstore_construct(live: Live, built: Built) -> None:
    graph = Graph(store=SPARQLStore(live.url + "/sparql"))  # asks for SPARQL XML or RDF/XML
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None and isomorphic(constructed, store_graph(built, CONSTRUCT))


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is installed by `make setup`")
def test_comunica(live: Live, built: Built) -> None:
    cli = JS / "node_modules" / ".bin" / "comunica-sparql"
    assert cli.exists(), "run `make setup` (npm ci in tests/js) first"
    out = subprocess.run(
        [str(cli), f"sparql@{live.url}/sparql", TWINS], capture_output=True, text=True, timeout=180, check=True
    )
    rows = json.loads(out.stdout)
    assert len(rows) == 43
    got = {tuple(r.get(v) for v in VARS) for r in rows}
    want = store_rows(built, TWINS)
    # Comunica writes literals in N-Triples-like form and IRIs plainly: compare on the IRI columns and counts.
    assert {(g[0], g[2], g[8]) for g in got} == {(w[0], w[2], w[8]) for w in want}


CURL_CASES = [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
]


@pytest.mark.parametrize(("accept", "media"), CURL_CASES, ids=[c[0] for c in CURL_CASES])
def test_curl_select(live: Live, accept: str, media: str) -> None:
    out = subprocess.run(
        [
            "curl",
            "-sS",
            "-D",
            "-",
            "-H",
            f"Accept: {accept}",
            "--data-urlencode",
            f"query={TWINS}",
            f"{live.url}/sparql",
        ],
        capture_output=True,
        timeout=60,
        check=True,
    )
    head, _, body = out.stdout.partition(b"\r\n\r\n")
    assert b" 200 " in head.split(b"\r\n")[0]
    assert f"content-type: {media}".encode() in head.lower()
    assert body.count(b"kazanlak") >= 30


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_curl_construct_and_resource(live: Live, built: Built, accept: str, fmt: str) -> None:
    out = subprocess.run(
        [
            "curl",
            "-sS",
            "-f",
            "-H",
            f"Accept: {accept}",
            "--data-urlencode",
            f"query={CONSTRUCT}",
            f"{live.url}/sparql",
        ],
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert isomorphic(Graph().parse(data=out.stdout, format=fmt), store_graph(built, CONSTRUCT))
    page = subprocess.run(
        ["curl", "-sS", "-f", "-L", "-H", f"Accept: {accept}", f"{live.url}/id/place/bg/kazanlak"],
        capture_output=True,
        timeout=60,
        check=True,
    )
    g = Graph().parse(data=page.stdout, format=fmt)
    assert (URIRef(B + "id/place/bg/kazanlak"), URIRef("http://www.geonames.org/ontology#countryCode"), None) in g
