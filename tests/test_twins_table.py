"""A town's twins as people look for them: one row per partner, its country, every source's start, the relation."""

import lxml.html
from rdflib import Dataset, URIRef

from pobratim.core.ids import DEFAULT_BASE
from pobratim.core.vocab import POB

from .support.inprocess import InProcess
from .support.rdf import union

KAZANLAK = URIRef(DEFAULT_BASE + "id/place/bg/kazanlak")


def rows(server: InProcess, lang: str) -> list[lxml.html.HtmlElement]:
    page = server.get(f"/id/place/bg/kazanlak.html?lang={lang}")
    assert page.status_code == 200
    return list(lxml.html.fromstring(page.text).cssselect("table.twins tbody tr"))


def test_one_row_per_partner_with_its_country_and_the_relation(server: InProcess, dataset: Dataset) -> None:
    graph = union(dataset)
    partners = {p for t in graph.subjects(POB.party, KAZANLAK) for p in graph.objects(t, POB.party) if p != KAZANLAK}
    found = rows(server, "en")
    assert len(found) == len(partners) > 10
    names = [r.cssselect("td")[0].text_content().strip() for r in found]
    assert len(set(names)) == len(names) and names == sorted(names, key=str.casefold)
    by_name = {n: r for n, r in zip(names, found, strict=True)}
    assert by_name["Cremona"].cssselect("td")[1].text_content().strip() == "Italy"
    # Every row leads to the twinning's own page (its quotes and story): its IRI, which sends a browser on to the page.
    for row in found:
        href = row.cssselect("a.twinning")[0].get("href")
        assert href.startswith("/id/twinning/")
        seen = server.get(href, headers={"Accept": "text/html"})
        assert seen.status_code == 303 and server.get(seen.headers["Location"]).status_code == 200


def test_sources_that_differ_stand_side_by_side_in_one_row(server: InProcess) -> None:
    cremona = next(r for r in rows(server, "en") if r.cssselect("td")[0].text_content().strip() == "Cremona")
    assert "conflict" in (cremona.get("class") or "")
    dates = [t.get("datetime") for t in cremona.cssselect("time.date")]
    assert dates == ["1978-05-25", "1982"]  # the protocol's day and the other page's year, each with its source
    assert len(cremona.cssselect("a.source")) == 2


def test_the_table_speaks_bulgarian(server: InProcess) -> None:
    found = rows(server, "bg")
    cremona = next(r for r in found if r.cssselect("td")[0].text_content().strip() == "Кремона")
    assert cremona.cssselect("td")[1].text_content().strip() == "Италия"
    assert cremona.cssselect("a.twinning")[0].text_content() == "история и източници"
