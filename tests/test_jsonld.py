"""JSON-LD a web developer can read: the term context, the compact dump and the compact resource documents."""

import json
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from pyld import jsonld
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from pobratim import published
from pobratim.core.ids import DEFAULT_BASE
from pobratim.core.jsonld import Compactor, Usage, term_context
from pobratim.core.vocab import POB, SDO
from pobratim.endpoint.describe import describe

from .conftest import Built
from .support.inprocess import InProcess

B = DEFAULT_BASE
CREMONA_TWINNING = "id/twinning/bg-kazanlak--it-cremona"


def no_network(url: str, options: object = None) -> dict[str, Any]:
    """pyld's document loader here: every context these documents use is embedded, so nothing is ever fetched."""
    raise AssertionError(f"pyld was about to fetch {url}")


def canonical(value: Any) -> Any:
    """A JSON value with each array's items in one order: pyld and pobratim may list a node's values apart."""
    if isinstance(value, list):
        return sorted((canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    return value


def keys(value: Any) -> set[str]:
    """Every key of every object in a JSON value."""
    if isinstance(value, list):
        return set().union(*(keys(v) for v in value)) if value else set()
    if isinstance(value, dict):
        return set(value).union(*(keys(v) for v in value.values()))
    return set()


def merged(document: dict[str, Any]) -> dict[str, dict[str, list[Any]]]:
    """Each node of a document, across its graphs, by id: each key's values, as lists."""
    found: dict[str, dict[str, list[Any]]] = {}
    for top in document["@graph"]:
        for node in top.get("@graph", [top]):
            for key, value in node.items():
                found.setdefault(node["id"], {}).setdefault(key, []).extend(
                    value if isinstance(value, list) else [value]
                )
    return found


@pytest.fixture(scope="module")
def dump(built: Built) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((built.dist / published.JSONLD).read_bytes())
    return document


@pytest.fixture(scope="module")
def context(built: Built) -> dict[str, Any]:
    context: dict[str, Any] = json.loads((built.dist / published.CONTEXT).read_bytes())["@context"]
    return context


def test_the_context_gives_each_term_its_local_name_and_its_values_type(context: dict[str, Any]) -> None:
    assert context["id"] == "@id" and context["type"] == "@type"
    assert context["Twinning"] == "pob:Twinning" and context["pob"] == str(POB._NS)
    assert context["twinnedWith"] == {"@id": "pob:twinnedWith", "@type": "@id"}
    # A start is an xsd:gYear, xsd:gYearMonth or xsd:date, as precise as its source: no one type for them all.
    assert context["startDate"] == "schema:startDate"
    assert context["name"] == {"@id": "schema:name", "@container": "@language"}
    assert context["capturedOn"] == {"@id": "pob:capturedOn", "@type": "xsd:date"}
    # Clashes: `type` is @type's alias, so dcterms:type keeps its compact IRI; schema.org comes before ORG.
    assert context["dcterms:type"] == {"@id": "dcterms:type", "@type": "@id"}
    assert context["Role"] == "schema:Role" and context["org:Role"] == "org:Role"
    assert "rdf:type" not in context and "P190" not in context


def test_the_published_context_is_the_one_the_dump_embeds(built: Built, dump: dict[str, Any]) -> None:
    assert dump["@context"] == json.loads((built.dist / published.CONTEXT).read_bytes())["@context"]
    sums = (built.dist / published.CHECKSUMS).read_text(encoding="utf-8")
    assert f"  {published.CONTEXT}\n" in sums


def test_the_dump_reads_back_as_the_same_graphs(built: Built) -> None:
    """rdflib reads the compact dump (its context embedded, nothing fetched) into the graphs the TriG dump holds."""
    got, expected = Dataset(), Dataset()
    got.parse(built.dist / published.JSONLD, format="json-ld")
    expected.parse(built.dist / published.TRIG, format="trig")
    names = {g.identifier for g in expected.graphs() if len(g)}
    assert names == {g.identifier for g in got.graphs() if len(g)} and len(names) > 3
    for name in names:
        assert isomorphic(got.graph(name), expected.graph(name)), name


def test_the_dump_is_compact(dump: dict[str, Any]) -> None:
    assert not [k for k in keys(dump["@graph"]) if k.startswith(("http://", "https://"))]
    by_id = merged(dump)
    twinning = by_id[B + CREMONA_TWINNING]
    assert twinning["type"] == ["Twinning"]
    assert {"party", "claim", "label"} <= set(twinning)
    assert twinning["label"][0]["en"] == "Kazanlak – Cremona"
    # Each claim's start keeps its own datatype: a day from one source, a year from the other.
    starts = {json.dumps(by_id[c]["startDate"][0], sort_keys=True) for c in twinning["claim"]}
    assert starts == {'{"@value": "1978-05-25", "type": "xsd:date"}', '{"@value": "1982", "type": "xsd:gYear"}'}


def test_the_dump_is_what_the_reference_implementation_compacts(dump: dict[str, Any]) -> None:
    """pyld, the JSON-LD API's reference implementation in Python, compacting the dump with its context changes
    nothing: pobratim's writer chose every key and value form as JSON-LD 1.1 compaction does."""
    again = jsonld.compact(dump, dump["@context"], {"documentLoader": no_network})
    assert canonical(again["@graph"]) == canonical(dump["@graph"])


def test_dates_keep_their_datatypes(built: Built) -> None:
    got = Dataset()
    got.parse(built.dist / published.JSONLD, format="json-ld")
    starts = {o.datatype for _s, _p, o, _g in got.quads((None, SDO.startDate, None, None)) if isinstance(o, Literal)}
    assert {XSD.gYear, XSD.date} <= starts


def test_a_served_document_is_compact_and_reads_back(server: InProcess, built: Built) -> None:
    r = server.get(f"/{CREMONA_TWINNING}.jsonld")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/ld+json")
    document = r.json()
    context = json.loads((built.dist / published.CONTEXT).read_bytes())["@context"]
    assert document["@context"] == context
    twinning = next(n for n in document["@graph"] if n["id"] == B + CREMONA_TWINNING)
    assert twinning["type"] == "Twinning" and len(twinning["claim"]) == 2
    assert not [k for k in keys(document["@graph"]) if k.startswith(("http://", "https://"))]
    again = jsonld.compact(document, context, {"documentLoader": no_network})
    assert canonical(again["@graph"]) == canonical(document["@graph"])
    got = Graph().parse(data=r.content, format="json-ld")
    got.remove((URIRef(f"{B}{CREMONA_TWINNING}.jsonld"), None, None))  # what the document says of itself
    store = pyoxigraph.Store.read_only(str(built.dist / published.STORE))
    d = describe(store, B + CREMONA_TWINNING)
    triples = [q.triple for q in [*d.own, *d.parts, *d.quotes, *d.incoming]]
    expected = Graph().parse(data=pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt")
    assert isomorphic(got, expected)


def test_the_context_has_its_own_url(server: InProcess, built: Built) -> None:
    r = server.get("/context.jsonld")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/ld+json")
    assert r.content == (built.dist / published.CONTEXT).read_bytes()
    assert server.get("/context.jsonld", headers={"If-None-Match": r.headers["ETag"]}).status_code == 304


def test_a_term_whose_values_differ_from_its_coercion_keeps_them_apart() -> None:
    """A value the context's coercion does not fit (a date where the graph held only years) is written under the
    compact IRI, with its datatype, as pyld writes it: never read as the coerced type."""
    year = pyoxigraph.Literal("1982", datatype=pyoxigraph.NamedNode(str(XSD.gYear)))
    day = pyoxigraph.Literal("1982-05-01", datatype=pyoxigraph.NamedNode(str(XSD.date)))
    s, p = pyoxigraph.NamedNode(B + "id/x"), pyoxigraph.NamedNode(str(SDO.foundingDate))
    context = term_context(Usage().add([pyoxigraph.Triple(s, p, year)]))
    assert context["foundingDate"] == {"@id": "schema:foundingDate", "@type": "xsd:gYear"}
    node = Compactor(context).node(s.value, [(p.value, year), (p.value, day)])
    assert node == {
        "id": s.value,
        "foundingDate": "1982",
        "schema:foundingDate": {"@value": "1982-05-01", "type": "xsd:date"},
    }
    document = {"@context": context, "@graph": [node]}
    assert canonical(jsonld.compact(document, context, {"documentLoader": no_network})) == canonical(
        {"@context": context, **node}
    )
    got = Graph().parse(data=json.dumps(document), format="json-ld")
    assert set(got.objects(URIRef(s.value), SDO.foundingDate)) == {
        Literal("1982", datatype=XSD.gYear),
        Literal("1982-05-01", datatype=XSD.date),
    }


def test_the_context_is_deterministic(built: Built, tmp_path: Path) -> None:
    """The same graph gives the same context, whatever order its statements come in."""
    store = pyoxigraph.Store.read_only(str(built.dist / published.STORE))
    quads = list(store)
    assert term_context(Usage().add(quads)) == term_context(Usage().add(reversed(quads)))
    assert list(term_context(Usage().add(quads))) == list(term_context(Usage().add(reversed(quads))))
