"""The built dataset, held in an in-memory Oxigraph store: what the mapping writes, the gate
checks and Staging publishes.

rdflib's in-memory Dataset costs about 30 µs and 1.5 kB per quad, which at a million quads is most of a
minute and most of the memory budget; Oxigraph holds the same quads in Rust. The builder still speaks
rdflib terms (``graph(name).add((s, p, o))``), converted here once per quad.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from pobratim.core.vocab import PREFIXES, RDF

GraphName = ox.NamedNode | ox.DefaultGraph
_FLUSH_EVERY = 50_000
_RDF_TYPE = str(RDF.type)


class GraphWriter:
    """One graph of a BuiltDataset, with the ``add`` of an rdflib Graph."""

    def __init__(self, dataset: "BuiltDataset", name: GraphName) -> None:
        self._dataset = dataset
        self._name = name
        self.subjects = dataset.subjects.setdefault(name, set())
        self.predicates = dataset.predicates.setdefault(name, set())
        self.types = dataset.types.setdefault(name, set())

    @property
    def identifier(self) -> GraphName:
        return self._name

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        """Add one triple to this graph."""
        s, p, o = triple
        self._dataset.add_quad(s, p, o, self._name)
        self.subjects.add(str(s))
        predicate = str(p)
        self.predicates.add(predicate)
        if predicate == _RDF_TYPE:
            self.types.add(str(o))


@dataclass(frozen=True)
class Part:
    """A BuiltDataset made in another process: its quads as N-Quads and what it tracks, keyed by graph IRI
    ("" for the default graph)."""

    nquads: bytes
    subjects: dict[str, set[str]]
    predicates: dict[str, set[str]]
    types: dict[str, set[str]]


def text(term: object) -> str:
    """Return an Oxigraph term's lexical value (an IRI, a literal's text)."""
    return str(getattr(term, "value", term))


def select(store: ox.Store, query: str, **options: Any) -> list[ox.QuerySolution]:
    """Run a SELECT query; return its rows, the result iterator already gone.

    pyoxigraph's result iterator may only be dropped by the thread that made it (pyo3 "unsendable"); a
    finished frame that still held one, kept alive by a cycle (an exception's traceback), would be dropped by
    whichever thread the cycle collector next runs in (the build's writer thread), and raise there. Rows are
    plain values: any thread may drop them.
    """
    rows = store.query(query, **options)
    assert isinstance(rows, ox.QuerySolutions), "a SELECT query"
    found = list(rows)
    del rows  # here, in this thread, whatever later keeps this frame
    return found


def _key(name: GraphName) -> str:
    return name.value if isinstance(name, ox.NamedNode) else ""


class BuiltDataset:
    """Quads in named graphs (one per source) and the default graph (places, people, ontology)."""

    def __init__(self) -> None:
        self.store = ox.Store()
        # Per graph: its subjects (to group graphs for the gate), predicates and rdf:type classes (to tell
        # which compiled checks a graph can affect).
        self.subjects: dict[GraphName, set[str]] = {}
        self.predicates: dict[GraphName, set[str]] = {}
        self.types: dict[GraphName, set[str]] = {}
        self._iris: dict[str, ox.NamedNode] = {}
        self._bnodes: dict[str, ox.BlankNode] = {}
        self._pending: list[ox.Quad] = []

    def graph(self, name: URIRef | None = None) -> GraphWriter:
        """Return a writer for the named graph ``name`` (the default graph when None)."""
        if name is None or name == DATASET_DEFAULT_GRAPH_ID:
            return GraphWriter(self, ox.DefaultGraph())
        return GraphWriter(self, self._iri(str(name)))

    def _iri(self, value: str) -> ox.NamedNode:
        node = self._iris.get(value)
        if node is None:
            node = self._iris[value] = ox.NamedNode(value)
        return node

    def term(self, node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        """Convert an rdflib term to Oxigraph's."""
        if type(node) is URIRef:  # the common case first, without the isinstance chain
            value = str(node)
            iri = self._iris.get(value)
            if iri is None:
                iri = self._iris[value] = ox.NamedNode(value)
            return iri
        if isinstance(node, URIRef):
            return self._iri(str(node))
        if isinstance(node, BNode):
            blank = self._bnodes.get(str(node))
            if blank is None:
                blank = self._bnodes[str(node)] = ox.BlankNode(str(node))
            return blank
        if isinstance(node, Literal):
            if node.language:
                return ox.Literal(str(node), language=node.language)
            if node.datatype is not None:
                return ox.Literal(str(node), datatype=self._iri(str(node.datatype)))
            return ox.Literal(str(node))
        raise TypeError(f"not an RDF term: {node!r}")

    def add_quad(self, s: Node, p: Node, o: Node, g: GraphName) -> None:
        """Queue one quad; quads reach the store in batches (``extend`` is one transaction)."""
        subject = self.term(s)
        predicate = self.term(p)
        assert not isinstance(subject, ox.Literal) and isinstance(predicate, ox.NamedNode)
        self._pending.append(ox.Quad(subject, predicate, self.term(o), g))
        if len(self._pending) >= _FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Write the queued quads into the store."""
        if self._pending:
            self.store.extend(self._pending)
            self._pending = []

    def finish(self) -> "BuiltDataset":
        """Flush and drop the conversion caches; return self."""
        self.flush()
        self._iris.clear()
        self._bnodes.clear()
        return self

    def part(self) -> Part:
        """Return this dataset as a Part, to send to another process."""
        self.flush()
        return Part(self.store.dump(format=ox.RdfFormat.N_QUADS) or b"", *self._tracked())

    def _tracked(self) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, set[str]]]:
        def keyed(tracked: dict[GraphName, set[str]]) -> dict[str, set[str]]:
            return {_key(name): values for name, values in tracked.items()}

        return keyed(self.subjects), keyed(self.predicates), keyed(self.types)

    def merge(self, part: Part) -> None:
        """Add a Part's quads and tracking."""
        self.flush()
        self.store.load(part.nquads, format=ox.RdfFormat.N_QUADS)
        for tracked, incoming in (
            (self.subjects, part.subjects),
            (self.predicates, part.predicates),
            (self.types, part.types),
        ):
            for key, values in incoming.items():
                name: GraphName = self._iri(key) if key else ox.DefaultGraph()
                tracked.setdefault(name, set()).update(values)

    def named_graphs(self) -> list[ox.NamedNode]:
        """Return the names of the named graphs that hold quads, sorted."""
        return sorted((g for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)

    def __len__(self) -> int:
        self.flush()
        return len(self.store)

    def quads(self) -> Iterator[ox.Quad]:
        """Iterate over every quad."""
        self.flush()
        return iter(self.store)

    def to_dataset(self) -> Dataset:
        """Return the quads as an rdflib Dataset (for small data: tests and tools)."""
        self.flush()
        ds = Dataset()
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns, override=True, replace=True)
        ds.parse(data=self.store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
        return ds


class PartBuilder(BuiltDataset):
    """A BuiltDataset built in a worker process only to be sent as a Part: its quads are written as N-Quads as
    they come, never into a store of its own (the store that merges the part drops a quad stated twice). Storing
    them, to dump them again, cost about a third of a worker's time at 2 M quads."""

    def __init__(self) -> None:
        super().__init__()
        self._written: list[bytes] = []

    def flush(self) -> None:
        if self._pending:
            self._written.append(ox.serialize(self._pending, format=ox.RdfFormat.N_QUADS) or b"")
            self._pending = []

    def part(self) -> Part:
        self.flush()
        return Part(b"".join(self._written), *self._tracked())


__all__ = ["BuiltDataset", "GraphName", "GraphWriter", "Part", "PartBuilder", "text"]
