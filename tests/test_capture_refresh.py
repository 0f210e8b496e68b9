"""`pobratim capture --refresh`: every captured address fetched again, conditionally; old captures kept."""

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

from pobratim.build.pipeline import run_build
from pobratim.capture.refresh import stale_facts
from pobratim.core.ids import DEFAULT_BASE
from pobratim.core.layout import Layout
from pobratim.records.models import SourceMeta, load_yaml
from tests.support.capture import capture
from tests.support.files import snapshot
from tests.support.rdf import select
from tests.support.sites import Site, failing

LATER = datetime(2026, 12, 6, 9, 0, 0, tzinfo=UTC)

RECORDS = """\
source: {source}
twinnings:
  - id: gabrovo-mytishchi
    municipality: bg/gabrovo
    partner: ru/mytishchi
    partner_label: Митищи
    country_label: Русия
    kind: twinning
    start: "1967"
    quote: "Митищи, Русия – от 1967 г."
  - id: gabrovo-taizhou
    municipality: bg/gabrovo
    partner: cn/taizhou
    partner_label: Тайджоу
    country_label: Китай
    kind: twinning
    start: "2011"
    quote: "Тайджоу, Китай – от 2011 г."
    review: {{status: accepted, by: tester}}
"""


def refresh(layout: Layout, now: datetime = LATER) -> int:
    """Run ``pobratim capture --refresh``'s function."""
    return capture(layout, municipality=None, now=now)


def captured(layout: Layout, address: str) -> list[SourceMeta]:
    """The captures of ``address``, oldest first."""
    metas = [load_yaml(p, SourceMeta) for p in layout.sources.glob("bg-gabrovo-*.yaml")]
    return sorted((m for m in metas if m.url == address), key=lambda m: m.captured or "")


def test_an_unchanged_page_is_asked_for_conditionally_and_nothing_is_written(
    site: Site, capture_project: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    assert capture(capture_project, site.url + "/changing", site.url + "/changing-no-validators") == 0
    before = snapshot(capture_project.sources)
    assert refresh(capture_project) == 0
    out = capsys.readouterr().out
    assert f"unchanged: {site.url}/changing (304 Not Modified;" in out
    assert f"unchanged: {site.url}/changing-no-validators (the same text;" in out
    conditional = site.asked("/changing")[-1].headers
    assert conditional["If-None-Match"] == '"v1"'
    assert conditional["If-Modified-Since"] == "Thu, 14 Mar 2019 09:00:00 GMT"
    assert "If-None-Match" not in site.asked("/changing-no-validators")[-1].headers
    assert snapshot(capture_project.sources) == before


def test_a_changed_page_is_captured_anew_beside_the_old_and_its_lost_quotes_listed(
    site: Site, capture_project: Layout, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    address = site.url + "/changing"
    assert capture(capture_project, address) == 0
    (first,) = captured(capture_project, address)
    records = capture_project.records / f"{first.id}.yaml"
    records.write_text(RECORDS.format(source=first.id), encoding="utf-8")
    before = snapshot(capture_project.sources)
    capsys.readouterr()

    site.version = 2
    assert refresh(capture_project) == 0
    out = capsys.readouterr().out
    old, new = captured(capture_project, address)
    assert old == first and new.captured == "2026-12-06T09:00:00Z" and new.etag == '"v2"'
    assert f"changed: {address}: new capture {new.id} beside {first.id}" in out
    # The fact whose quote left the page is named; the one whose quote stayed is not.
    assert f"{records}: fact gabrovo-taizhou (cites {first.id}): 'Тайджоу, Китай – от 2011 г.'" in out
    assert "gabrovo-mytishchi" not in out
    # The old capture is untouched; the new one is beside it.
    after = snapshot(capture_project.sources)
    assert {name: after[name] for name in before} == before
    assert set(after) - set(before) == {new.file, new.raw, f"{new.id}.yaml"}

    # The build accepts both captures and keeps publishing the facts against the one they were read from.
    run_build(replace(capture_project, dist=tmp_path / "dist"), DEFAULT_BASE, LATER)
    ds = Dataset(default_union=True)
    ds.parse(tmp_path / "dist" / "pobratim.trig", format="trig")
    cited = {
        str(row[0])
        for row in select(
            ds,
            "SELECT DISTINCT ?source { ?claim prov:wasDerivedFrom ?source ; a pob:TwinningClaim }",
            {"prov": "http://www.w3.org/ns/prov#", "pob": "https://pobratim.example/ontology#"},
        )
        if str(row[0]).endswith((first.id, new.id))
    }
    assert cited == {f"{DEFAULT_BASE}source/{first.id}"}
    assert (URIRef(f"{DEFAULT_BASE}source/{new.id}"), URIRef("https://schema.org/url"), URIRef(address)) in ds

    # Refreshed again, the new capture is the one compared with: unchanged (304 to its ETag).
    assert refresh(capture_project, datetime(2026, 12, 7, tzinfo=UTC)) == 0
    assert f"unchanged: {address} (304 Not Modified; latest capture {new.id})" in capsys.readouterr().out
    assert site.asked("/changing")[-1].headers["If-None-Match"] == '"v2"'


def test_an_address_that_fails_is_named_and_its_captures_kept(
    site: Site, capture_project: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    assert capture(capture_project, site.url + "/changing") == 0
    before = snapshot(capture_project.sources)
    site.routes["/changing"] = failing(404)
    assert refresh(capture_project) == 1
    assert f"failed: {site.url}/changing: not found (404 Not Found)" in capsys.readouterr().err
    assert snapshot(capture_project.sources) == before


def test_only_reviewed_facts_are_listed(capture_project: Layout) -> None:
    records = capture_project.records / "gabrovo-test.yaml"
    body = RECORDS.format(source="old-capture").replace("status: accepted", "status: proposed")
    records.write_text(body, encoding="utf-8")
    stale = stale_facts(capture_project.records, {"old-capture"}, "Нищо общо.")
    # The hand-written fact (no review) is listed; the proposal is not a reviewed fact yet.
    assert [(s.fact, s.quote) for s in stale] == [("gabrovo-mytishchi", "Митищи, Русия – от 1967 г.")]
    assert stale_facts(capture_project.records, {"another-capture"}, "Нищо общо.") == []


def test_a_page_back_to_an_earlier_text_is_named_as_such_and_nothing_is_written(
    site: Site, capture_project: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    address = site.url + "/changing"
    assert capture(capture_project, address) == 0
    site.version = 2
    assert refresh(capture_project) == 0
    first, second = captured(capture_project, address)
    before = snapshot(capture_project.sources)
    capsys.readouterr()
    site.version = 1
    assert refresh(capture_project, datetime(2026, 12, 7, tzinfo=UTC)) == 0
    assert f"changed: {address}: back to the text of {first.id}, since {second.id}" in capsys.readouterr().out
    assert snapshot(capture_project.sources) == before
