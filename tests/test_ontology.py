"""The ontology declares exactly the terms the code uses, each labelled and explained."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from pobratim.build.mapping import load_ontology
from pobratim.core.vocab import POB, WDT
from tests.paths import SEED


@pytest.fixture(scope="module")
def onto() -> Graph:
    return load_ontology(SEED.ontology)


def declared(onto: Graph) -> set[str]:
    ns = str(POB._NS)
    return {str(s)[len(ns) :] for s in onto.subjects(RDF.type, None) if str(s).startswith(ns)}


def test_closed_namespace_matches_the_ontology(onto: Graph) -> None:
    used = set(POB.__annotations__) | set(POB._extras)
    assert declared(onto) == used


def test_closed_namespace_refuses_unknown_terms() -> None:
    with pytest.raises(AttributeError):
        _ = POB.twinedWith  # a typo must not mint a new IRI


@pytest.mark.parametrize("lang", ["en", "bg"])
def test_every_own_term_has_a_label_in(onto: Graph, lang: str) -> None:
    for name in declared(onto):
        labels = [o for o in onto.objects(POB[name], RDFS.label) if isinstance(o, Literal) and o.language == lang]
        assert labels, f"pob:{name} has no rdfs:label@{lang}"


def test_every_own_term_has_a_comment(onto: Graph) -> None:
    for name in declared(onto):
        assert onto.value(POB[name], RDFS.comment) is not None, f"pob:{name} has no rdfs:comment"


def test_alignments_to_wikidata(onto: Graph) -> None:
    assert (POB.twinnedWith, SKOS.exactMatch, WDT.P190) in onto
    assert (POB.twinnedWith, RDF.type, OWL.SymmetricProperty) in onto
    assert (URIRef("https://schema.org/startDate"), SKOS.closeMatch, WDT.P580) in onto


def test_concepts_are_in_a_scheme_with_a_notation(onto: Graph) -> None:
    for concept in onto.subjects(RDF.type, SKOS.Concept):
        if concept == POB.Mayor:
            continue
        assert onto.value(concept, SKOS.inScheme) is not None, concept
        assert onto.value(concept, SKOS.notation) is not None, concept
