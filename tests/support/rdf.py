"""Read rdflib graphs in tests: one graph of a dataset's triples, and a SELECT query's rows typed."""

from collections.abc import Mapping

from rdflib import Dataset, Graph
from rdflib.query import ResultRow
from rdflib.term import Identifier


def union(ds: Dataset) -> Graph:
    """Return every triple of every graph of ``ds`` as one graph."""
    g = Graph()
    for s, p, o, _ctx in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def select(
    graph: Graph, query: str, ns: Mapping[str, str] | None = None, bindings: Mapping[str, Identifier] | None = None
) -> list[ResultRow]:
    """Run the SELECT ``query`` on ``graph`` (prefixes ``ns``, variables bound by ``bindings``): its rows."""
    rows = []
    for row in graph.query(query, initNs=ns, initBindings=bindings):
        assert isinstance(row, ResultRow), "not a SELECT query"
        rows.append(row)
    return rows


def ask(graph: Graph, query: str, ns: Mapping[str, str] | None = None) -> bool:
    """Run the ASK ``query`` on ``graph``: its answer."""
    answer = graph.query(query, initNs=ns).askAnswer
    assert answer is not None, "not an ASK query"
    return answer
