"""Where pobratim's files are: the one module that knows the layout of a project and of the package.

A project is a folder of the publisher's: ``data/`` holds its inputs, ``dist/`` what a build publishes. It
defaults to the current folder (``--project DIR`` names another), as with datasette or mkdocs; nothing is
read from or written to the place pobratim is installed. The ontology, the shapes and the example queries
ship inside the package.
"""

from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
ONTOLOGY = PACKAGE / "ontology"
SHAPES = PACKAGE / "shapes"
QUERIES = PACKAGE / "queries"
# Where a project keeps its inputs, and where a build publishes (and the server serves from), in its folder.
DATA = "data"
DIST = "dist"


@dataclass(frozen=True)
class Layout:
    """The input folders of a build and where it publishes."""

    data: Path
    dist: Path
    ontology: Path = ONTOLOGY
    shapes: Path = SHAPES
    queries: Path = QUERIES

    @classmethod
    def at(cls, project: Path | None = None) -> "Layout":
        """Return the layout of the project in ``project`` (the current folder by default)."""
        root = Path.cwd() if project is None else project
        return cls(data=root / DATA, dist=root / DIST)

    @property
    def sources(self) -> Path:
        return self.data / "sources"

    @property
    def records(self) -> Path:
        return self.data / "records"

    @property
    def links(self) -> Path:
        return self.data / "links"

    @property
    def cache(self) -> Path:
        """Where answers from Wikidata are kept between runs (beside ``data/``)."""
        return self.data.parent / ".cache"
