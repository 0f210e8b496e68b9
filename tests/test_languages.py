"""Every page in Bulgarian and English: chosen by Accept-Language or ?lang=, with a visible switch."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from .support.inprocess import InProcess

PAGES = {
    "/": ("Town twinnings as linked open data", "Побратимени градове като свързани отворени данни"),
    "/query": ("SPARQL query", "SPARQL заявка"),
    "/yasgui": ("The full query editor", "Пълният редактор на заявки"),
    "/dumps/": ("Every file of the published build", "Всички файлове на публикуваното издание"),
    "/search?q=kazanlak": ("Find a town", "Намерете град"),
    "/id/place/bg/kazanlak.html": ("Twin towns", "Побратимени градове"),
    "/id/twinning/bg-kazanlak--it-cremona.html": ("The story of the relation", "Историята на побратимяването"),
}


def switch(page: str) -> dict[str, str]:
    """The header's language switch: the other language's code and link."""
    found = re.search(r'<p class="lang">(.*?)</p>', page, re.S)
    assert found, "no language switch"
    return {code: href for href, code in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', found.group(1))}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_in_either_language_with_a_switch_to_the_other(server: InProcess, path: str) -> None:
    english, bulgarian = PAGES[path]
    en = server.get(path, headers={"Accept-Language": "en-GB,en;q=0.9"})
    bg = server.get(path, headers={"Accept-Language": "bg-BG,bg;q=0.9,en;q=0.5"})
    assert '<html lang="en">' in en.text and english in en.text and bulgarian not in en.text
    assert '<html lang="bg">' in bg.text and bulgarian in bg.text
    assert "Файлове" in bg.text and "Търсене" in bg.text  # the header too
    assert "Accept-Language" in {v.strip() for v in bg.headers["Vary"].split(",")}
    # The switch names the other language and leads to the same page in it, whatever the browser says.
    assert list(switch(en.text)) == ["bg"] and list(switch(bg.text)) == ["en"]
    target = switch(bg.text)["en"].replace("&amp;", "&")
    assert urlsplit(target).path == urlsplit(path).path
    again = server.get(target, headers={"Accept-Language": "bg"})
    assert '<html lang="en">' in again.text and english in again.text


def test_the_switch_keeps_the_search(server: InProcess) -> None:
    page = server.get("/search", params={"q": "Казанлък", "lang": "bg"}).text
    target = switch(page)["en"].replace("&amp;", "&")
    assert parse_qs(urlsplit(target).query) == {"q": ["Казанлък"], "lang": ["en"]}
    # A search typed on a Bulgarian page stays Bulgarian.
    assert '<input type="hidden" name="lang" value="bg">' in page


def test_without_a_preference_pages_are_in_english(server: InProcess) -> None:
    page = server.get("/").text
    assert '<html lang="en">' in page and '<tr><th scope="row">twinnings</th>' in page
    page = server.get("/", headers={"Accept-Language": "bg"}).text
    assert '<tr><th scope="row">побратимявания</th>' in page and "Казанлък" in page


def test_the_switch_carries_no_other_parameter_into_a_cached_page(server: InProcess) -> None:
    page = server.get("/id/place/bg/kazanlak.html", params={"lang": "bg", "utm": "x"}).text
    assert switch(page)["en"] == "/id/place/bg/kazanlak.html?lang=en"
    again = server.get("/id/place/bg/kazanlak.html", params={"lang": "bg"}).text
    assert "utm" not in again
