"""The contract between build and server: what a published folder holds, and its manifest.

The build writes a folder of files and a manifest (``build.json``); the server reads nothing else. This
module is all either side knows of the other.
"""

import fcntl
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

TRIG = "pobratim.trig"
TURTLE = "pobratim.ttl"
JSONLD = "pobratim.jsonld"
NTRIPLES_GZ = "pobratim.nt.gz"
VOID = "void.ttl"
ONTOLOGY = "ontology.ttl"  # the ontology as the build read it: what /ontology serves
CONTEXT = "context.jsonld"  # the JSON-LD term context of the dump and the resource documents: /context.jsonld
CHECKSUMS = "SHA256SUMS"
# What each resource's page reads of the graph, gathered by the build (``pobratim.page_index``): SQLite.
PAGES = "pages.sqlite"
STORE = "store"
SOURCES = "sources"
QUERIES = "queries"
MANIFEST = "build.json"
# A saved query (queries/*.rq), as SPARQL 1.1 Query Language §C registers it (also the body type of a direct POST).
QUERY_MEDIA_TYPE = "application/sparql-query"

# The dumps, the dataset description, the ontology and the JSON-LD context, with the media type each is served as.
MEDIA_TYPES = {
    TRIG: "application/trig",
    TURTLE: "text/turtle",
    JSONLD: "application/ld+json",
    NTRIPLES_GZ: "application/n-triples",
    VOID: "text/turtle",
    ONTOLOGY: "text/turtle",
    CONTEXT: "application/ld+json",
}
# The dumps of the graph itself (the dataset description lists them as its distributions).
DUMPS = (TRIG, TURTLE, JSONLD, NTRIPLES_GZ)
# The files a server cannot serve a build without, besides its store (each is checked against its checksum).
REQUIRED = (*MEDIA_TYPES, PAGES, MANIFEST)


class NotABuild(Exception):
    """A folder that holds no complete published build."""


@dataclass(frozen=True)
class Manifest:
    """What a published build holds: its base IRI, build time, sizes, graphs and sources."""

    base: str
    built: str
    triples: int
    quads: int
    graphs: int
    graph_names: tuple[str, ...]
    sources: tuple[str, ...]

    def write(self, folder: Path) -> None:
        """Write the manifest into the build folder ``folder``."""
        (folder / MANIFEST).write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        """Read the manifest of the build in ``folder``; raise NotABuild when there is no complete build."""
        path = folder / MANIFEST
        if not (folder / STORE).is_dir() or not path.is_file():
            raise NotABuild(f"{folder} holds no published build (run `pobratim build` first)")
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                base=str(raw["base"]),
                built=str(raw["built"]),
                triples=int(raw["triples"]),
                quads=int(raw["quads"]),
                graphs=int(raw["graphs"]),
                graph_names=tuple(raw["graph_names"]),
                sources=tuple(raw["sources"]),
            )
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise NotABuild(f"{path} is not a pobratim manifest: {err}") from None


def version(folder: Path) -> str:
    """Name the build in ``folder`` by its checksum list, which changes whenever any published byte does."""
    return hashlib.sha256((folder / CHECKSUMS).read_bytes()).hexdigest()[:16]


def lease(folder: Path) -> int:
    """Take a reader's lease on the build in ``folder``: a shared lock, held while the descriptor is open.

    Every process that reads a build holds one (forked processes share it); ``in_use`` tells the build,
    which prunes old builds, not to delete one anybody still reads (flock(2): locks follow the open file).
    """
    fd = os.open(folder / MANIFEST, os.O_RDONLY | os.O_CLOEXEC)
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def in_use(folder: Path) -> bool:
    """Tell whether some process holds a lease on the build in ``folder``."""
    with claimed([folder]) as free:
        return not free


@contextmanager
def claimed(folders: Iterable[Path]) -> Iterator[bool]:
    """Keep new readers off the builds in ``folders`` while the block runs; yield False when a reader holds a
    lease on one already (then none is held). A reader's lease waits until the block ends (flock(2): an
    exclusive lock beside no shared one). A folder that is gone has no readers."""
    fds: list[int] = []
    seen: set[tuple[int, int]] = set()
    try:
        for folder in folders:
            try:
                fd = os.open(folder / MANIFEST, os.O_RDONLY | os.O_CLOEXEC)
            except FileNotFoundError:
                continue
            fds.append(fd)
            found = os.fstat(fd)
            if (found.st_dev, found.st_ino) in seen:  # the same build by another path (a link): locked already,
                continue  # and a second lock on it would wait for the first
            seen.add((found.st_dev, found.st_ino))
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
        yield True
    finally:
        for fd in fds:
            os.close(fd)  # closing releases the lock
