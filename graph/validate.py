"""The SHACL gate: validate each source's graph (with the shared default graph) against shapes/."""

from dataclasses import dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .vocab import DCTERMS, OA, SH


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


def _short(node: object, shapes: Graph) -> str:
    if isinstance(node, URIRef):
        return shapes.namespace_manager.normalizeUri(node)
    return str(node)


def _record_of(focus: URIRef, data: Graph) -> str | None:
    """Name the record a focus node came from: the identifier on a quote that supports it."""
    for quote in data.subjects(OA.hasBody, focus):
        ident = data.value(quote, DCTERMS.identifier)
        if ident is not None:
            return str(ident)
    return None


def validate_graph(data: Graph, shapes: Graph, graph_name: str) -> list[Violation]:
    """Validate one graph; return its results."""
    _conforms, results, _text = shacl_validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=True
    )
    if not isinstance(results, Graph):
        # pyshacl returns its failure (e.g. a malformed shape) instead of a report graph.
        raise ValueError(f"SHACL validation of {graph_name} failed to run: {_text}")
    found = []
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        source_shape = results.value(result, SH.sourceShape)
        # A property shape is a blank node: name the node shape that holds it instead.
        node_shape = shapes.value(None, SH.property, source_shape) or source_shape
        path = results.value(result, SH.resultPath)
        messages = [str(m) for m in results.objects(result, SH.resultMessage)]
        severity = results.value(result, SH.resultSeverity)
        found.append(
            Violation(
                graph=graph_name,
                focus=str(focus),
                shape=_short(node_shape, shapes),
                path=_short(path, shapes) if path is not None else None,
                message="; ".join(messages) or "(no message)",
                severity=str(severity).rsplit("#", 1)[-1],
                record=_record_of(focus, data) if isinstance(focus, URIRef) else None,
            )
        )
    return sorted(found, key=lambda v: (v.graph, v.record or "", v.focus, v.shape, v.message))


def validate(ds: Dataset, shapes: Graph) -> Report:
    """Validate each named graph of ``ds`` merged with the default graph (the default alone if none)."""
    default = ds.graph(DATASET_DEFAULT_GRAPH_ID)
    report = Report()
    named = sorted(
        (g for g in ds.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID), key=lambda g: str(g.identifier)
    )
    if not named:
        report.violations.extend(validate_graph(default, shapes, "default"))
        report.graphs_checked = 1
        return report
    for g in named:
        merged = Graph()
        for triple in default:
            merged.add(triple)
        for triple in g:
            merged.add(triple)
        report.violations.extend(validate_graph(merged, shapes, str(g.identifier)))
        report.graphs_checked += 1
    return report


__all__ = ["Report", "Violation", "load_shapes", "validate", "validate_graph"]
