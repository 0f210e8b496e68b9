"""Linking to Wikidata, end to end against a real local SPARQL server holding Wikidata-shaped data."""

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
import yaml

from pobratim import published
from pobratim.build.pipeline import run_build
from pobratim.core.ids import DEFAULT_BASE
from pobratim.core.layout import Layout
from pobratim.records.links import load_links
from pobratim.wikidata.client import USER_AGENT, WikidataClient
from tests.support.cli import pobratim

from .conftest import BUILT_AT
from .support.wikidata_server import TRUTH, Recorder, wikidata_server

logging.getLogger("werkzeug").setLevel(logging.ERROR)
B = DEFAULT_BASE


@pytest.fixture
def wikidata() -> Iterator[tuple[str, Recorder]]:
    with wikidata_server() as server:
        yield server


def test_link_end_to_end(wikidata: tuple[str, Recorder], tmp_path: Path) -> None:
    url, rec = wikidata
    links_path = tmp_path / "wikidata.yaml"
    out = pobratim("link", "--endpoint", url, "--links", str(links_path), "--cache", str(tmp_path / "cache"))
    assert out.returncode == 0, out.stderr
    assert "24 accepted" in out.stdout and "12 proposed" in out.stdout
    links = load_links(links_path)
    assert links is not None
    accepted = links.accepted()
    # Every automatic acceptance is right (the measure itself is in test_wikidata_linking).
    assert accepted and all(TRUTH[k] == v for k, v in accepted.items())
    # The hard cases are proposed for review, with their evidence, never accepted.
    jungnang, kocaeli, dimitrovgrad = (links.links[k] for k in ("kr/jungnang-gu", "tr/kocaeli", "rs/dimitrovgrad"))
    assert jungnang.status == "proposed" and jungnang.item == "Q9000041"
    assert jungnang.evidence is not None and not jungnang.evidence.settlement
    assert kocaeli.status == "proposed" and kocaeli.ambiguous
    assert {c.item for c in kocaeli.candidates} == {"Q9000050", "Q9000051", "Q9000052"}
    assert dimitrovgrad.status == "proposed" and dimitrovgrad.item == "Q9000032"
    assert "GeoNames" in (dimitrovgrad.note or "")
    kazanlak = links.links["bg/kazanlak"]
    assert kazanlak.evidence is not None and kazanlak.evidence.geonames == "730496" and kazanlak.evidence.country
    assert kazanlak.evidence.distance_km is not None and kazanlak.evidence.distance_km < 1
    # Polite: a descriptive User-Agent and a handful of batched queries, not one per place.
    assert rec.agents and all(agent == USER_AGENT for agent in rec.agents)
    assert "pobratim" in USER_AGENT and len(rec.queries) <= 8
    assert any("VALUES" in q for q in rec.queries)
    # A rerun is answered from the cache.
    asked = len(rec.queries)
    again = pobratim("link", "--endpoint", url, "--links", str(links_path), "--cache", str(tmp_path / "cache"))
    assert again.returncode == 0 and len(rec.queries) == asked and "0 queries" in again.stdout


def test_people_decisions_survive_a_rerun(wikidata: tuple[str, Recorder], tmp_path: Path) -> None:
    url, _rec = wikidata
    links_path = tmp_path / "wikidata.yaml"
    assert pobratim("link", "--endpoint", url, "--links", str(links_path), "--no-cache").returncode == 0
    data = yaml.safe_load(links_path.read_text(encoding="utf-8"))
    data["links"]["rs/dimitrovgrad"].update(status="accepted", decided_by="reviewer: A. Person")
    data["links"]["kr/seoul"].update(status="rejected", decided_by="reviewer: A. Person")
    links_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert pobratim("link", "--endpoint", url, "--links", str(links_path), "--no-cache").returncode == 0
    links = load_links(links_path)
    assert links is not None
    assert links.links["rs/dimitrovgrad"].status == "accepted"
    assert links.links["kr/seoul"].status == "rejected"
    assert links.links["kr/seoul"].decided_by == "reviewer: A. Person"


def test_build_uses_only_accepted_links(wikidata: tuple[str, Recorder], data_copy: Layout) -> None:
    url, _rec = wikidata
    links_path = data_copy.links / "wikidata.yaml"
    assert pobratim("link", "--endpoint", url, "--links", str(links_path), "--no-cache").returncode == 0
    run_build(data_copy, DEFAULT_BASE, BUILT_AT)
    store = pyoxigraph.Store.read_only(str(data_copy.dist / published.STORE))
    rows = store.query(
        "SELECT ?place ?item WHERE { GRAPH ?g { ?place <https://schema.org/sameAs> ?item } "
        "FILTER STRSTARTS(STR(?item), 'http://www.wikidata.org/entity/') }"
    )
    assert isinstance(rows, pyoxigraph.QuerySolutions)
    got = {(r["place"].value.removeprefix(B + "id/place/"), r["item"].value.rsplit("/", 1)[-1]) for r in rows}
    links = load_links(links_path)
    assert links is not None and got == set(links.accepted().items())
    assert ("kr/jungnang-gu", "Q9000041") not in got  # proposed, not accepted


def test_429_with_retry_after_is_waited_for(wikidata: tuple[str, Recorder], tmp_path: Path) -> None:
    url, rec = wikidata
    rec.throttle, rec.retry_after = 2, "1"
    client = WikidataClient(url)
    started = time.monotonic()
    rows = client.select('SELECT ?c WHERE { ?c wdt:P297 "BG" }')
    assert rows == [{"c": {"type": "uri", "value": "http://www.wikidata.org/entity/Q219"}}]
    assert client.waited == [1.0, 1.0]
    assert time.monotonic() - started >= 2.0
    assert client.asked == 3


def test_endpoint_errors_are_reported(tmp_path: Path) -> None:
    out = pobratim("link", "--endpoint", "http://127.0.0.1:9/sparql", "--links", str(tmp_path / "l.yaml"), "--no-cache")
    assert out.returncode == 1 and "127.0.0.1:9" in out.stderr
    assert not (tmp_path / "l.yaml").exists()
