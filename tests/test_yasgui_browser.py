"""YASGUI in a real headless browser (Debian's Chromium), as a person uses the Wikidata Query Service.

Screenshots go to ``test-artefacts/`` (ignored by git) for a person to look at.
"""

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page

from .conftest import CHROMIUM
from .live import Live

ARTEFACTS = Path(__file__).resolve().parent.parent / "test-artefacts"
SHARED = "SELECT ?town WHERE { ?town a <https://schema.org/Place> } ORDER BY ?town LIMIT 3"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is installed by `make setup`")


@pytest.fixture
def page(browser: Browser, live: Live) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    problems: list[str] = []
    # No console error at all: a refused inline style (CSP) or a missing favicon would show here.
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("request", lambda r: None if r.url.startswith(live.url) else problems.append(r.url))
    yield pg
    assert problems == []
    context.close()


def run(page: Page) -> None:
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr_results table tbody tr")


def shoot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def test_results_sit_under_the_editor_with_prefixed_names_and_plain_values(live: Live, page: Page) -> None:
    page.goto(live.url + "/yasgui")
    page.wait_for_selector("#yasgui.ready")
    run(page)
    editor = page.locator(".yasqe").bounding_box()
    results = page.locator(".yasr_results table").bounding_box()
    assert editor is not None and results is not None
    assert results["y"] - (editor["y"] + editor["height"]) < 150  # right under it, no blank gap
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # the page never scrolls sideways
    first = page.locator(".yasr_results table tbody tr").first
    assert first.locator("a.iri").first.inner_text().startswith("place:")
    # A year typed xsd:gYear shows as the year; its datatype is on hover.
    typed = page.locator(".yasr_results span.typed[title='xsd:gYear']").first
    assert typed.inner_text().isdigit()
    # A place's link opens this server's page for it, not the base's host.
    href = first.locator("a.iri").first.get_attribute("href") or ""
    assert href.startswith("/id/place/")
    shoot(page, "yasgui-results-en")


def test_a_shared_link_opens_its_query_and_an_edit_survives_a_reload(live: Live, page: Page) -> None:
    page.goto(live.url + "/yasgui#query=" + quote(SHARED))
    page.wait_for_selector("#yasgui.ready")
    assert page.evaluate("window.pobratimYasgui.getTab().getQuery()") == SHARED
    run(page)
    assert page.locator(".yasr_results table tbody tr").count() == 3
    edited = SHARED.replace("LIMIT 3", "LIMIT 2")
    page.evaluate("q => { window.pobratimYasgui.getTab().setQuery(q); }", edited)
    page.reload()
    page.wait_for_selector("#yasgui.ready")
    assert page.evaluate("window.pobratimYasgui.getTab().getQuery()") == edited


def test_yasgui_speaks_bulgarian_where_the_page_does(live: Live, browser: Browser) -> None:
    context = browser.new_context(locale="bg-BG", extra_http_headers={"Accept-Language": "bg"})
    pg = context.new_page()
    errors: list[ConsoleMessage] = []
    pg.on("console", lambda m: errors.append(m) if m.type == "error" else None)
    pg.goto(live.url + "/yasgui")
    pg.wait_for_selector("#yasgui.ready")
    run(pg)
    info = pg.locator(".yasr .dt-info").inner_text()
    assert "резултата" in info and "results" not in info
    assert pg.locator(".yasr .tableFilter").get_attribute("placeholder") == "Филтриране на резултатите"
    assert pg.get_by_text("Опростен изглед").count() == 1
    shoot(pg, "yasgui-results-bg")
    assert [m.text for m in errors] == []
    context.close()


def test_the_plain_query_page_takes_a_query_from_its_link(live: Live, page: Page) -> None:
    page.goto(live.url + "/query?query=" + quote(SHARED))
    assert page.input_value("#query") == SHARED


def test_the_plain_query_page_speaks_bulgarian(live: Live, browser: Browser) -> None:
    context = browser.new_context(locale="bg-BG", extra_http_headers={"Accept-Language": "bg"})
    pg = context.new_page()
    pg.goto(live.url + "/query?query=" + quote(SHARED))
    pg.click("#run")
    pg.wait_for_selector("#results-table tbody tr")
    assert pg.inner_text("#status").startswith("3 реда за ")
    context.close()


COORDINATES = """PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
SELECT ?town ?lat ?long WHERE { GRAPH ?g { ?town geo:lat ?lat ; geo:long ?long } }"""
COUNTS = """SELECT ?town (COUNT(?t) AS ?twins) WHERE { ?t <https://pobratim.example/ontology#party> ?town }
GROUP BY ?town ORDER BY DESC(?twins) ?town LIMIT 10"""


def test_an_answer_with_coordinates_has_a_map_view(live: Live, page: Page) -> None:
    page.goto(live.url + "/yasgui#query=" + quote(COORDINATES))
    page.wait_for_selector("#yasgui.ready")
    run(page)
    rows = page.locator(".yasr_results table tbody tr").count()
    assert page.locator(".yasr_btn.select_chart.disabled").count() == 1  # coordinates are no chart
    page.click(".yasr_btn.select_map")
    page.wait_for_selector("figure.query-map.drawn svg")
    marks = page.locator("figure.query-map circle.place")
    assert marks.count() == min(rows, 50) > 10
    assert (marks.first.get_attribute("data-iri") or "").startswith("https://pobratim.example/id/place/")
    shoot(page, "yasgui-map-view")


def test_an_answer_with_numbers_has_a_chart_view(live: Live, page: Page) -> None:
    page.goto(live.url + "/yasgui#query=" + quote(COUNTS))
    page.wait_for_selector("#yasgui.ready")
    run(page)
    assert page.locator(".yasr_btn.select_map.disabled").count() == 1  # no coordinates, no map
    page.click(".yasr_btn.select_chart")
    page.wait_for_selector("figure.query-chart svg rect.bar")
    bars = page.locator("figure.query-chart rect.bar")
    assert bars.count() == 10
    values = [float(bars.nth(i).get_attribute("data-value") or "nan") for i in range(10)]
    assert values == sorted(values, reverse=True) and values[0] >= 19  # Kazanlak's 19 twins first
    assert page.locator("figure.query-chart text.bar-label").first.text_content() == "place:bg/kazanlak"
    shoot(page, "yasgui-chart-view")
