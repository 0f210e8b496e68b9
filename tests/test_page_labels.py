"""Pages show what things are, in the page's language, never the machinery of the graph.

Every term the build uses is named in both page languages; documents, memberships and roles are named from
what they are; a source page shows its facts with their quotes and its text; derived values stay out of sight.
"""

import lxml.html
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from pobratim.core.locales import LABEL_LANGUAGES
from pobratim.endpoint.display_labels import term_labels

from .support.inprocess import InProcess
from .support.rdf import union


def page(server: InProcess, path: str, lang: str) -> lxml.html.HtmlElement:
    reply = server.get(f"{path}?lang={lang}")
    assert reply.status_code == 200, path
    return lxml.html.fromstring(reply.text)


def section(doc: lxml.html.HtmlElement, heading: str) -> lxml.html.HtmlElement:
    """The element right after the ``<h2>`` with this text."""
    found = [h for h in doc.cssselect("h2") if h.text_content().strip() == heading]
    assert found, f"no section {heading!r}"
    following = found[0].getnext()
    assert following is not None
    return following


@pytest.mark.parametrize("lang", LABEL_LANGUAGES)
def test_every_term_the_build_uses_has_a_name_in_each_page_language(dataset: Dataset, lang: str) -> None:
    graph = union(dataset)
    terms = {p for p in graph.predicates()} | {c for c in graph.objects(None, RDF.type) if isinstance(c, URIRef)}
    display = term_labels()
    missing = []
    for term in sorted(terms, key=str):
        own = {label.language for label in graph.objects(term, RDFS.label) if isinstance(label, Literal)}
        own |= {label.language for label in graph.objects(term, SKOS.prefLabel) if isinstance(label, Literal)}
        if lang not in own and lang not in display.get(str(term), {}):
            missing.append(str(term))
    assert missing == []


def test_the_terms_file_names_each_term_in_every_page_language() -> None:
    for term, names in term_labels().items():
        assert set(LABEL_LANGUAGES) <= set(names), term


@pytest.mark.parametrize(("lang", "country"), [("en", "Bulgaria"), ("bg", "България")])
def test_a_geonames_country_is_named(server: InProcess, lang: str, country: str) -> None:
    doc = page(server, "/id/place/bg/kazanlak.html", lang)
    statements = section(doc, "Statements" if lang == "en" else "Твърдения")
    rows = {r.cssselect("th")[0].text_content().strip(): r for r in statements.cssselect("tr")}
    assert rows["country" if lang == "en" else "държава"].cssselect("td a")[0].text_content() == country


def test_documents_memberships_and_roles_are_named_from_what_they_are(server: InProcess) -> None:
    source = page(server, "/source/kazanlak-cremona.html", "en")
    links = section(source, "What this page states").cssselect("td:first-child a")
    facts = [a.text_content() for a in links]
    assert "protocol, 1978-05-25" in facts  # eli:type_document and eli:date_document, not the slug
    assert not [a.text_content() for a in links if a.text_content() == a.get("href").rsplit("/", 1)[-1]]
    town = page(server, "/id/place/bg/kazanlak.html", "bg")
    members = [a.text_content() for a in town.cssselect("a[href^='/id/membership/']")]
    assert members and all(m.startswith("Казанлък — ") for m in members)
    visit = page(server, "/id/event/kazanlak-cremona-2005-rinaldi-visit.html", "en")
    roles = [a.text_content() for a in visit.cssselect("a[href*='#participant-']")]
    assert roles and all("(" in r and "participant-" not in r for r in roles)


def test_a_source_page_shows_its_facts_their_quotes_and_its_text(server: InProcess) -> None:
    doc = page(server, "/source/kazanlak-cremona.html", "en")
    stated = section(doc, "What this page states").cssselect("tbody tr")
    assert len(stated) > 20
    quoted = {q.text_content() for row in stated for q in row.cssselect("q")}
    # The text is shown where the build republishes it (its rights allow), with the quoted passages marked.
    published = server.get("/dumps/sources/000_d4ef54faed068ef8.txt").status_code == 200
    headings = [h.text_content().strip() for h in doc.cssselect("h2")]
    assert ("The page as captured" in headings) == published
    if published:
        text = section(doc, "The page as captured").getnext()
        assert text is not None and "page-text" in (text.get("class") or "")
        marked = [m.text_content() for m in text.cssselect("mark")]
        # Every quote found in the text is marked there, and every mark holds a quote (overlapping ones make one).
        assert marked and all(any(q in m for q in quoted) for m in marked)
        assert all(any(q in m for m in marked) for q in quoted if q in text.text_content())
    else:
        assert doc.cssselect("p.text-withheld")
    referred = doc.xpath("//h2[.='Referred to by']/following-sibling::table[1]//th")
    assert [th.text_content().strip() for th in referred] == ["derived from"]  # only the page's named graph
    # What a person reads: the page's text outside its scripts (the JSON-LD for machines names its terms).
    visible = " ".join(str(t) for t in doc.xpath("//body//text()[not(ancestor::script)]"))
    assert "Referred to by" in visible
    assert "hasSource" not in visible


def test_derived_sort_bounds_are_not_shown_as_statements(server: InProcess) -> None:
    doc = page(server, "/id/twinning/bg-kazanlak--it-cremona.html", "en")
    assert "1982-01-01" not in section(doc, "Statements").text_content()
    assert "derived, for sorting" not in doc.text_content()


def test_a_time_is_named_by_its_date(server: InProcess) -> None:
    doc = page(server, "/id/mayor-attestation/kazanlak-mayor-stoyanova-2013.html", "en")
    rows = {r.cssselect("th")[0].text_content().strip(): r for r in section(doc, "Statements").cssselect("tr")}
    assert rows["member during"].cssselect("td a")[0].text_content() == "2013"
