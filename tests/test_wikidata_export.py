"""What `pobratim wikidata-diff` sends to Wikidata, against a real local Wikidata-shaped SPARQL server.

Each case of issue 27: an ended relation carries its end both ways and is never written as current; a
source is cited only on what it supports; every reference can be followed (the page's address, or
pobratim's capture of it) and says when it was retrieved, its title, publisher and language; a twinning
resting on a council's consent alone is flagged in the report.
"""

from pathlib import Path

import pytest

from pobratim.build.pipeline import run_build
from pobratim.core.ids import DEFAULT_BASE
from pobratim.core.layout import Layout
from pobratim.endpoint import create_app
from pobratim.records.links import Link, LinksFile, write_links
from pobratim.wikidata.client import WikidataClient
from pobratim.wikidata.diff import Diff, diff, report
from tests.support.cli import pobratim

from .conftest import BUILT_AT, Built
from .support.wikidata_server import TRUTH, wikidata_server

B = DEFAULT_BASE
LIST, CREMONA, ASENOVGRAD = (
    B + "source/" + s for s in ("kazanlak-international-cooperation", "kazanlak-cremona", "asenovgrad-twin-towns")
)
KAZANLAK, ASENOVGRAD_ITEM, STENIMACHOS, VERIA, ALEXANDRIA, DENPASAR = (
    TRUTH[k] for k in ("bg/kazanlak", "bg/asenovgrad", "gr/stenimachos", "gr/veria", "eg/alexandria", "id/denpasar")
)
BULGARIAN = "Q7918"


def reviewed() -> LinksFile:
    """The links a reviewer accepted: every seed place to its item in the fixture."""
    return LinksFile(
        endpoint="fixture",
        links={k: Link(status="accepted", item=v, decided_by="reviewer: A. Person") for k, v in TRUTH.items()},
    )


def parse(line: str) -> tuple[tuple[str, str, str], dict[str, str], dict[str, str]]:
    """Split a QuickStatements v1 line into (statement, qualifiers, reference)."""
    subject, prop, value, *rest = line.split("\t")
    pairs = dict(zip(rest[::2], rest[1::2], strict=True))
    return (
        (subject, prop, value),
        {k: v for k, v in pairs.items() if k.startswith("P")},
        {k: v for k, v in pairs.items() if k.startswith("S")},
    )


def lines_for(d: Diff, a: str, b: str) -> list[tuple[tuple[str, str, str], dict[str, str], dict[str, str]]]:
    """The parsed lines that state ``a`` P190 ``b`` or ``b`` P190 ``a``."""
    return [p for p in map(parse, d.quickstatements) if {p[0][0], p[0][2]} == {a, b}]


def run(dist: Path, *fixtures: Path) -> tuple[Diff, str]:
    with wikidata_server(*fixtures) as (url, _rec):
        d = diff(dist, reviewed(), WikidataClient(url))
    return d, report(d, reviewed())


@pytest.fixture(scope="module")
def seed(built: Built) -> tuple[Diff, str]:
    return run(built.dist)


def test_cli_writes_the_report_and_the_statements(built: Built, tmp_path: Path) -> None:
    links = tmp_path / "wikidata.yaml"
    write_links(links, reviewed())
    qs = tmp_path / "qs.tsv"
    with wikidata_server() as (url, _rec):
        args = ["--endpoint", url, "--links", str(links), "--dist", str(built.dist), "--quickstatements", str(qs)]
        out = pobratim("wikidata-diff", *args, "--no-cache")
    assert out.returncode == 0, out.stderr
    assert "Twinnings in both: 4" in out.stdout and "Only in Wikidata: 1" in out.stdout
    assert "says 1995, Wikidata P580 1996" in out.stdout and "says 1978-05-25, Wikidata P580 1982" in out.stdout
    lines = qs.read_text(encoding="utf-8").splitlines()
    assert f"QuickStatements lines written: {len(lines)}" in out.stdout and lines
    # Statements Wikidata already has are not repeated; the direction it lacks is added.
    assert not [p for p in map(parse, lines) if p[0] == (KAZANLAK, "P190", TRUTH["it/cremona"])]
    assert [p for p in map(parse, lines) if p[0] == (TRUTH["hu/nagykanizsa"], "P190", KAZANLAK)]


def test_an_ended_relation_carries_its_start_and_end_both_ways(seed: tuple[Diff, str]) -> None:
    d, _report = seed
    lines = lines_for(d, ASENOVGRAD_ITEM, STENIMACHOS)
    assert {statement for statement, _q, _r in lines} == {
        (ASENOVGRAD_ITEM, "P190", STENIMACHOS),
        (STENIMACHOS, "P190", ASENOVGRAD_ITEM),
    }
    # Signed 1993, passed to Naousa 1999 (status transferred): never written without its end.
    assert all(q == {"P580": "+1993-00-00T00:00:00Z/9", "P582": "+1999-00-00T00:00:00Z/9"} for _s, q, _r in lines)


def test_an_ended_relation_without_an_end_date_is_not_written(data_copy: Layout, tmp_path: Path) -> None:
    records = data_copy.records / "asenovgrad-twin-towns.yaml"
    text = records.read_text(encoding="utf-8")
    assert '    end: "1999"\n' in text
    records.write_text(text.replace('    end: "1999"\n', "", 1), encoding="utf-8")
    run_build(data_copy, B, BUILT_AT)
    d, text = run(data_copy.dist)
    assert lines_for(d, ASENOVGRAD_ITEM, STENIMACHOS) == []
    assert "Not written (an ended relation is never written as current): 1" in text
    assert "gr/stenimachos (Q9000074): ended (transferred) with no end date" in text


def test_a_relation_wikidata_holds_as_current_is_reported_and_its_end_added(built: Built, tmp_path: Path) -> None:
    current = tmp_path / "current.ttl"
    current.write_text(
        "@prefix wd: <http://www.wikidata.org/entity/> . @prefix p: <http://www.wikidata.org/prop/> .\n"
        "@prefix ps: <http://www.wikidata.org/prop/statement/> .\n"
        f"wd:{ASENOVGRAD_ITEM} p:P190 <http://www.wikidata.org/entity/statement/s1> .\n"
        f"<http://www.wikidata.org/entity/statement/s1> ps:P190 wd:{STENIMACHOS} .\n",
        encoding="utf-8",
    )
    d, text = run(built.dist, Path(__file__).parent / "fixtures" / "wikidata.ttl", current)
    assert "Ended here, current in Wikidata (a P190 without P582): 1" in text
    assert "bg/asenovgrad (Q9000070) — gr/stenimachos (Q9000074)" in text.split("Ended here")[1]
    lines = lines_for(d, ASENOVGRAD_ITEM, STENIMACHOS)
    assert [s for s, _q, _r in lines] == [(STENIMACHOS, "P190", ASENOVGRAD_ITEM)]
    assert lines[0][1]["P582"] == "+1999-00-00T00:00:00Z/9"


def test_a_source_is_cited_only_on_what_it_supports(seed: tuple[Diff, str]) -> None:
    d, text = seed
    # Veria: 1980 on the list page, undated in the Cremona page's sidebar. The statement has P580 1980
    # and cites the list only: the sidebar does not support the start.
    veria = lines_for(d, KAZANLAK, VERIA)
    assert len(veria) == 2
    for _s, qualifiers, ref in veria:
        assert qualifiers == {"P580": "+1980-00-00T00:00:00Z/9"}
        assert ref["S1065"] == f'"{LIST}"'
    assert "gr/veria (Q9000021): source/kazanlak-cremona gives no start" in text
    # Alexandria: named only in the undated sidebar: no P580, cited to that page.
    alexandria = lines_for(d, KAZANLAK, ALEXANDRIA)
    assert len(alexandria) == 2 and all(q == {} and r["S1065"] == f'"{CREMONA}"' for _s, q, r in alexandria)


def test_sources_that_disagree_on_the_start_give_no_start(built: Built, tmp_path: Path) -> None:
    # Without Wikidata's P190 for Kazanlak–Cremona, it is written: both pages cited, no P580 (1978-05-25 or 1982?).
    bare = tmp_path / "bare.ttl"
    bare.write_text(
        "@prefix wd: <http://www.wikidata.org/entity/> . @prefix wdt: <http://www.wikidata.org/prop/direct/> .\n"
        f'wd:{BULGARIAN} wdt:P218 "bg" .\n',
        encoding="utf-8",
    )
    d, text = run(built.dist, bare)
    cremona = lines_for(d, KAZANLAK, TRUTH["it/cremona"])
    assert len(cremona) == 4 and all(q == {} for _s, q, _r in cremona)
    assert {r["S1065"] for _s, _q, r in cremona} == {f'"{LIST}"', f'"{CREMONA}"'}
    assert "it/cremona (Q9000010): start left out: the sources disagree (1978-05-25, 1982)" in text


def test_references_can_be_followed_and_say_what_is_known(seed: tuple[Diff, str]) -> None:
    d, text = seed
    refs = {r["S1065"]: r for _s, _q, r in map(parse, d.quickstatements)}
    # No page address was captured for the seeds: each reference is pobratim's capture (its source page).
    assert set(refs) == {f'"{LIST}"', f'"{CREMONA}"', f'"{ASENOVGRAD}"'}
    assert not any("S854" in r for r in refs.values())
    cremona, listing, asenovgrad = refs[f'"{CREMONA}"'], refs[f'"{LIST}"'], refs[f'"{ASENOVGRAD}"']
    # Retrieved (and archived) on the capture date, where the capture recorded one; never invented.
    assert cremona["S813"] == cremona["S2960"] == "+2025-06-18T00:00:00Z/11"
    assert "S813" not in listing and "S813" not in asenovgrad and "S2960" not in asenovgrad
    assert cremona["S1476"] == 'bg:"Кремона – Италия"' and asenovgrad["S1476"] == 'bg:"Побратимени градове"'
    assert cremona["S577"] == "+2018-11-27T00:00:00Z/11" and "S577" not in asenovgrad
    # The publisher's item (the municipality's linked item) and the language's item (P218 "bg").
    assert cremona["S123"] == KAZANLAK and asenovgrad["S123"] == ASENOVGRAD_ITEM
    assert {r["S407"] for r in refs.values()} == {BULGARIAN}
    assert "source/kazanlak-international-cooperation: no address, no capture date recorded" in text
    assert "not a public address" in text  # the default base is pobratim.example


def test_a_recorded_address_is_cited_as_the_reference_url(data_copy: Layout) -> None:
    # A capture that recorded its address (issue 28); the seeds' addresses are unknown and stay absent.
    meta = data_copy.sources / "000_d4ef54faed068ef8.yaml"
    text = meta.read_text(encoding="utf-8")
    assert "id: kazanlak-cremona\n" in text and "url:" not in text
    page = "https://kazanlak.example/cremona"
    meta.write_text(text + f"url: {page}\n", encoding="utf-8")
    run_build(data_copy, B, BUILT_AT)
    d, text = run(data_copy.dist)
    cited = [r for _s, _q, r in map(parse, d.quickstatements) if r.get("S854") == f'"{page}"']
    assert cited and all("S1065" not in r and "S2960" not in r for r in cited)
    assert all(r["S813"] == "+2025-06-18T00:00:00Z/11" and r["S1476"] == 'bg:"Кремона – Италия"' for r in cited)
    others = [r for _s, _q, r in map(parse, d.quickstatements) if "S854" not in r]
    assert others and all(r["S1065"] in {f'"{LIST}"', f'"{ASENOVGRAD}"'} for r in others)
    assert f"{len(cited)} cite the page's address (S854), {len(others)} pobratim's capture" in text


def test_a_council_consent_alone_is_flagged(seed: tuple[Diff, str]) -> None:
    d, text = seed
    section = text.split("Written on a council's consent alone")[1].split("\nSources not cited")[0]
    assert section.startswith(" (no agreement, no start): 5")
    assert "id/denpasar (Q9000080) (source/asenovgrad-twin-towns: consent of 2013-08-05)" in section
    assert "tr/kocaeli (Q9000051) (source/asenovgrad-twin-towns: consent of 2023-05-23)" in section
    assert "mk/prilep" not in section  # an agreement signed in 1993
    denpasar = lines_for(d, ASENOVGRAD_ITEM, DENPASAR)
    assert len(denpasar) == 2 and all(q == {} for _s, q, _r in denpasar)


def test_the_archive_url_is_the_source_page_pobratim_serves(seed: tuple[Diff, str], built: Built) -> None:
    d, _text = seed
    archived = {r["S1065"].strip('"') for _s, _q, r in map(parse, d.quickstatements)}
    app = create_app({"DIST": str(built.dist)})
    try:
        client = app.test_client()
        for url in sorted(archived):
            answer = client.get(url.removeprefix(B.rstrip("/")), headers={"Accept": "text/html"}, follow_redirects=True)
            assert answer.status_code == 200, url
            assert answer.mimetype == "text/html"
            title = d.sources[url].title
            assert title is not None and title[1] in answer.get_data(as_text=True)
    finally:
        app.extensions["pobratim"].pool.close()


def test_the_build_s_own_base_names_the_archive(data_copy: Layout) -> None:
    # Built for the address it is served at: the export reads that base from the build, and does not warn.
    base = "https://example.org/pobratim/"
    run_build(data_copy, base, BUILT_AT)
    with wikidata_server() as (url, _rec):
        d = diff(data_copy.dist, reviewed(), WikidataClient(url))
    text = report(d, reviewed())
    archived = {r["S1065"] for _s, _q, r in map(parse, d.quickstatements)}
    assert archived == {
        f'"{base}source/{s}"'
        for s in ("kazanlak-international-cooperation", "kazanlak-cremona", "asenovgrad-twin-towns")
    }
    assert "not a public address" not in text and "Not compared (a place not linked yet): 0" in text


def test_no_build_is_a_clear_error(tmp_path: Path) -> None:
    links = tmp_path / "wikidata.yaml"
    write_links(links, reviewed())
    args = ["--links", str(links), "--dist", str(tmp_path / "none"), "--quickstatements", str(tmp_path / "qs.tsv")]
    out = pobratim("wikidata-diff", *args, "--endpoint", "http://127.0.0.1:9/sparql", timeout=120)
    assert out.returncode == 1 and "holds no published build" in out.stderr and str(tmp_path / "none") in out.stderr
    assert not (tmp_path / "qs.tsv").exists()
