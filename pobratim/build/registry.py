"""Describe the registry in the default graph: places, people, organisations, and each twinning
relation once."""

from collections.abc import Iterable

from rdflib import Literal, URIRef

from pobratim.build.built import GraphWriter
from pobratim.build.concepts import concept
from pobratim.core.ids import Iris
from pobratim.core.locales import LABEL_LANGUAGES
from pobratim.core.vocab import DCTERMS, GN, ORG, POB, RDF, RDFS, SDO, SKOS
from pobratim.records.corpus import Corpus
from pobratim.records.models import PARTY_KINDS


def _labels(g: GraphWriter, node: URIRef, labels: Iterable[tuple[str, str | None]]) -> None:
    for text, lang in labels:
        g.add((node, SKOS.prefLabel, Literal(text, lang=lang)))
        g.add((node, RDFS.label, Literal(text, lang=lang)))


def describe_registry(corpus: Corpus, iris: Iris, g: GraphWriter) -> None:
    """Describe the reviewed places, people and organisations (the default graph)."""
    for key, place in corpus.places.places.items():
        node = iris.place(key)
        g.add((node, RDF.type, SDO.Place))
        if place.kind in PARTY_KINDS:
            g.add((node, RDF.type, POB.Municipality))
        g.add((node, POB.placeKind, concept("placekind", place.kind)))
        _labels(g, node, place.labels)
        g.add((node, GN.countryCode, Literal(key[:2].upper())))
    for slug, person in corpus.people.people.items():
        node = iris.person(slug)
        g.add((node, RDF.type, SDO.Person))
        _labels(g, node, person.labels)
    for slug, org in corpus.people.organizations.items():
        node = iris.organization(slug)
        g.add((node, RDF.type, ORG.Organization))
        _labels(g, node, org.labels)


ENDED = {"ended", "transferred"}


def describe_relations(corpus: Corpus, iris: Iris, g: GraphWriter) -> None:
    """Describe each twinning relation once, in the default graph: its two parties, its name, and the
    ``pob:twinnedWith`` shortcut unless a source says the relation has ended (or passed to a successor).

    What each source says about a relation is in that source's claim; the relation itself is what the
    claims are about, so it lives where every source graph sees it (the gate checks events, successors
    and documents that point at it from any source).
    """
    places = corpus.places.places
    ended: dict[tuple[str, str], bool] = {}  # by the pair in sorted order: A–B and B–A are one relation
    successors: list[tuple[tuple[str, str], tuple[str, str]]] = []
    for rs in corpus.record_sets:
        for t in rs.records.twinnings:
            a, b = sorted((t.municipality, t.partner))
            ended[a, b] = ended.get((a, b), False) or t.status in ENDED or t.end is not None
            if t.replaces is not None:
                successors.append(((t.municipality, t.partner), (t.replaces[0], t.replaces[1])))
    for (a, b), is_ended in sorted(ended.items()):
        node = iris.twinning(a, b)
        g.add((node, RDF.type, POB.Twinning))
        g.add((node, POB.party, iris.place(a)))
        g.add((node, POB.party, iris.place(b)))
        for lang in LABEL_LANGUAGES:
            names = [n for k in (a, b) for n, tag in places[k].labels if tag == lang]
            if len(names) == 2:  # a place with no Bulgarian name (no source gives one) gives the pair none
                g.add((node, RDFS.label, Literal(" – ".join(names), lang=lang)))
        if not is_ended:
            g.add((iris.place(a), POB.twinnedWith, iris.place(b)))
            g.add((iris.place(b), POB.twinnedWith, iris.place(a)))
    for new, old in successors:
        g.add((iris.twinning(*old), DCTERMS.isReplacedBy, iris.twinning(*new)))
