"""The published description served: /ontology and its terms, /dataset, and what resource documents say of
themselves (foaf:primaryTopic, void:inDataset, the licence)."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from pobratim import published
from pobratim.build.assemble import load_ontology
from pobratim.core.ids import DEFAULT_BASE
from pobratim.core.vocab import DCAT, DCTERMS, DEFAULT_LICENSE, FOAF, ONTOLOGY_IRI, OWL, POB, RDF, RDFS, VOID
from tests.support.paths import SEED

from .conftest import Built
from .support.inprocess import InProcess

B = DEFAULT_BASE
DATASET = URIRef(B + "dataset")
RDF_SUFFIXES = [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"), ("rdf", "xml")]


@pytest.mark.parametrize(("suffix", "fmt"), RDF_SUFFIXES)
def test_the_ontology_document_holds_the_whole_ontology(server: InProcess, suffix: str, fmt: str) -> None:
    r = server.get(f"/ontology.{suffix}")
    assert r.status_code == 200
    got = Graph().parse(data=r.content, format=fmt)
    got.remove((URIRef(f"{B}ontology.{suffix}"), None, None))
    assert isomorphic(got, load_ontology(SEED.ontology))
    assert (POB.Twinning, RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI)) in got


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", "text/html"])
def test_a_terms_iri_leads_to_the_ontology_by_negotiation(server: InProcess, accept: str) -> None:
    """A hash IRI is dereferenced without its fragment (RFC 3986 §3.5): pob:Twinning is asked for at /ontology."""
    assert str(POB.Twinning).split("#")[0] == ONTOLOGY_IRI
    r = server.get("/ontology", headers={"Accept": accept})
    assert r.status_code == 303 and "Accept" in r.headers["Vary"]
    assert r.headers["Location"].startswith("/ontology.")


def test_the_ontology_page_shows_every_term_in_the_viewers_language(server: InProcess) -> None:
    onto = load_ontology(SEED.ontology)
    for lang in ("en", "bg"):
        page = server.get("/ontology.html", headers={"Accept-Language": lang}).text
        for term in (POB.Twinning, POB.twinnedWith, POB.TwinningClaim):
            comment = next(c for c in onto.objects(term, RDFS.comment) if isinstance(c, Literal) and c.language == lang)
            assert str(comment)[:40] in page.replace("&#39;", "'"), (lang, term)


@pytest.mark.parametrize(("suffix", "fmt"), RDF_SUFFIXES)
def test_dataset_serves_the_dataset_description(server: InProcess, built: Built, suffix: str, fmt: str) -> None:
    r = server.get(f"/dataset.{suffix}")
    assert r.status_code == 200
    got = Graph().parse(data=r.content, format=fmt)
    got.remove((URIRef(f"{B}dataset.{suffix}"), None, None))
    assert isomorphic(got, Graph().parse(built.dist / published.VOID, format="turtle"))
    assert set(got.objects(DATASET, VOID.uriSpace)) == {Literal(B)}


def test_dataset_negotiates_and_has_a_page(server: InProcess) -> None:
    r = server.get("/dataset", headers={"Accept": "text/turtle"})
    assert r.status_code == 303 and r.headers["Location"] == "/dataset.ttl"
    page = server.get("/dataset.html", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "town twinnings as linked open data" in page.text


def test_the_dataset_description_is_complete(built: Built) -> None:
    void = Graph().parse(built.dist / published.VOID, format="turtle")
    ask = """ASK {
        ?d a void:Dataset, dcat:Dataset ; dcterms:title ?t ; dcterms:description ?en, ?bg ; dcterms:license ?l ;
           dcterms:publisher [ foaf:name ?p ] ; dcat:landingPage ?home ; void:uriSpace ?space ;
           void:sparqlEndpoint ?sparql ; void:exampleResource ?x ; dcat:service ?sparql .
        ?sparql a dcat:DataService ; dcat:endpointURL ?sparql ; dcat:servesDataset ?d .
        FILTER (lang(?en) = "en" && lang(?bg) = "bg")
    }"""
    ns = {"void": VOID, "dcat": DCAT, "dcterms": DCTERMS, "foaf": FOAF}
    assert void.query(ask, initNs=ns).askAnswer
    # One example of a twinning, a municipality and a claim, each a resource the dumps describe as such.
    dump = Graph().parse(built.dist / published.TURTLE, format="turtle")
    examples = set(void.objects(DATASET, VOID.exampleResource))
    kinds = {c for x in examples for c in dump.objects(x, RDF.type)}
    assert len(examples) == 3 and {POB.Twinning, POB.Municipality, POB.TwinningClaim} <= kinds
    for dist in void.objects(DATASET, DCAT.distribution):
        size = void.value(dist, DCAT.byteSize)
        assert isinstance(size, Literal) and void.value(dist, DCAT.mediaType) is not None
        assert (built.dist / str(void.value(dist, DCAT.downloadURL)).removeprefix(B + "dumps/")).stat().st_size == int(
            size
        )


def test_void_names_every_vocabulary_the_dumps_use(built: Built) -> None:
    """Every predicate and class of the dumps lies in a namespace void:vocabulary names."""
    void = Graph().parse(built.dist / published.VOID, format="turtle")
    vocabularies = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    dump = Graph().parse(built.dist / published.TURTLE, format="turtle")
    used = {str(p) for p in dump.predicates()} | {str(c) for c in dump.objects(None, RDF.type)}
    assert all(any(term.startswith(v) for v in vocabularies) for term in used), sorted(
        t for t in used if not any(t.startswith(v) for v in vocabularies)
    )
    assert {str(OWL), str(RDFS), "https://schema.org/", "http://www.w3.org/ns/oa#"} <= vocabularies


@pytest.mark.parametrize(("suffix", "fmt"), RDF_SUFFIXES)
def test_a_resource_document_names_its_topic_dataset_and_licence(server: InProcess, suffix: str, fmt: str) -> None:
    got = Graph().parse(data=server.get(f"/id/place/bg/kazanlak.{suffix}").content, format=fmt)
    document = URIRef(f"{B}id/place/bg/kazanlak.{suffix}")
    assert (document, FOAF.primaryTopic, URIRef(B + "id/place/bg/kazanlak")) in got
    assert (document, VOID.inDataset, DATASET) in got
    assert (document, DCTERMS.license, URIRef(DEFAULT_LICENSE)) in got
