"""A refusal reads as a page of the site in a browser, and stays plain text for every other client."""

import lxml.html
import pytest

from .support.inprocess import InProcess

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
MISSING = "/id/place/xx/nowhere"


@pytest.mark.parametrize(("lang", "heading"), [("en", "Nothing here"), ("bg", "Тук няма нищо")])
def test_a_browser_gets_a_404_page_with_search_and_the_language_switch(
    server: InProcess, lang: str, heading: str
) -> None:
    reply = server.get(MISSING, headers={"Accept": BROWSER, "Accept-Language": lang})
    assert reply.status_code == 404 and reply.headers["Content-Type"].startswith("text/html")
    doc = lxml.html.fromstring(reply.text)
    assert doc.cssselect("h1")[0].text_content() == heading
    assert "nowhere" in doc.text_content()  # what was not found, as the plain answer says it
    assert doc.cssselect("main form[role=search] input[name=q]")
    assert doc.cssselect("header p.lang a[hreflang]")  # the other language, one click away
    assert doc.cssselect("link[rel=icon]")


@pytest.mark.parametrize("accept", [None, "*/*", "text/plain", "application/sparql-results+json"])
def test_other_clients_still_get_plain_text(server: InProcess, accept: str | None) -> None:
    reply = server.get(MISSING, headers={"Accept": accept} if accept else {})
    assert reply.status_code == 404 and reply.headers["Content-Type"].startswith("text/plain")
    assert reply.text.startswith("404 Not Found: ")


def test_a_query_error_is_plain_text_to_the_query_page_script(server: InProcess) -> None:
    accept = "application/sparql-results+json, text/turtle;q=0.9"  # what the query page's script asks for
    reply = server.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p }"}, headers={"Accept": accept})
    assert reply.status_code == 400 and reply.text.startswith("400 Bad Request: ")


def test_the_favicon_is_served(server: InProcess) -> None:
    reply = server.get("/favicon.ico")
    assert reply.status_code == 200 and reply.headers["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in reply.content
