"""The landing page's map of the whole network: every mapped relation of the seed, aggregated at world scale."""

import json
import random
import re

from rdflib import Dataset, URIRef

from pobratim.core.vocab import GEO, POB, RDF
from pobratim.endpoint.network import GRID_DEGREES, MAX_MARKS, aggregate

from .support.inprocess import InProcess
from .support.rdf import union


def network_data(page: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="network-map-data">(.*?)</script>', page, re.S)
    assert found, "no network data on the landing page"
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_the_landing_page_lists_every_relation_with_points(server: InProcess, dataset: Dataset) -> None:
    page = server.get("/", headers={"Accept-Language": "en"}).text
    data = network_data(page)
    # Computed here from the dataset independently: each twinning's parties, when both have a point.
    everything = union(dataset)
    twinnings = set(everything.subjects(RDF.type, POB.Twinning))
    pairs = [frozenset(str(p) for p in everything.objects(t, POB.party)) for t in twinnings]
    mapped = [p for p in pairs if all((URIRef(i), GEO.lat, None) in everything for i in p)]
    marks, lines = data["marks"], data["lines"]
    assert isinstance(marks, list) and isinstance(lines, list) and data["grid"] is None
    drawn = [frozenset((marks[a]["iri"], marks[b]["iri"])) for a, b, _n in lines]
    assert sorted(drawn, key=sorted) == sorted(mapped, key=sorted) and len(lines) == 22
    assert all(n == 1 for _a, _b, n in lines)
    assert {m["iri"] for m in marks} == set().union(*mapped)
    kazanlak = next(m for m in marks if m["iri"].endswith("/id/place/bg/kazanlak"))
    assert kazanlak["href"] == "/id/place/bg/kazanlak" and kazanlak["label"] == "Kazanlak"
    assert abs(kazanlak["lat"] - 42.6167) < 0.01
    counts = re.search(r'<p class="network-counts"(.*?)</p>', page, re.S)
    assert counts
    said = " ".join(counts.group(1).split())
    assert f'data-relations="{len(twinnings)}" data-mapped="22"' in said
    assert f"22 of the {len(twinnings)} twinnings have coordinates for both towns" in said
    assert "(24 towns)" in said and len(marks) == 24


def test_the_counts_in_bulgarian(server: InProcess) -> None:
    page = server.get("/?lang=bg").text
    assert "22 от 29 побратимявания имат координати и на двата града" in " ".join(page.split())


def world(towns: int, relations: int) -> tuple[list[tuple[str, ...]], dict[str, tuple[float, float]]]:
    rng = random.Random(7)
    where = {f"t{i}": (rng.uniform(-60, 70), rng.uniform(-180, 180)) for i in range(towns)}
    names = sorted(where)
    pairs = [tuple(sorted(rng.sample(names, 2))) for _ in range(relations)]
    return pairs, where


def test_at_world_scale_relations_are_grouped_by_grid_cells() -> None:
    pairs, where = world(10_000, 50_000)
    net = aggregate(pairs, where, max_lines=2000)
    assert net.grid in GRID_DEGREES and len(net.lines) <= 2000
    assert net.relations == net.mapped == 50_000
    # Every relation in exactly one line, unless only the heaviest groups were kept.
    assert sum(n for _a, _b, n in net.lines) == net.shown <= net.mapped
    assert all(not m.iri for m in net.marks) and sum(m.towns for m in net.marks) <= 10_000
    assert aggregate(pairs, where, max_lines=2000) == net  # deterministic
    finer = aggregate(pairs, where, max_lines=20_000)
    assert finer.grid is not None and finer.grid < net.grid and finer.shown == 50_000


def test_the_heaviest_groups_are_kept_when_no_grid_is_coarse_enough() -> None:
    pairs, where = world(3000, 5000)
    net = aggregate(pairs, where, max_lines=10)
    assert net.grid == GRID_DEGREES[-1] and len(net.lines) == 10 and net.shown < net.mapped
    counts = [n for _a, _b, n in net.lines]
    assert min(counts) >= 1 and sum(counts) == net.shown


def test_towns_without_a_point_and_too_many_towns() -> None:
    pairs, where = world(5 * MAX_MARKS, 1500)
    del where["t0"]
    net = aggregate([*pairs, ("t0", "t1"), ("t1",)], where)
    assert net.relations == 1502 and net.mapped == sum(1 for a, b in pairs if "t0" not in (a, b))
    assert net.grid is not None  # fewer relations than lines, but more towns than marks: aggregated
    few = aggregate(pairs[:50], where)
    assert few.grid is None and all(m.iri for m in few.marks) and few.mapped == len(few.lines)
