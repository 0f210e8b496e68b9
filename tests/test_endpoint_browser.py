"""A real headless browser (Debian's Chromium, driven by Playwright) uses the pages."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from .conftest import CHROMIUM, HOSTILE
from .support.live import Live

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is installed by `make setup`")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB")
    yield context.new_page()
    context.close()


@pytest.fixture
def dialogs(page: Page) -> list[str]:
    """The messages of the dialogs ``page`` opens (an alert run by a hostile label would be one), each dismissed."""
    messages: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return messages


def test_landing_then_example_query_then_resource(live: Live, page: Page) -> None:
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(live.url + "/")
    assert "Town twinnings as linked open data" in page.inner_text("h1")
    page.click("text=SPARQL")
    page.wait_for_selector("#query")
    page.click("button.example[data-name='twinned-with-italy']")
    page.wait_for_selector("#results-table tbody tr")
    rows = page.locator("#results-table tbody tr")
    assert rows.count() == 2
    assert "Cremona" in page.inner_text("#results-table")
    headers = page.locator("#results-table thead th").all_inner_texts()
    assert headers == ["town", "townLabel", "italianTown", "italianTownLabel"]
    # The result links lead to the resource pages on this server.
    page.click("#results-table a[href$='/id/place/it/cremona']")
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Cremona"
    assert page.url.endswith("/id/place/it/cremona.html")
    assert "Kazanlak" in page.inner_text("main")
    assert failed == []  # nothing came from outside (no CDN)


def test_query_typed_by_hand_and_truncation_note(tight: Live, page: Page) -> None:
    page.goto(tight.url + "/query")
    page.fill("#query", "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s")
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    assert page.locator("#results-table tbody tr").count() == 5
    assert page.is_visible("#truncated")
    assert "result limit of 5" in page.inner_text("#truncated")
    page.fill("#query", "SELECT * WHERE { ?s ?p }")
    page.click("#run")
    # A locator assertion, not wait_for_function: the page's CSP forbids evaluating strings as script.
    # The server's own words: the status, then where the query went wrong (not "error 400: 400 Bad Request").
    expect(page.locator("#status")).to_have_text(re.compile(r"^400 Bad Request: \S"))


def test_municipality_page_in_bulgarian(live: Live, browser: Browser) -> None:
    context = browser.new_context(locale="bg-BG", extra_http_headers={"Accept-Language": "bg"})
    pg = context.new_page()
    pg.goto(live.url + "/id/place/bg/kazanlak")
    assert pg.url.endswith("/id/place/bg/kazanlak.html")
    assert pg.inner_text("h1") == "Казанлък"
    assert "Побратимени градове" in pg.inner_text("main")
    assert pg.locator("table.twins tbody tr").count() == 19  # one row per partner, every source in it
    # Ten dated moments: the seed's yearly invitation and "the idea arose" are no events (issue 27, item 11).
    assert pg.locator("ol.timeline li").count() == 10
    context.close()


def test_hostile_labels_do_not_run(hostile: Live, page: Page, dialogs: list[str]) -> None:
    page.goto(hostile.url + "/id/place/eg/luxor.html?lang=en")
    assert page.inner_text("h1") == "Luxor " + HOSTILE
    page.goto(hostile.url + "/id/place/bg/kazanlak.html?lang=en")
    assert HOSTILE in page.inner_text("table.twins")
    page.goto(hostile.url + "/query")
    page.fill("#query", "SELECT ?l WHERE { <https://pobratim.example/id/place/eg/luxor> ?p ?l FILTER(isLiteral(?l)) }")
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    assert HOSTILE in page.inner_text("#results-table")
    page.wait_for_timeout(300)
    assert dialogs == []


def test_a_javascript_iri_in_a_result_is_text_not_a_link(live: Live, page: Page) -> None:
    page.goto(live.url + "/query")
    page.fill("#query", 'SELECT ?x WHERE { BIND (IRI("javascript:alert(document.domain)") AS ?x) }')
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    assert "javascript:alert" in page.inner_text("#results-table")
    assert page.locator("#results-table a").count() == 0
