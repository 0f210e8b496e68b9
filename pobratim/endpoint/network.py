"""The whole network of twinnings for the landing page's map: read once per build, aggregated at world scale.

Every twinning whose two parties have a point (``geo:lat``/``geo:long``) is a relation on the map. Up to
``MAX_LINES`` relations and ``MAX_MARKS`` towns, each relation is a line between its two towns. Beyond, the
relations are grouped by the pair of grid cells their towns fall in (cells of ``GRID_DEGREES``, the finest
that gives at most ``MAX_LINES`` groups): one line per pair of cells, as thick as the relations it stands
for, between the cells' centres. If even the coarsest grid gives more groups, the heaviest ``MAX_LINES``
are kept (ties broken by the cells' coordinates), and the page says how many relations they cover.
"""

import math
from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox

from pobratim.core.vocab import GEO, POB, RDF
from pobratim.sparql.store import ReadStore

MAX_LINES = 2000
MAX_MARKS = 1000
GRID_DEGREES = (1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 90.0)
LAT, LONG = ox.NamedNode(str(GEO.lat)), ox.NamedNode(str(GEO.long))
PARTY, TYPE, TWINNING = ox.NamedNode(str(POB.party)), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(POB.Twinning))

Point = tuple[float, float]  # (latitude, longitude)


@dataclass(frozen=True)
class Mark:
    """A town (``iri`` set) or, aggregated, a grid cell's centre with the number of towns in it."""

    lat: float
    long: float
    iri: str = ""
    towns: int = 1


@dataclass(frozen=True)
class Network:
    """What the landing map draws: marks, lines between them (mark indices and relation count), and how."""

    relations: int  # twinnings in the build
    mapped: int  # twinnings whose two parties have a point
    shown: int  # relations the drawn lines stand for (``mapped`` unless the heaviest groups were kept)
    marks: list[Mark]
    lines: list[tuple[int, int, int]]
    grid: float | None  # the cell size in degrees when aggregated, else None


def _number(quad: ox.Quad) -> float | None:
    if not isinstance(quad.object, ox.Literal):
        return None
    try:
        value = float(quad.object.value)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def points(store: ReadStore) -> dict[str, Point]:
    """Every place's (latitude, longitude), from any graph; the first of several values."""
    found: dict[str, dict[str, float]] = {}
    for key, predicate in (("lat", LAT), ("long", LONG)):
        for q in store.quads_for_pattern(None, predicate, None, None):
            value = _number(q)
            if isinstance(q.subject, ox.NamedNode) and value is not None:
                found.setdefault(q.subject.value, {}).setdefault(key, value)
    return {iri: (p["lat"], p["long"]) for iri, p in found.items() if len(p) == 2}


def relations(store: ReadStore) -> list[tuple[str, ...]]:
    """Each twinning (default graph) as the sorted IRIs of its parties (two, unless the data is wrong)."""
    twinnings = {
        q.subject.value
        for q in store.quads_for_pattern(None, TYPE, TWINNING, ox.DefaultGraph())
        if isinstance(q.subject, ox.NamedNode)
    }
    parties: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, PARTY, None, ox.DefaultGraph()):
        if isinstance(q.subject, ox.NamedNode) and q.subject.value in twinnings and isinstance(q.object, ox.NamedNode):
            parties.setdefault(q.subject.value, set()).add(q.object.value)
    return [tuple(sorted(parties.get(t, ()))) for t in sorted(twinnings)]


def _cell(point: Point, size: float) -> tuple[int, int]:
    return math.floor(point[0] / size), math.floor(point[1] / size)


def aggregate(pairs: list[tuple[str, ...]], where: dict[str, Point], max_lines: int = MAX_LINES) -> Network:
    """Lay out the relations ``pairs`` (IRIs of their parties) with the points ``where``; see the module."""
    mapped = sorted((p[0], p[1]) for p in pairs if len(p) == 2 and p[0] in where and p[1] in where)
    towns = sorted({iri for pair in mapped for iri in pair})
    if len(mapped) <= max_lines and len(towns) <= MAX_MARKS:
        index = {iri: i for i, iri in enumerate(towns)}
        marks = [Mark(where[iri][0], where[iri][1], iri) for iri in towns]
        counted = Counter((index[a], index[b]) for a, b in mapped)
        lines = [(a, b, n) for (a, b), n in sorted(counted.items())]
        return Network(len(pairs), len(mapped), len(mapped), marks, lines, None)
    size, groups = GRID_DEGREES[-1], Counter[tuple[tuple[int, int], ...]]()
    for size in GRID_DEGREES:
        groups = Counter(tuple(sorted((_cell(where[a], size), _cell(where[b], size)))) for a, b in mapped)
        if len(groups) <= max_lines:
            break
    kept = sorted(groups.items(), key=lambda g: (-g[1], g[0]))[:max_lines]
    town_cells = Counter(_cell(where[iri], size) for iri in towns)
    cells = sorted({c for pair, _n in kept for c in pair})
    at = {c: i for i, c in enumerate(cells)}
    marks = [Mark((c[0] + 0.5) * size, (c[1] + 0.5) * size, "", town_cells[c]) for c in cells]
    lines = sorted((at[a], at[b], n) for (a, b), n in kept)
    return Network(len(pairs), len(mapped), sum(n for _p, n in kept), marks, lines, size)
