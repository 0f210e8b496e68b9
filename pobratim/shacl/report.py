"""What the SHACL gate reports: violations located in the dataset and, where known, in the record files."""

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef


@dataclass(frozen=True)
class Violation:
    """One SHACL result, located in the dataset and, where known, in the record files."""

    graph: str
    focus: str
    shape: str
    path: str | None
    message: str
    severity: str
    record: str | None = None

    def __str__(self) -> str:
        where = f"record {self.record}" if self.record else f"graph <{self.graph}>"
        path = f" {self.path}" if self.path else ""
        return f"{where}: <{self.focus}>{path}: {self.message} [{self.shape}, {self.severity}]"


@dataclass
class Report:
    """What the gate found; ``conforms`` is true when there is no violation."""

    violations: list[Violation] = field(default_factory=list)
    graphs_checked: int = 0

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)


def load_shapes(folder: Path) -> Graph:
    """Parse every Turtle file of the shapes folder."""
    shapes = Graph()
    for path in sorted(folder.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def short_name(node: object, shapes: Graph) -> str:
    if isinstance(node, URIRef):
        return shapes.namespace_manager.normalizeUri(node)
    return str(node)


def order(v: Violation) -> tuple[str, str, str, str, str]:
    """Sort violations by graph, record, focus node, shape and message."""
    return (v.graph, v.record or "", v.focus, v.shape, v.message)
