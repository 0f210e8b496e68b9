"""What the store says about one resource: its own statements, their parts, quotes and incoming links."""

from dataclasses import dataclass, field

import pyoxigraph as ox

from pobratim.core.vocab import DCTERMS, OA, PROV, RDFS, SDO, SKOS
from pobratim.sparql.store import ReadStore

LABEL_PREDICATES = (
    ox.NamedNode(str(SKOS.prefLabel)),
    ox.NamedNode(str(RDFS.label)),
    ox.NamedNode(str(SDO.name)),
    ox.NamedNode(str(DCTERMS.title)),
)
HAS_BODY = ox.NamedNode(str(OA.hasBody))
DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))


@dataclass
class Description:
    """The quads that describe a resource, split by role."""

    own: list[ox.Quad] = field(default_factory=list)
    parts: list[ox.Quad] = field(default_factory=list)
    quotes: list[ox.Quad] = field(default_factory=list)
    incoming: list[ox.Quad] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.own or self.incoming)

    def all(self) -> list[ox.Quad]:
        return [*self.own, *self.parts, *self.quotes, *self.incoming]


def _closure(store: ReadStore, root: ox.NamedNode, seen: set[str]) -> list[ox.Quad]:
    """Return the quads of ``root`` and of the hash-named nodes inside it (``root#interval``, ``#selector``…)."""
    base = root.value.split("#")[0]
    found: list[ox.Quad] = []
    todo = [root]
    while todo:
        node = todo.pop()
        if node.value in seen:
            continue
        seen.add(node.value)
        for quad in store.quads_for_pattern(node, None, None, None):
            found.append(quad)
            if isinstance(quad.object, ox.NamedNode) and quad.object.value.startswith(base + "#"):
                todo.append(quad.object)
    return found


def _order(quad: ox.Quad) -> tuple[str, str, str, str]:
    return str(quad.subject), quad.predicate.value, str(quad.object), str(quad.graph_name)


def describe(store: ReadStore, iri: str) -> Description:
    """Collect the description of ``iri`` from every graph, each part in one order whatever the store.

    Stores list a resource's quads in the order of their own indexes (Oxigraph by its term encoding,
    Virtuoso by its IRI ids): sorted, a page and a resource document are the same on either store.
    """
    node = ox.NamedNode(iri)
    seen: set[str] = set()
    d = Description()
    for quad in _closure(store, node, seen):
        (d.own if quad.subject == node else d.parts).append(quad)
    # The quotes behind the resource and behind its parts (the claims sources make about it).
    bodies = [node, *{q.subject for q in d.parts if isinstance(q.subject, ox.NamedNode)}]
    annotations = {
        q.subject.value
        for body in bodies
        for q in store.quads_for_pattern(None, HAS_BODY, body, None)
        if isinstance(q.subject, ox.NamedNode)
    }
    for annotation in sorted(annotations):
        d.quotes.extend(_closure(store, ox.NamedNode(annotation), seen))
    d.incoming = [q for q in store.quads_for_pattern(None, None, node, None) if q.predicate != HAS_BODY]
    for part in (d.own, d.parts, d.quotes, d.incoming):
        part.sort(key=_order)
    return d


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
