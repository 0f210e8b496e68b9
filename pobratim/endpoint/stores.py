"""What the endpoint needs of a store: the reads its pages make, and the runner /sparql hands queries to.

The embedded store gives them as a read-only ``pyoxigraph.Store`` and a ``QueryPool`` of worker processes;
Virtuoso (``STORE=virtuoso``) as ``virtuoso.store.RemoteStore`` and ``virtuoso.pool.VirtuosoPool``.
"""

from collections.abc import Iterator
from typing import Protocol

import pyoxigraph as ox

from pobratim.endpoint.query.evaluate import Answer, QueryJob


class ReadStore(Protocol):
    """The reads of pages, labels, search, the map and /health: pobratim's own queries, never a client's."""

    def query(self, query: str, /) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples: ...

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        obj: ox.NamedNode | ox.BlankNode | ox.Literal | None,
        graph_name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None,
        /,
    ) -> Iterator[ox.Quad]: ...


class QueryRunner(Protocol):
    """Where /sparql's queries run, each within its deadline, with the outcome ``problems.py`` maps."""

    def run(self, job: QueryJob, timeout: float, queue_timeout: float) -> Answer: ...

    def workers(self) -> tuple[int, int]: ...

    def pids(self) -> list[int]: ...

    def running(self) -> list[tuple[str, float]]: ...

    def close(self) -> None: ...
