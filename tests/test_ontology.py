"""The ontology declares exactly the terms the code uses, each labelled and explained."""

from typing import get_args

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from pobratim.build.assemble import load_ontology
from pobratim.build.concepts import SCHEMES, Prefix, concept
from pobratim.core.vocab import ONTOLOGY_IRI, POB, WDT
from tests.support.paths import SEED


@pytest.fixture(scope="module")
def onto() -> Graph:
    return load_ontology(SEED.ontology)


def declared(onto: Graph) -> set[str]:
    ns = str(POB._NS)
    return {str(s)[len(ns) :] for s in onto.subjects(RDF.type, None) if str(s).startswith(ns)}


def test_closed_namespace_matches_the_ontology(onto: Graph) -> None:
    """Every own term is declared, and every declared term is a term of POB or a concept of a scheme."""
    ns = str(POB._NS)
    concepts = {str(c)[len(ns) :] for c in onto.subjects(SKOS.inScheme, None) if str(c).startswith(ns)}
    assert concepts.isdisjoint(POB.__annotations__)
    assert declared(onto) == set(POB.__annotations__) | concepts


@pytest.mark.parametrize("prefix", list(SCHEMES))
def test_each_scheme_names_exactly_the_values_records_may_take(onto: Graph, prefix: Prefix) -> None:
    """The record model's Literal of values and the ontology's scheme of concepts are one list."""
    values, scheme = SCHEMES[prefix]
    in_scheme = {(c, str(onto.value(c, SKOS.notation))) for c in onto.subjects(SKOS.inScheme, scheme)}
    assert in_scheme == {(concept(prefix, v), v) for v in get_args(values)}


def test_closed_namespace_refuses_unknown_terms() -> None:
    with pytest.raises(AttributeError):
        _ = POB.twinedWith  # a typo must not mint a new IRI


@pytest.mark.parametrize("lang", ["en", "bg"])
def test_every_own_term_has_a_label_in(onto: Graph, lang: str) -> None:
    for name in declared(onto):
        term = URIRef(POB._NS + name)
        labels = [o for o in onto.objects(term, RDFS.label) if isinstance(o, Literal) and o.language == lang]
        assert labels, f"pob:{name} has no rdfs:label@{lang}"


@pytest.mark.parametrize("lang", ["en", "bg"])
def test_every_own_term_has_a_comment_in(onto: Graph, lang: str) -> None:
    for name in declared(onto):
        term = URIRef(POB._NS + name)
        comments = [o for o in onto.objects(term, RDFS.comment) if isinstance(o, Literal) and o.language == lang]
        assert len(comments) == 1, f"pob:{name} has {len(comments)} rdfs:comment@{lang}"


def test_every_own_term_is_defined_by_the_ontology(onto: Graph) -> None:
    """rdfs:isDefinedBy leads from each term to the document that defines them all (served at /ontology)."""
    ontology = URIRef(ONTOLOGY_IRI)
    assert (ontology, RDF.type, OWL.Ontology) in onto
    for name in declared(onto):
        assert set(onto.objects(URIRef(POB._NS + name), RDFS.isDefinedBy)) == {ontology}, name
    for lang in ("en", "bg"):
        assert any(c.language == lang for c in onto.objects(ontology, RDFS.comment) if isinstance(c, Literal))


def test_alignments_to_wikidata(onto: Graph) -> None:
    assert (POB.twinnedWith, SKOS.exactMatch, WDT.P190) in onto
    assert (POB.twinnedWith, RDF.type, OWL.SymmetricProperty) in onto
    # A claim's start is a qualifier of a P190 statement (pq:P580), not a direct claim of an item.
    qualifier = URIRef("http://www.wikidata.org/prop/qualifier/P580")
    assert (URIRef("https://schema.org/startDate"), SKOS.closeMatch, qualifier) in onto


WIKIDATA_PROPERTIES = tuple(
    "http://www.wikidata.org/prop/" + tail for tail in ("direct/", "statement/", "qualifier/", "")
)


def test_alignments_keep_classes_with_classes_and_properties_with_properties(onto: Graph) -> None:
    """A class is never matched to a Wikidata property, nor a property (or concept) to a Wikidata item."""
    for s, _p, o in [*onto.triples((None, SKOS.closeMatch, None)), *onto.triples((None, SKOS.exactMatch, None))]:
        target = str(o)
        is_property = target.startswith(WIKIDATA_PROPERTIES) and "/prop/" in target
        kinds = set(onto.objects(s, RDF.type))
        if kinds & {OWL.Class, RDFS.Class, SKOS.Concept}:
            assert not is_property, f"{s} (a class or concept) is aligned to the property {o}"
        if kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}:
            assert not target.startswith("http://www.wikidata.org/entity/"), f"{s} (a property) is aligned to {o}"


def test_every_own_property_is_aligned_or_refines_a_standard_one(onto: Graph) -> None:
    ns = str(POB._NS)
    for prop in set(onto.subjects(RDF.type, OWL.ObjectProperty)) | set(onto.subjects(RDF.type, OWL.DatatypeProperty)):
        if not str(prop).startswith(ns):
            continue
        links = [*onto.objects(prop, SKOS.closeMatch), *onto.objects(prop, SKOS.exactMatch)]
        links += list(onto.objects(prop, RDFS.subPropertyOf))
        assert links, f"{prop} is aligned to no standard term"


def test_concepts_are_in_a_scheme_with_a_notation(onto: Graph) -> None:
    for term in onto.subjects(RDF.type, SKOS.Concept):
        if term == POB.Mayor:
            continue
        assert onto.value(term, SKOS.inScheme) is not None, term
        assert onto.value(term, SKOS.notation) is not None, term
