"""The SHACL gate: validate each source's graph (with the shared default graph) against the shapes."""

from collections.abc import Callable

import pyoxigraph as ox
from rdflib import Graph, URIRef

from pobratim.build.built import BuiltDataset, select, text
from pobratim.core.vocab import DCTERMS, OA, POB
from pobratim.shacl.compiler import (
    ALL_GRAPHS,
    OVER,
    Check,
    Result,
    Unsupported,
    View,
    compile_shapes,
    run_checks,
    subclasses,
)
from pobratim.shacl.reference import pyshacl_view, record_of
from pobratim.shacl.report import Report, Violation, order, short_name


def batches(subjects: dict[str, set[str]], count: int = 1) -> list[list[str]]:
    """Group named graphs (name -> its subjects) so that no two graphs of a group describe the same subject.

    The shapes constrain a focus node by its own statements (and the default graph's). When no subject
    occurs in two graphs of a group, every focus node of the group sees exactly the statements of its own
    source graph: validating the group's union gives what validating each graph alone gives (a count such as
    "one start per source" stays per source), in a handful of runs instead of one per source.
    The graphs, largest first, are spread over ``count`` groups (a group is copied into one graph while it is
    checked), each into the group with the fewest subjects it shares none with; a graph that shares a subject with
    every group opens another. (Groups capped at a quarter of the subjects, filled first come first, left the
    graphs that fitted nowhere a fifth group of one graph at 2 M quads, which cost a whole run of the checks.)
    """
    groups: list[tuple[list[str], set[str]]] = []
    for name in sorted(subjects, key=lambda n: (-len(subjects[n]), n)):
        mine = subjects[name]
        free = [group for group in groups if group[1].isdisjoint(mine)]
        if len(groups) < count or not free:
            groups.append(([name], set(mine)))
            continue
        members, taken = min(free, key=lambda group: len(group[1]))
        members.append(name)
        taken |= mine
    return [sorted(members) for members, _taken in groups]


def _violations(
    results: list[Result], shapes: Graph, owner: Callable[[str], str], record: Callable[[str], str | None]
) -> list[Violation]:
    return [
        Violation(
            graph=owner(text(r.focus)),
            focus=text(r.focus),
            shape=short_name(URIRef(str(r.node_shape)) if isinstance(r.node_shape, URIRef) else r.node_shape, shapes),
            path=short_name(r.path, shapes) if r.path is not None else None,
            message=r.message,
            severity=r.severity,
            record=record(text(r.focus)) if isinstance(r.focus, ox.NamedNode) else None,
        )
        for r in results
    ]


def check_graph(data: Graph, shapes: Graph, graph_name: str) -> list[Violation]:
    """Validate one rdflib graph with the compiled checks (the same results validate_graph gives)."""
    store = ox.Store()
    store.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    results = run_checks(store, compile_shapes(shapes), [ox.DefaultGraph()])
    found = _violations(results, shapes, lambda _f: graph_name, lambda f: record_of(URIRef(f), data))
    return sorted(set(found), key=order)


_OWNER = """SELECT ?g ?focus WHERE { VALUES ?g { %s } GRAPH ?g { ?focus ?p ?o } } LIMIT 1"""
# A fact's quote names its record; a shared resource (a relation) is named by the record of a claim about it.
_RECORD = f"""SELECT ?id ?focus WHERE {{
    {{ ?q <{OA.hasBody}> ?focus }} UNION {{ ?focus <{POB.claim}> ?claim . ?q <{OA.hasBody}> ?claim }}
    ?q <{DCTERMS.identifier}> ?id }} ORDER BY ?id LIMIT 1"""
_GROUP = ox.NamedNode("urn:pobratim:validation-group")
# The graphs are spread over GROUPS groups (one per GROUP_MIN_SUBJECTS subjects in smaller builds): a group is
# copied while checked, beside a copy of the default graph, so a group's share bounds the memory the gate adds.
# Each group costs a copy of the default graph and a run of every check whose focus nodes are there (pob:twinnedWith's
# queries scan every relation, 0.8 s a run at 2 M quads): at 2 M quads, with groups capped at an eighth, a quarter
# and a third of the subjects (9, 5, 4 groups), the gate took 47.8, 37.2, 33.4 s of CPU and 1,476, 1,653, 1,751 MB
# at its peak, alone.
GROUPS = 4
GROUP_MIN_SUBJECTS = 5_000


def validate(ds: BuiltDataset, shapes: Graph, progress: Callable[[str], None] = lambda _m: None) -> Report:
    """Validate each named graph of ``ds`` together with the default graph (the default alone if none).

    The shapes run as compiled SPARQL on Oxigraph, one run per group of graphs that share no subject
    (see ``batches``), each in a scratch store: ``ds`` is only read. pyshacl runs instead when the shapes
    use a feature the compiler lacks.
    """
    store = ds.store
    ds.flush()
    try:
        checks: list[Check] | None = compile_shapes(shapes)
    except Unsupported as err:
        progress(f"shapes not compiled ({err}): validating with pyshacl")
        checks = None
    named = {g.value: ds.subjects.get(g, set()) for g in ds.named_graphs()}
    # Shapes that must see every graph at once (a twinning and the claims its sources make in their graphs)
    # run once over the union, not per group, where a claim in a graph outside the group would be missed.
    whole = set(shapes.subjects(OVER, ALL_GRAPHS))
    everything = [c for c in checks or [] if c.node_shape in whole]
    checks = None if checks is None else [c for c in checks if c.node_shape not in whole]
    report = Report()
    seen: set[tuple[str, str, str | None, str]] = set()

    def keep(found: list[Violation]) -> None:
        for v in found:
            key = (v.focus, v.shape, v.path, v.message)
            if key not in seen:  # a default-graph problem is found again in every group: report it once
                seen.add(key)
                report.violations.append(v)

    closures: dict[frozenset[str], set[str]] = {}

    def closure(classes: frozenset[str]) -> set[str]:
        if classes not in closures:
            closures[classes] = set(_closure(store, classes))
        return closures[classes]

    default_only: list[Check] = [] if checks is not None and named else list(checks or [])
    shared = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""
    count = max(1, min(GROUPS, sum(len(v) for v in named.values()) // GROUP_MIN_SUBJECTS))
    for group in batches(named, count):
        graphs = [ox.NamedNode(g) for g in group]
        predicates = set().union(*(ds.predicates.get(g, set()) for g in graphs))
        types = set().union(*(ds.types.get(g, set()) for g in graphs))
        mine = [c for c in checks or [] if _affects(c, predicates, types, closure)]
        # A check no graph of the group can affect gives what it gives on the default graph alone: run it once.
        default_only += [c for c in checks or [] if c not in mine and c not in default_only]
        # The group is checked in a scratch store of its own beside a copy of the default graph: the gate
        # never writes into the dataset, whose dumps are written meanwhile. (Naming the group's graphs as
        # the query's default graph reads only too, but Oxigraph then matches each pattern in each of
        # hundreds of graphs: at 1 M quads the gate took 138 s instead of 48. One scratch store for every
        # group, its graph removed after each, kept the removed quads: 150 MB more at the peak.)
        scratch = _scratch(store, shared, graphs)
        view: View = [ox.DefaultGraph(), _GROUP]
        if checks is not None:
            keep(_violations(run_checks(scratch, mine, view), shapes, _owner(store, group), _record(store)))
        else:
            keep(pyshacl_view(scratch, view, shapes, _owner(store, group)))
        report.graphs_checked += len(group)
    if checks is None and not named:
        keep(pyshacl_view(store, [ox.DefaultGraph()], shapes, _owner(store, [])))
    if default_only:
        keep(
            _violations(run_checks(store, default_only, [ox.DefaultGraph()]), shapes, _owner(store, []), _record(store))
        )
    if everything:
        # None: every graph of the store, the default graph and each named one (compiler.data_graph).
        keep(_violations(run_checks(store, everything, None), shapes, _owner(store, []), _record(store)))
    report.graphs_checked = report.graphs_checked or 1
    report.violations.sort(key=order)
    return report


def _scratch(store: ox.Store, shared: bytes, graphs: list[ox.NamedNode]) -> ox.Store:
    """Return a new store holding ``shared`` as its default graph and the union of ``graphs`` as one graph."""
    scratch = ox.Store()
    scratch.load(shared, format=ox.RdfFormat.N_TRIPLES)
    group = b"".join(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) or b"" for g in graphs)
    scratch.load(group, format=ox.RdfFormat.N_TRIPLES, to_graph=_GROUP)
    return scratch


def _affects(
    check: Check, predicates: set[str], types: set[str], closure: Callable[[frozenset[str]], set[str]]
) -> bool:
    """Tell whether graphs holding these predicates and rdf:type classes hold a statement the check can match."""
    if check.reads is None or not check.reads.isdisjoint(predicates):
        return True
    return bool(check.classes) and not closure(check.classes).isdisjoint(types)


def _closure(store: ox.Store, classes: frozenset[str]) -> list[str]:
    """The classes and, by rdfs:subClassOf in the default graph, their subclasses."""
    return [c for cls in sorted(classes) for c in subclasses(store, cls, [ox.DefaultGraph()])]


def _owner(store: ox.Store, group: list[str]) -> Callable[[str], str]:
    """Name the graph of the group in which a focus node is a subject (else the default graph)."""
    members = " ".join(f"<{g}>" for g in group)

    def owner(focus: str) -> str:
        if not group:
            return "default"
        for row in select(store, _OWNER % members, substitutions={ox.Variable("focus"): ox.NamedNode(focus)}):
            return text(row["g"])
        return "default graph"

    return owner


def _record(store: ox.Store) -> Callable[[str], str | None]:
    """Name the record a focus node came from: the identifier on a quote that supports it."""

    def record(focus: str) -> str | None:
        rows = select(
            store, _RECORD, substitutions={ox.Variable("focus"): ox.NamedNode(focus)}, use_default_graph_as_union=True
        )
        for row in rows:
            return text(row["id"])
        return None

    return record


__all__ = ["Report", "Violation", "batches", "check_graph", "validate"]
