"""Where pobratim's files are: the one module that knows the project layout."""

from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Layout:
    """The input folders of a build and where it publishes."""

    data: Path = PROJECT_ROOT / "data"
    ontology: Path = PROJECT_ROOT / "ontology"
    shapes: Path = PROJECT_ROOT / "shapes"
    queries: Path = PROJECT_ROOT / "queries"
    dist: Path = PROJECT_ROOT / "dist"

    @property
    def sources(self) -> Path:
        return self.data / "sources"

    @property
    def records(self) -> Path:
        return self.data / "records"

    @property
    def links(self) -> Path:
        return self.data / "links"


DIST_FILES = {
    "trig": "pobratim.trig",
    "turtle": "pobratim.ttl",
    "jsonld": "pobratim.jsonld",
    "ntriples_gz": "pobratim.nt.gz",
    "void": "void.ttl",
    "checksums": "SHA256SUMS",
    "store": "store",
    "sources": "sources",
    "manifest": "build.json",
}
