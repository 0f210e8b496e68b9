"""The SHACL gate: validate each source's graph (with the shared default graph) against shapes/."""

from dataclasses import dataclass, field, replace
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

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


def batches(graphs: list[Graph]) -> list[list[Graph]]:
    """Group named graphs so that no two graphs of a group describe the same subject.

    The shapes constrain a focus node by its own statements (and the default graph's). When no subject
    occurs in two graphs of a group, every focus node of the group sees exactly the statements of its own
    source graph: validating the group's union gives what validating each graph alone gives (a count such as
    "one start per source" stays per source), in a handful of runs instead of one per source.
    """
    groups: list[tuple[list[Graph], set[Node]]] = []
    for g in sorted(graphs, key=lambda g: (-len(g), str(g.identifier))):
        subjects = set(g.subjects())
        for members, taken in groups:
            if not subjects & taken:
                members.append(g)
                taken |= subjects
                break
        else:
            groups.append(([g], subjects))
    return [sorted(members, key=lambda g: str(g.identifier)) for members, _taken in groups]


def validate(ds: Dataset, shapes: Graph) -> Report:
    """Validate the named graphs of ``ds``, each with the default graph (the default alone if none)."""
    default = ds.graph(DATASET_DEFAULT_GRAPH_ID)
    report = Report()
    named = [g for g in ds.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID]
    if not named:
        report.violations.extend(validate_graph(default, shapes, "default"))
        report.graphs_checked = 1
        return report
    seen: set[tuple[str, str, str | None, str]] = set()
    for group in batches(named):
        merged = Graph()
        for triple in default:
            merged.add(triple)
        owner: dict[object, str] = {}
        for g in group:
            for triple in g:
                merged.add(triple)
                owner.setdefault(triple[0], str(g.identifier))
        name = str(group[0].identifier) if len(group) == 1 else f"{len(group)} graphs"
        for v in validate_graph(merged, shapes, name):
            key = (v.focus, v.shape, v.path, v.message)
            if key not in seen:  # a default-graph problem is found again in every group: report it once
                seen.add(key)
                report.violations.append(replace(v, graph=owner.get(URIRef(v.focus), "default graph")))
        report.graphs_checked += len(group)
    report.violations.sort(key=lambda v: (v.graph, v.record or "", v.focus, v.shape, v.message))
    return report


__all__ = ["Report", "Violation", "load_shapes", "validate", "validate_graph"]
