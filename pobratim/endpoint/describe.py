"""The labels and sources pages name resources by, read once when a build is opened.

What the store says about one resource (its own statements, their parts, quotes and incoming links) is
``pobratim.page_index.describe``, which the build runs for every resource.
"""

import pyoxigraph as ox

from pobratim.core.vocab import DCTERMS, PROV, RDFS, SDO, SKOS
from pobratim.page_index import Description, describe
from pobratim.sparql.store import ReadStore

LABEL_PREDICATES = (
    ox.NamedNode(str(SKOS.prefLabel)),
    ox.NamedNode(str(RDFS.label)),
    ox.NamedNode(str(SDO.name)),
    ox.NamedNode(str(DCTERMS.title)),
)
DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))


LabelsByIri = dict[str, dict[str, str]]


def all_labels(store: ReadStore) -> LabelsByIri:
    """Read every named node's labels by language tag ("" for none), preferring skos:prefLabel.

    Read once when a build is opened: a page names dozens of resources (partners, sources, predicates,
    events), each label cost four reads of the on-disk store, and those reads were a third to a half of a
    page's time. At a million quads the labels are ≈ 95,000 literals of 38,000 resources: ≈ 22 MB, 1-4 s.
    """
    out: LabelsByIri = {}
    for predicate in LABEL_PREDICATES:
        for quad in store.quads_for_pattern(None, predicate, None, None):
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
                out.setdefault(quad.subject.value, {}).setdefault(quad.object.language or "", quad.object.value)
    return out


def pick(found: dict[str, str] | None, lang: str, fallback: str) -> str:
    """Choose a label in ``lang``, else English, else untagged, else any, else ``fallback``."""
    if not found:
        return fallback
    for key in (lang, "en", ""):
        if key in found:
            return found[key]
    return next(iter(found.values()))


def graph_sources(store: ReadStore) -> dict[str, str]:
    """Map each named graph to the source it was derived from (default graph statements)."""
    out = {}
    for quad in store.quads_for_pattern(None, DERIVED, None, ox.DefaultGraph()):
        if isinstance(quad.subject, ox.NamedNode) and "/graph/" in quad.subject.value:
            out[quad.subject.value] = quad.object.value if isinstance(quad.object, ox.NamedNode) else ""
    return out


__all__ = ["Description", "LabelsByIri", "all_labels", "describe", "graph_sources", "pick"]
