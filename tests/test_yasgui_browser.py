"""YASGUI in a real headless browser (Debian's Chromium), as a person uses the Wikidata Query Service.

Screenshots go to ``test-artefacts/`` (ignored by git) for a person to look at.
"""

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page

from .conftest import CHROMIUM
from .support.browser import shoot
from .support.live import Live

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
    """Run the editor's query and wait for its table; a refused query fails with the server's words."""
    page.click(".yasqe_queryButton")
    answered(page)


def answered(page: Page) -> None:
    """Wait for the answer's table; a refused query fails with the server's words.

    A shared link's query is run by YASGUI as the page opens (its populateFromUrl): its tests wait for that
    answer, for a click on the query button while it is on its way would abort it ("signal is aborted").
    """
    # A whole CI run shares two cores with this browser: an answer may take more than Playwright's 30 s default.
    page.wait_for_selector(".yasr_results table tbody tr, .yasr .errorMessage", timeout=90_000)
    error = page.locator(".yasr .errorMessage")
    assert error.count() == 0, f"the query was refused: {error.first.text_content()}"


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
    answered(page)
    assert page.locator(".yasr_results table tbody tr").count() == 3
    edited = SHARED.replace("LIMIT 3", "LIMIT 2")
    page.evaluate("q => { window.pobratimYasgui.getTab().setQuery(q); }", edited)
    page.reload()
    page.wait_for_selector("#yasgui.ready")
    assert page.evaluate("window.pobratimYasgui.getTab().getQuery()") == edited


# What a person reads in YASGUI's interface: its texts and its titles, placeholders and ARIA labels, but not what
# they wrote or asked for (the query, the results and their column names, the map and chart of an answer, the
# server's own error text) nor what no one sees (CodeMirror's measuring box, an SVG icon's metadata). A column's
# sorting label is read after the column's name.
INTERFACE_TEXTS = """() => {
  const data = ".CodeMirror-line, .CodeMirror-measure, .dataTable tbody, .dataTable thead, figure, .errorMessage, " +
    "metadata";
  const root = document.getElementById("yasgui");
  const texts = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.data.trim() && !node.parentElement.closest(data)) texts.push(node.data.trim());
  }
  for (const element of root.querySelectorAll("[title], [placeholder], [aria-label]")) {
    if (element.closest(".dataTable tbody, figure")) continue;
    for (const name of ["title", "placeholder", "aria-label"]) {
      const value = element.getAttribute(name);
      if (value) texts.push(element.closest("thead") ? value.slice(value.indexOf(": ") + 2) : value);
    }
  }
  return texts;
}"""
# Names that are the same in every language: formats, HTTP and SPARQL words, a program.
NAMES = {"GET", "POST", "Accept", "JSON", "XML", "CSV", "TSV", "Turtle", "RDF", "TriG", "N-Triples", "N-Quads"}
NAMES |= {"ASK", "SELECT", "CONSTRUCT", "DESCRIBE", "cURL", "Ctrl"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]+")


def english_words(page: Page) -> list[str]:
    """Return the words in Latin letters that YASGUI's interface shows now, names left out."""
    texts: list[str] = page.evaluate(INTERFACE_TEXTS)
    return sorted({w for t in texts for w in LATIN_WORD.findall(t) if w not in NAMES})


def open_every_part(page: Page) -> list[str]:
    """Show each part of YASGUI in turn (answer, views, settings, tab menu, share box); return the English seen."""
    seen = english_words(page)
    page.click(".yasr_btn.select_response")
    page.wait_for_selector(".yasr_results .CodeMirror")
    seen += english_words(page)
    page.click(".yasr_btn.select_table")
    page.click(".tabContextButton")  # the request settings
    seen += english_words(page)
    page.mouse.click(5, 5)
    page.click(".tabsList .tab a", button="right")  # the tab's menu
    page.wait_for_selector(".context-menu-list")
    seen += english_words(page)
    page.mouse.click(5, 5)
    page.click(".yasqe_share")
    page.wait_for_selector(".yasqe_sharePopup")
    seen += english_words(page)
    page.mouse.click(5, 5)
    return sorted(set(seen))


REFUSED = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"


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
    assert pg.locator(".yasr_response_chip").inner_text().startswith("43 реда за ")
    assert pg.locator(".yasr_btn.select_table").get_attribute("title") == "Таблица"
    assert pg.locator(".tabsList .tab a > span").first.inner_text() == "Заявка"
    shoot(pg, "yasgui-results-bg")
    assert open_every_part(pg) == []
    assert [m.text for m in errors] == []
    # A refused query: the server's own words, in a box whose every other word is Bulgarian.
    pg.evaluate("q => { window.pobratimYasgui.getTab().setQuery(q); }", REFUSED)
    pg.click(".yasqe_queryButton")
    pg.wait_for_selector(".errorResult .errorMessage")
    assert pg.locator(".errorResult .errorMessage").inner_text().startswith("403 Forbidden: SERVICE")
    assert english_words(pg) == []
    shoot(pg, "yasgui-refused-bg")
    context.close()


def test_yasgui_stays_english_on_the_english_page(live: Live, page: Page) -> None:
    page.goto(live.url + "/yasgui")
    page.wait_for_selector("#yasgui.ready")
    run(page)
    assert page.locator(".yasr .dt-info").inner_text().startswith("Showing 1 to ")
    assert page.locator(".yasr_response_chip").inner_text().startswith("43 rows in ")
    assert page.locator(".yasr_btn.select_table").get_attribute("aria-label") == "Shows the Table view"
    assert page.locator(".tabsList .tab a > span").first.inner_text() == "Query"
    texts: list[str] = page.evaluate(INTERFACE_TEXTS)
    assert not [t for t in texts if re.search("[а-яА-Я]", t)]
    # The check the Bulgarian page passes finds English where there is some.
    assert {"Table", "Showing", "Download", "Share", "Settings"} <= set(open_every_part(page))


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
    answered(page)
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
    answered(page)
    assert page.locator(".yasr_btn.select_map.disabled").count() == 1  # no coordinates, no map
    page.click(".yasr_btn.select_chart")
    page.wait_for_selector("figure.query-chart svg rect.bar")
    bars = page.locator("figure.query-chart rect.bar")
    assert bars.count() == 10
    values = [float(bars.nth(i).get_attribute("data-value") or "nan") for i in range(10)]
    assert values == sorted(values, reverse=True) and values[0] >= 19  # Kazanlak's 19 twins first
    assert page.locator("figure.query-chart text.bar-label").first.text_content() == "place:bg/kazanlak"
    shoot(page, "yasgui-chart-view")


def test_a_syntax_error_explains_itself_on_hover_within_the_content_security_policy(live: Live, page: Page) -> None:
    page.goto(live.url + "/yasgui#query=" + quote(SHARED))
    page.wait_for_selector("#yasgui.ready")
    answered(page)  # the shared link's own run first: its answer redraws the editor's tooltip while it is read
    page.click(".yasqe .CodeMirror-code")
    page.keyboard.press("Control+End")
    page.keyboard.type(" WHERE")  # nothing may follow LIMIT's number
    page.wait_for_selector(".parseErrorIcon", state="attached")
    page.hover(".parseErrorIcon")
    tip = page.locator(".yasqe_tooltip")
    tip.wait_for(state="visible")
    # YASQE underlines each expected token with an inline style attribute; the policy allows that one value by
    # its hash ('unsafe-hashes', CSP Level 3 § 6.7.2.3), and the page fixture fails on any console error.
    assert tip.locator("strong").count() > 0
    # Read in one step in the page (a tooltip redrawn between two steps leaves a detached element, styleless).
    underlined = (
        "() => [...document.querySelectorAll('.yasqe_tooltip strong')]"
        ".some(e => getComputedStyle(e).textDecorationLine.includes('underline'))"
    )
    page.wait_for_function(underlined, timeout=10_000)
    shoot(page, "yasgui-syntax-error")
