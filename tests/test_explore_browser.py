"""A real headless browser (Debian's Chromium) searches for towns and reads a twinning's story.

Screenshots of each view are kept in ``test-artefacts/`` (ignored by git) for a person to look at.
"""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from .conftest import CHROMIUM
from .support.browser import shoot
from .support.live import Live

BASE = "https://pobratim.example/id/place/"
TWINNINGS_QUERY = (Path(__file__).resolve().parent.parent / "pobratim" / "queries" / "twinnings.rq").read_text("utf-8")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is installed by `make setup`")


@pytest.fixture
def page(browser: Browser, live: Live) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB")
    pg = context.new_page()
    elsewhere: list[str] = []
    # Every request the page makes must go to this server: no CDN, no tiles, no fonts from elsewhere.
    pg.on("request", lambda r: None if r.url.startswith(live.url) else elsewhere.append(r.url))
    yield pg
    assert elsewhere == []
    context.close()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("Казанлък", "bg/kazanlak"), ("KAZANLUK", "bg/kazanlak"), ("Toljatti", "ru/tolyatti"), ("veroia", "gr/veria")],
)
def test_search_from_the_header_box(live: Live, page: Page, typed: str, expected: str) -> None:
    page.goto(live.url + "/")
    page.fill("header form.search input[name=q]", typed)
    page.press("header form.search input[name=q]", "Enter")
    page.wait_for_selector("ol.search-results li")
    assert "/search?q=" in page.url
    assert page.locator("ol.search-results li").first.get_attribute("data-iri") == BASE + expected
    assert page.input_value("#search-page-q") == typed
    shoot(page, f"search-{expected.replace('/', '-')}-{typed.encode().hex()[:12]}")
    page.locator("ol.search-results li a").first.click()
    page.wait_for_selector("h1")
    assert page.url.endswith(f"/id/place/{expected}.html")


def test_search_works_with_javascript_off(live: Live, browser: Browser) -> None:
    bulgarian = {"Accept-Language": "bg"}
    context = browser.new_context(java_script_enabled=False, locale="bg-BG", extra_http_headers=bulgarian)
    pg = context.new_page()
    pg.goto(live.url + "/id/place/it/cremona.html")
    pg.fill("header form.search input[name=q]", "tolyatti")
    pg.click("header form.search button")
    pg.wait_for_selector("ol.search-results li")
    first = pg.locator("ol.search-results li a").first
    assert first.inner_text() == "Толиати"
    shoot(pg, "search-no-javascript-bg")
    context.close()


def test_the_story_of_a_twinning_in_date_order(live: Live, page: Page) -> None:
    page.goto(live.url + "/id/twinning/bg-kazanlak--it-cremona.html")
    items = page.locator("ol.story > li")
    dates = [items.nth(i).get_attribute("data-date") for i in range(items.count())]
    assert dates[:8] == ["1978-05-25", "1980", "1987", "2005", "2013", "2017-09", "2018", "2019"]
    # Three undated events follow (the yearly invitation and "the idea arose" are no events: issue 27, item 11).
    assert dates[8:] == [None] * 3
    beginning = page.locator("ol.story > li.beginning")
    assert beginning.locator("ul.claimed > li").evaluate_all("els => els.map(e => e.dataset.date)") == [
        "1978-05-25",
        "1982",
    ]
    # The two sources' dates are drawn side by side, not one under the other.
    boxes = [b for b in (li.bounding_box() for li in beginning.locator("ul.claimed > li").all()) if b]
    assert len(boxes) == 2 and boxes[0]["y"] == boxes[1]["y"] and boxes[0]["x"] < boxes[1]["x"]
    shoot(page, "story-kazanlak-cremona")


def test_a_town_with_one_twin_gets_a_map_framed_on_the_two(live: Live, page: Page) -> None:
    page.goto(live.url + "/id/place/it/cremona.html?lang=en")
    page.wait_for_selector("figure.map.drawn svg")
    svg = page.locator("figure.map svg").bounding_box()
    town = page.locator("figure.map svg circle.town").bounding_box()
    twin = page.locator("figure.map svg circle.twin").bounding_box()
    assert svg is not None and town is not None and twin is not None
    # Cremona and Kazanlak are 15 degrees of longitude apart: on the whole world that is 4 % of the width.
    assert abs(town["x"] - twin["x"]) > svg["width"] / 3
    for mark in (town, twin):
        assert svg["x"] < mark["x"] < svg["x"] + svg["width"] and svg["y"] < mark["y"] < svg["y"] + svg["height"]
    shoot(page, "map-cremona-one-twin")


def test_the_map_of_a_towns_twins(live: Live, page: Page) -> None:
    page.goto(live.url + "/id/place/bg/kazanlak.html")
    page.wait_for_selector("figure.map.drawn svg")
    data = json.loads(page.inner_text("#twin-map-data"))
    marks = page.locator("figure.map svg circle.twin")
    assert marks.count() == len(data["twins"]) == 15
    drawn = {marks.nth(i).get_attribute("data-iri") for i in range(marks.count())}
    assert drawn == {t["iri"] for t in data["twins"]}
    assert page.locator("figure.map svg circle.town").get_attribute("data-iri") == BASE + "bg/kazanlak"
    assert page.locator("figure.map svg path.country").count() > 150
    assert page.locator("figure.map svg path.link").count() == 15
    # Coloured by decade: Cremona (1978) and Tolyatti (1990s) in their decades' colours, drawn apart.
    cremona = page.locator(f"circle.twin[data-iri='{BASE}it/cremona']")
    tolyatti = page.locator(f"circle.twin[data-iri='{BASE}ru/tolyatti']")
    fill = "el => getComputedStyle(el).fill"
    assert cremona.evaluate(fill) == "rgb(54, 92, 141)" and tolyatti.evaluate(fill) == "rgb(31, 161, 135)"
    west, east = cremona.bounding_box(), tolyatti.bounding_box()
    assert west and east and west["x"] < east["x"]  # Cremona is west of Tolyatti on the map
    shoot(page, "map-kazanlak")
    cremona.click()
    page.wait_for_selector("h1")
    assert page.url.endswith("/id/place/it/cremona.html")


def test_the_landing_map_of_the_whole_network(live: Live, page: Page) -> None:
    page.goto(live.url + "/")
    page.wait_for_selector("figure#network-map.drawn svg")
    data = json.loads(page.inner_text("#network-map-data"))
    lines = page.locator("#network-map svg path.network-link")
    assert lines.count() == len(data["lines"]) == 22
    places = page.locator("#network-map svg circle.place")
    assert places.count() == len(data["marks"]) == 24
    drawn = {places.nth(i).get_attribute("data-iri") for i in range(places.count())}
    assert drawn == {m["iri"] for m in data["marks"]} and BASE + "bg/kazanlak" in drawn
    assert page.locator("#network-map svg path.country").count() > 150
    # Each line is drawn: a path with a length, in the stroke of its weight class.
    assert all(len(lines.nth(i).get_attribute("d") or "") > 10 for i in range(lines.count()))
    assert lines.first.evaluate("el => getComputedStyle(el).strokeWidth") == "0.8px"
    shoot(page, "map-network")
    page.locator(f"#network-map circle.place[data-iri='{BASE}bg/kazanlak']").click()
    page.wait_for_selector("h1")
    assert page.url.endswith("/id/place/bg/kazanlak.html")


def test_without_javascript_the_twins_are_still_listed(live: Live, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(live.url + "/id/place/bg/kazanlak.html?lang=en")
    assert pg.locator("figure.map svg").count() == 0
    assert pg.locator("table.twins tbody tr").count() == 19  # one row per partner, every source in it
    assert pg.locator("figure.map .legend li").count() == 7
    context.close()


def test_yasgui_runs_the_example_query_on_this_endpoint(live: Live, page: Page) -> None:
    expected = live.get(
        "/sparql", params={"query": TWINNINGS_QUERY}, headers={"Accept": "application/sparql-results+json"}
    ).json()["results"]["bindings"]
    page.goto(live.url + "/yasgui")
    page.wait_for_selector("#yasgui.ready .yasqe_queryButton")
    assert TWINNINGS_QUERY.splitlines()[0] in page.inner_text(".yasqe")
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table tbody tr")
    assert page.locator(".yasr table tbody tr").count() == len(expected) > 20
    headers = page.locator(".yasr table thead th").all_inner_texts()
    assert [h.strip() for h in headers if h.strip()][:3] == ["municipality", "municipalityLabel", "partner"]
    shoot(page, "yasgui-twinnings")


def test_the_browser_language_chooses_the_page_language_and_the_switch_changes_it(live: Live, browser: Browser) -> None:
    context = browser.new_context(locale="bg-BG", extra_http_headers={"Accept-Language": "bg-BG,bg"})
    pg = context.new_page()
    pg.goto(live.url + "/")
    assert pg.inner_text("h1") == "Побратимени градове като свързани отворени данни"
    assert pg.get_attribute("html", "lang") == "bg"
    shoot(pg, "landing-bg")
    pg.click("header p.lang a[hreflang='en']")
    pg.wait_for_selector("html[lang='en']")
    assert pg.inner_text("h1") == "Town twinnings as linked open data"
    pg.fill("header form.search input[name=q]", "Казанлък")
    pg.press("header form.search input[name=q]", "Enter")
    pg.wait_for_selector("ol.search-results li")
    assert pg.locator("ol.search-results li a").first.inner_text() == "Kazanlak"  # asked in English
    context.close()
