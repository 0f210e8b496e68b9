"""What the endpoint needs of a store, and what each store gives: the one interface between them.

A store (``pobratim.oxigraph``, ``pobratim.virtuoso``) gives a ``Store``: a check that it can serve a build,
what the web processes of ``pobratim serve`` share, and, in each web process, the reads its pages make
(``ReadStore``) and the runner /sparql hands queries to (``QueryRunner``). ``pobratim.stores`` lists them.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from pobratim.settings import Settings
from pobratim.sparql.answers import Answer, QueryJob


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


def _nothing() -> None:
    """Nothing to stop."""


@dataclass(frozen=True)
class Shared:
    """What the web processes serving one build share: the settings that lead them to it, and its stop."""

    settings: Settings
    close: Callable[[], None] = _nothing


class Store(Protocol):
    """One kind of store behind the endpoint."""

    def check(self, settings: Settings, dist: Path) -> None:
        """Raise NotABuild unless this store can serve the build in ``dist`` now."""
        ...

    def share(self, settings: Settings, dist: Path) -> Shared:
        """Start what every web process serving the build in ``dist`` shares; raise RuntimeError if it fails."""
        ...

    def open(
        self, settings: Settings, dist: Path, version: str, graphs: tuple[str, ...]
    ) -> tuple[ReadStore, QueryRunner]:
        """Open, in one web process, the reads of pages and the runner of /sparql for the build in ``dist``."""
        ...
