"""Assemble the dataset: the ontology, the registry, the sources and their facts, the alignments; the
source graphs built in forked workers when there are many."""

from functools import partial
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from pobratim.build.alignments import GAZETTEER_GRAPH, WIKIDATA_GRAPH, gazetteer_links, wikidata_links
from pobratim.build.built import BuiltDataset, Part, PartBuilder
from pobratim.build.mapping import describe_source, source_graphs
from pobratim.build.registry import describe_registry, describe_relations
from pobratim.core.ids import Iris
from pobratim.core.parallel import forked, worth_forking
from pobratim.core.vocab import DCTERMS, DEFAULT_LICENSE, RDF, VOID
from pobratim.records.corpus import Corpus


def load_ontology(folder: Path) -> Graph:
    """Parse every Turtle file of the ontology folder."""
    graph = Graph()
    for path in sorted(folder.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


PARTS_PER_WORKER = 4


def _build_part(corpus: Corpus, base: str, parts: int, index: int) -> Part:
    """In a forked worker: build every ``parts``-th record file, starting at ``index``."""
    part = PartBuilder()
    source_graphs(corpus, Iris(base), part, corpus.record_sets[index::parts])
    return part.part()


def build(corpus: Corpus, ontology: Graph, base: str, workers: int = 1, license: str = DEFAULT_LICENSE) -> BuiltDataset:
    """Build the dataset: ontology, places and sources in the default graph, facts per source graph.

    With ``workers`` > 1 and many record files, the source graphs are built in forked processes (the
    builder is Python, bound to one core) and merged; the result is the same dataset.
    """
    iris = Iris(base)
    ds = BuiltDataset()
    default = ds.graph()
    for triple in ontology:
        default.add(triple)
    # What every dump says of itself (the same words as void.ttl): the dataset, its IRIs' space, its licence.
    default.add((iris.dataset(), RDF.type, VOID.Dataset))
    default.add((iris.dataset(), VOID.uriSpace, Literal(base)))
    default.add((iris.dataset(), DCTERMS.license, URIRef(license)))

    def shared() -> None:
        describe_registry(corpus, iris, default)
        describe_relations(corpus, iris, default)
        for source in corpus.sources.values():
            describe_source(source, iris, default)
        gazetteer_links(corpus, iris, ds.graph(iris.graph(GAZETTEER_GRAPH)))
        if corpus.links is not None and corpus.links.accepted():
            wikidata_links(corpus, iris, ds.graph(iris.graph(WIKIDATA_GRAPH)))

    if worth_forking(len(corpus.record_sets), workers):
        # Several parts per worker, merged as each arrives: the merge overlaps the building of the rest
        # instead of following it (one part per worker left ~6 s of merging on one core at 1 M quads).
        parts = workers * PARTS_PER_WORKER
        with forked(partial(_build_part, corpus, base, parts), range(parts), workers, ordered=False) as built:
            shared()  # meanwhile, here
            for part in built:
                ds.merge(part)
    else:
        shared()
        source_graphs(corpus, iris, ds, corpus.record_sets)
    return ds.finish()
