"""`pobratim capture` against a real local server of municipal sites (tests/support/sites.py): pages in, errors out."""

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TypedDict

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD

from pobratim import __version__
from pobratim.build.pipeline import run_build
from pobratim.capture.capture import CaptureError, Publisher, capture_file, capture_url, publisher
from pobratim.capture.fetch import Fetcher, Policy, user_agent
from pobratim.cli import main
from pobratim.core.ids import DEFAULT_BASE
from pobratim.core.layout import Layout
from pobratim.core.quotes import normalise
from pobratim.records.models import SourceMeta, load_yaml
from tests.fixture_sites.truth import PAGES
from tests.support.capture import CONTACT, NOW, capture
from tests.support.sites import ROBOTS, Site, fixture, municipal_routes, page, serving, text

GABROVO = Publisher("bg/gabrovo", {"en": "Gabrovo", "bg": "Габрово"})


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    # Generous bounds: the loopback server answers in milliseconds, but the machine may be busy.
    f = Fetcher(Policy(user_agent(CONTACT), timeout=5.0, deadline=10.0, max_bytes=1024 * 1024, min_interval=0))
    yield f
    f.close()


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


ROUTES = {
    "/pobratimeni-gradove/": "bg-utf8-twins.html",
    "/mezhdunarodno.php": "bg-cp1251-twins.html",
    "/partnerska-mesta": "cz-iso88592-partners.html",
    "/miasta-partnerskie": "pl-iso88592-miasta.html",
    "/de/partnerstaedte": "de-utf8-partner.html",
}


@pytest.mark.parametrize("path", ROUTES)
def test_a_page_is_captured_with_its_text_raw_html_and_metadata(
    path: str, site: Site, fetcher: Fetcher, tmp_path: Path
) -> None:
    name = ROUTES[path]
    truth = PAGES[name]
    captured = capture_url(site.url + path, fetcher, tmp_path, GABROVO, NOW)
    meta = load_yaml(captured.path, SourceMeta)  # what a build reads validates
    assert meta == captured.meta and captured.new
    text_bytes = (tmp_path / meta.file).read_bytes()
    assert meta.sha256 == hashlib.sha256(text_bytes).hexdigest()
    text = normalise(text_bytes.decode("utf-8"))
    # Every line of the page's own words is kept, whatever the encoding it was served in.
    assert [k for k in truth.keep if normalise(k) not in text] == []
    # The raw HTML is kept byte for byte as served (in its own encoding).
    assert meta.raw is not None and (tmp_path / meta.raw).read_bytes() == fixture(name).encode(truth.encoding)
    assert meta.url == meta.final_url == site.url + path
    assert meta.captured == "2026-12-05T08:30:12Z" and meta.captured_day == "2026-12-05"
    assert meta.language == truth.language
    assert meta.publisher == "bg/gabrovo" and meta.publisher_name == {"en": "Gabrovo", "bg": "Габрово"}
    title = fixture(name).split("<title>")[1].split("</title>")[0]
    assert meta.title == {truth.language: title}
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_the_user_agent_names_pobratim_its_version_and_a_contact(site: Site, fetcher: Fetcher, tmp_path: Path) -> None:
    start = len(site.seen)
    capture_url(site.url + "/de/partnerstaedte", fetcher, tmp_path, GABROVO, NOW)
    asked = site.seen[start:]
    assert [s.path for s in asked] == ["/robots.txt", "/de/partnerstaedte"]  # robots.txt first
    assert {s.headers["User-Agent"] for s in asked} == {
        f"pobratim/{__version__} (town-twinning linked data; +{CONTACT})"
    }


def test_gzip_is_asked_for_and_decoded(site: Site, fetcher: Fetcher, tmp_path: Path) -> None:
    captured = capture_url(site.url + "/pobratimeni-gradove/", fetcher, tmp_path, GABROVO, NOW)
    assert "gzip" in site.asked("/pobratimeni-gradove/")[-1].headers["Accept-Encoding"]
    assert captured.meta.raw is not None
    assert (tmp_path / captured.meta.raw).read_bytes() == fixture("bg-utf8-twins.html").encode("utf-8")


def test_a_redirect_is_followed_and_both_addresses_kept(site: Site, fetcher: Fetcher, tmp_path: Path) -> None:
    captured = capture_url(site.url + "/old/mezhdunarodno.php", fetcher, tmp_path, GABROVO, NOW)
    assert captured.meta.url == site.url + "/old/mezhdunarodno.php"
    assert captured.meta.final_url == site.url + "/mezhdunarodno.php"


def test_the_same_page_captured_again_writes_nothing(site: Site, fetcher: Fetcher, tmp_path: Path) -> None:
    first = capture_url(site.url + "/de/partnerstaedte", fetcher, tmp_path, GABROVO, NOW)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    again = capture_url(site.url + "/de/partnerstaedte", fetcher, tmp_path, GABROVO, datetime(2027, 1, 1, tzinfo=UTC))
    assert not again.new and again.meta == first.meta
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


FAILURES = {
    "/missing": "not found (404",
    "/broken": "the server failed (500",
    "/loop/a": "the redirects go round in a loop",
    "/chain/0": "more than 5 redirects",
    "/intern/partner.html": "robots.txt of",
    "/stall": "no answer within 1 s (timeout)",
    "/trickle": "took more than 2 s to send the page",
    "/huge": "more than the limit of 1048576",
    "/huge-streamed": "more than the limit of 1048576 bytes",
    "/bomb": "more than the limit of 1048576 bytes",
    "/brochure.pdf": "not an HTML page (application/pdf)",
}


class Bounds(TypedDict, total=False):
    """The time limits a capture is given, where not the helper's own."""

    timeout: float
    deadline: float


# Tight bounds where the bound is what is tested (each read of the loopback server takes milliseconds).
BOUNDS: dict[str, Bounds] = {"/stall": {"timeout": 1.0}, "/trickle": {"deadline": 2.0}}


@pytest.mark.parametrize("path", FAILURES)
def test_a_page_that_cannot_be_captured_is_named_with_the_reason_and_nothing_is_written(
    path: str, site: Site, capture_project: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    before = listing(capture_project.sources)
    assert capture(capture_project, site.url + path, **BOUNDS.get(path, Bounds())) == 1
    err = capsys.readouterr().err
    assert FAILURES[path] in err and site.url in err
    assert "nothing written" in err
    assert listing(capture_project.sources) == before


def test_stalls_are_bounded_in_time(site: Site, capture_project: Layout) -> None:
    started = datetime.now(tz=UTC)
    assert capture(capture_project, site.url + "/stall", site.url + "/trickle", timeout=0.5, deadline=1.0) == 1
    assert (datetime.now(tz=UTC) - started).total_seconds() < 6


def test_one_failure_does_not_stop_the_other_pages(site: Site, capture_project: Layout) -> None:
    before = listing(capture_project.sources)
    assert capture(capture_project, site.url + "/missing", site.url + "/de/partnerstaedte") == 1
    added = listing(capture_project.sources) - before
    assert len(added) == 3 and {Path(n).suffix for n in added} == {".txt", ".html", ".yaml"}


@pytest.mark.parametrize(
    ("robots", "status", "allowed"),
    [
        ("User-agent: pobratim\nDisallow: /\n\nUser-agent: *\nAllow: /\n", 200, False),  # refused by name
        ("User-agent: *\nDisallow: /\n", 200, False),
        ("User-agent: otherbot\nDisallow: /\n", 200, True),
        ("", 404, True),  # no robots.txt: everything allowed (RFC 9309 §2.3.1.3)
        ("", 503, False),  # robots.txt unavailable: nothing allowed (RFC 9309 §2.3.1.4)
    ],
)
def test_robots_txt_is_honoured(robots: str, status: int, allowed: bool, fetcher: Fetcher, tmp_path: Path) -> None:
    routes = {
        "/robots.txt": text(robots, status=status),
        "/partnerstaedte": page("de-utf8-partner.html", "utf-8", "utf-8"),
    }
    with serving(routes) as refusing:
        if allowed:
            capture_url(refusing.url + "/partnerstaedte", fetcher, tmp_path, GABROVO, NOW)
        else:
            with pytest.raises(CaptureError, match=r"robots\.txt"):
                capture_url(refusing.url + "/partnerstaedte", fetcher, tmp_path, GABROVO, NOW)
            assert refusing.asked("/partnerstaedte") == []
            assert list(tmp_path.iterdir()) == []


def test_a_redirect_into_a_refused_path_is_not_followed(fetcher: Fetcher, tmp_path: Path) -> None:
    routes = {**municipal_routes(ROBOTS), "/go": lambda h: h.send(302, b"", Location="/intern/partner.html")}
    with serving(routes) as sneaky:
        with pytest.raises(CaptureError, match="does not allow pobratim"):
            capture_url(sneaky.url + "/go", fetcher, tmp_path, GABROVO, NOW)
        assert sneaky.asked("/intern/partner.html") == []


def test_a_municipality_neither_reviewed_nor_in_the_gazetteer_is_refused_with_what_to_do(
    site: Site, data_copy: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    before, asked = listing(data_copy.sources), len(site.seen)
    assert capture(data_copy, site.url + "/pobratimeni-gradove/", municipality="Nowhere-on-Sea") == 1
    assert capture(data_copy, site.url + "/pobratimeni-gradove/", municipality="Frankfurt") == 1
    err = capsys.readouterr().err
    assert "no place 'Nowhere-on-Sea' in" in err and "nor does the gazetteer" in err
    assert "several towns of that name" in err and "(de/frankfurt-oder)" in err  # named by key, it is taken
    assert "add the municipality to places.yaml (key, en, kind: municipality)" in err
    assert len(site.seen) == asked  # refused before anything is fetched
    assert listing(data_copy.sources) == before


def test_a_municipality_is_found_by_key_or_any_of_its_names(capture_project: Layout) -> None:
    places = capture_project.records / "places.yaml"
    for name in ("bg/gabrovo", "Gabrovo", "габрово", "GABROVO"):
        assert publisher(name, places).key == "bg/gabrovo"


def test_a_saved_html_file_is_captured_without_an_address(capture_project: Layout, tmp_path: Path) -> None:
    saved = tmp_path / "partnerska-mesta.html"
    saved.write_bytes(fixture("cz-iso88592-partners.html").encode("iso-8859-2"))
    who = publisher("Gabrovo", capture_project.records / "places.yaml")
    captured = capture_file(saved, capture_project.sources, who)
    meta = load_yaml(captured.path, SourceMeta)
    assert meta.url is None and meta.final_url is None and meta.captured is None and meta.etag is None
    assert meta.language == "cs" and meta.raw is not None
    assert (capture_project.sources / meta.raw).read_bytes() == saved.read_bytes()
    assert "Smlouva o partnerství s maďarským městem Ráckeve" in (capture_project.sources / meta.file).read_text(
        "utf-8"
    )


def test_a_saved_text_file_needs_a_title(capture_project: Layout, tmp_path: Path) -> None:
    saved = tmp_path / "twins.txt"
    saved.write_text("Побратимени градове на Габрово: Митищи, Русия – от 1967 г.\n", encoding="utf-8")
    who = publisher("Gabrovo", capture_project.records / "places.yaml")
    before = listing(capture_project.sources)
    with pytest.raises(CaptureError, match="no title; give one with --title"):
        capture_file(saved, capture_project.sources, who)
    assert listing(capture_project.sources) == before
    captured = capture_file(saved, capture_project.sources, who, title="Побратимени градове")
    assert captured.meta.title == {"bg": "Побратимени градове"} and captured.meta.raw is None
    assert (capture_project.sources / captured.meta.file).read_bytes() == saved.read_bytes()


def test_the_command_line_captures_and_reports(
    site: Site, capture_project: Layout, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(capture_project.data.parent)
    code = main(["--project", root, "capture", site.url + "/de/partnerstaedte", "--municipality", "bg/gabrovo"])
    out = capsys.readouterr().out
    assert code == 0 and f"captured {site.url}/de/partnerstaedte -> " in out
    assert main(["--project", root, "capture", site.url + "/de/partnerstaedte"]) == 1
    assert "--municipality" in capsys.readouterr().err
    assert main(["--project", root, "capture", "--refresh", site.url]) == 1
    assert "--refresh alone" in capsys.readouterr().err


def test_the_build_accepts_a_capture_and_publishes_where_it_came_from(
    site: Site, capture_project: Layout, tmp_path: Path
) -> None:
    assert capture(capture_project, site.url + "/old/mezhdunarodno.php") == 0
    (meta_path,) = [p for p in capture_project.sources.glob("bg-gabrovo-*.yaml")]
    meta = load_yaml(meta_path, SourceMeta)
    run_build(replace(capture_project, dist=tmp_path / "dist"), DEFAULT_BASE, NOW)
    ds = Dataset(default_union=True)
    ds.parse(tmp_path / "dist" / "pobratim.trig", format="trig")
    source = URIRef(f"{DEFAULT_BASE}source/{meta.id}")
    rows = list(
        ds.query(
            "PREFIX schema: <https://schema.org/> PREFIX pob: <https://pobratim.example/ontology#> "
            "SELECT ?url ?day ?publisher { ?s schema:url ?url ; pob:capturedOn ?day ; dcterms:publisher ?publisher }",
            initNs={"dcterms": "http://purl.org/dc/terms/"},
            initBindings={"s": source},
        )
    )
    assert rows == [
        (
            URIRef(site.url + "/mezhdunarodno.php"),
            Literal("2026-12-05", datatype=XSD.date),
            URIRef(f"{DEFAULT_BASE}id/place/bg/gabrovo"),
        )
    ]


def test_a_capture_that_cannot_be_finished_leaves_no_source_and_no_temporary_file(
    site: Site, fetcher: Fetcher, tmp_path: Path
) -> None:
    first = capture_url(site.url + "/de/partnerstaedte", fetcher, tmp_path / "once", GABROVO, NOW)
    # The same page into a folder where its metadata file's name is taken by a folder: the last rename fails.
    folder = tmp_path / "blocked"
    (folder / f"{first.meta.id}.yaml").mkdir(parents=True)
    with pytest.raises(CaptureError, match="cannot write the capture into"):
        capture_url(site.url + "/de/partnerstaedte", fetcher, folder, GABROVO, NOW)
    assert [p.name for p in folder.iterdir()] == [f"{first.meta.id}.yaml"]  # the text and HTML removed again
