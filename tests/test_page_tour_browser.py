"""Every kind of page, in both languages, in a real browser: it opens, says its title, asks nothing of other
hosts, logs no error, and leaves a screenshot in ``test-artefacts/`` for a person to look at."""

import pytest
from playwright.sync_api import Browser

from .conftest import CHROMIUM
from .support.browser import shoot
from .support.live import Live

PAGES = {
    "landing": "/",
    "search": "/search?q=kazanlak",
    "place": "/id/place/bg/kazanlak.html",
    "twinning": "/id/twinning/bg-kazanlak--it-cremona.html",
    "source": "/source/kazanlak-cremona.html",
    "event": "/id/event/kazanlak-cremona-2005-rinaldi-visit.html",
    "document": "/id/document/kazanlak-cremona-protocol-1978.html",
    "mayor": "/id/mayor-attestation/kazanlak-mayor-stoyanova-2013.html",
    "membership": "/id/membership/kazanlak-mayors-for-peace.html",
    "person": "/id/person/andrea-virgilio.html",
    "organisation": "/id/org/mayors-for-peace.html",
    "query": "/query",
    "yasgui": "/yasgui",
    "dumps": "/dumps/",
    "missing": "/id/place/xx/nowhere",
}
# What the header's search button says: a word of the page's own chrome, in its language.
SEARCH = {"en": "Search", "bg": "Търсене"}

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is installed by `make setup`")


@pytest.mark.parametrize("lang", ["en", "bg"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_each_kind_of_page_in_each_language(live: Live, browser: Browser, kind: str, lang: str) -> None:
    context = browser.new_context(locale=lang, extra_http_headers={"Accept-Language": lang})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and kind != "missing" else None)
    page.on("request", lambda r: None if r.url.startswith(live.url) else problems.append(r.url))
    response = page.goto(live.url + PAGES[kind])
    assert response is not None and response.status == (404 if kind == "missing" else 200)
    assert page.get_attribute("html", "lang") == lang
    assert page.inner_text("h1").strip()
    assert page.inner_text("header form.search button") == SEARCH[lang]
    shoot(page, f"page-{kind}-{lang}")
    assert problems == []
    context.close()
