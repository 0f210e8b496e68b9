"""What the application holds while it serves one published build (kept in ``app.extensions``)."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app

from pobratim import published
from pobratim.endpoint.budget import Budget
from pobratim.endpoint.describe import LabelsByIri, all_labels, graph_sources
from pobratim.endpoint.display_labels import with_display_labels
from pobratim.endpoint.lru import LRUCache
from pobratim.endpoint.network import Network, Point, aggregate, points, relations
from pobratim.endpoint.search_index import SearchIndex, search_index
from pobratim.page_index import PageIndex
from pobratim.published import Manifest, NotABuild
from pobratim.settings import Settings
from pobratim.sparql.answers import Answer
from pobratim.sparql.store import QueryRunner, ReadStore
from pobratim.stores import chosen

EXTENSION = "pobratim"


@dataclass(frozen=True)
class SavedQuery:
    """An example query published with the build: its name, what it answers, its text."""

    name: str
    comment: str
    text: str


@dataclass
class State:
    """The served build: its folder, store, query workers and version."""

    settings: Settings
    dist: Path
    store: ReadStore
    pool: QueryRunner
    manifest: Manifest
    version: str
    queries: dict[str, SavedQuery]
    graph_sources: dict[str, str]  # each named graph's source: fixed for a build, read once at start
    labels: LabelsByIri  # every resource's labels by language, by IRI: fixed for a build, read once at start
    budget: Budget  # each client's share of the query workers
    lease: int  # a reader's lease on the build folder: no build prunes it while this process reads it
    search: SearchIndex  # every place's folded labels: fixed for a build, built once at start
    network: Network  # the landing map's relations, aggregated at world scale: fixed for a build, read at start
    points: dict[str, Point]  # every place's (latitude, longitude), for the maps of pages: read once at start
    pages: PageIndex  # what each resource's page reads of the graph, as the build gathered it
    documents: LRUCache[bytes] = field(default_factory=LRUCache)  # resource documents by ETag
    answers: LRUCache[Answer] = field(default_factory=LRUCache)  # SPARQL answers by ETag

    @property
    def base(self) -> str:
        return self.settings.base_iri


def load_queries(folder: Path) -> dict[str, SavedQuery]:
    """Read the example queries; the first comment line says what each answers."""
    queries = {}
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        queries[path.stem] = SavedQuery(path.stem, first.lstrip("# ").strip(), text)
    return queries


def check_build(settings: Settings) -> tuple[Path, Manifest]:
    """Return the published folder ``DIST`` and its manifest; raise NotABuild when it cannot be served."""
    dist = settings.dist.resolve()
    manifest = Manifest.read(dist)
    if manifest.base != settings.base_iri:
        raise NotABuild(
            f"the build in {settings.dist} was made for the base IRI {manifest.base!r}, "
            f"this server is configured for {settings.base_iri!r}"
        )
    return dist, manifest


def verify_files(dist: Path) -> None:
    """Check every published file against its checksum in ``SHA256SUMS``; raise RuntimeError naming one that
    is missing or changed (a damaged disk, a copy cut short, a hand edit)."""
    sums = dist / published.CHECKSUMS
    try:
        lines = sums.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise RuntimeError(f"the build in {dist} has no readable {published.CHECKSUMS}: {err}") from None
    listed = {line.partition("  ")[2] for line in lines}
    for name in published.REQUIRED:
        if name not in listed:
            raise RuntimeError(
                f"the build in {dist} has no {name} (a build by an older pobratim?); build again with `pobratim build`"
            )
    for number, line in enumerate(lines, start=1):
        expected, _, name = line.partition("  ")
        if not name:
            raise RuntimeError(f"{sums}, line {number}: not a checksum line: {line!r}")
        path = dist / name
        try:
            with path.open("rb") as f:
                found = hashlib.file_digest(f, "sha256").hexdigest()
        except OSError as err:
            raise RuntimeError(f"the published file {path} cannot be read: {err}") from None
        if found != expected:
            raise RuntimeError(
                f"the published file {path} does not match its checksum in {sums} (line {number}); "
                "build again with `pobratim build`"
            )


def open_state(settings: Settings) -> State:
    """Open the build in ``DIST``; never rebuild, never write."""
    dist, manifest = check_build(settings)
    lease = published.lease(dist)
    version = published.version(dist)  # it versions ETags
    store, pool = chosen(settings.store).open(settings, dist, version, tuple(manifest.graph_names))
    queries = load_queries(dist / published.QUERIES)
    # One client never holds every query worker (when there are two or more): its other queries wait.
    budget = Budget(
        settings.client_max_queries,
        settings.client_query_seconds,
        max_running=max(1, settings.query_workers - 1),
        max_waiting=settings.queue_length,
    )
    where = points(store)
    return State(
        settings,
        dist,
        store,
        pool,
        manifest,
        version,
        queries,
        graph_sources(store),
        with_display_labels(store, all_labels(store)),
        budget,
        lease,
        search_index(store),
        aggregate(relations(store), where),
        where,
        PageIndex(dist / published.PAGES),
    )


def state(app: Flask | None = None) -> State:
    """Return the state of ``app`` (the current app by default)."""
    found: State = (app or current_app).extensions[EXTENSION]
    return found
