"""Review of a captured page's proposals, on the command line and through the review page's application.

The page is the German fixture site's (tests/support/sites.py): four partners in prose with exact dates and in a list
with years, the town hall ("Rathaus") in its menu. It is captured and read once per module with the real
commands; each test reviews a fresh copy.
"""

from collections.abc import Iterator

import pytest
import yaml
from flask.testing import FlaskClient

from pobratim.build.pipeline import run_build
from pobratim.cli import main
from pobratim.core.quotes import normalise
from pobratim.extract.reader import Proposal
from pobratim.extract.sentence_dates import settle_dates
from pobratim.review.app import create_app

from .support.review import Project

BUILT_AT_BASE = "https://pobratim.example/"
TOKEN = "t0ken-for-the-tests"


def review(project: Project, *args: str) -> int:
    return main(
        ["review", str(project.proposals), "--reviewer", "R. Viewer", "--data", str(project.layout.data), *args]
    )


def test_exact_dates_in_prose_win_over_the_list_and_stay_with_their_sentence(review_project: Project) -> None:
    page = normalise(review_project.page.read_text(encoding="utf-8"))
    expected = {"Mayenne": "1962-05-02", "Devizes": "1986-06-14", "Baja": "1988-10-03"}
    for label, start in expected.items():
        proposal = review_project.proposal(label)
        assert proposal["start"] == start
        assert label in str(proposal["quote"]) and str(proposal["quote"]) in page
    # Jesi's sentence writes two dates (the partnership's year, the council's day): the year stays.
    assert review_project.proposal("Jesi")["start"] == "1996"


def test_a_date_stays_with_the_partner_its_sentence_names(review_project: Project) -> None:
    text = review_project.page.read_text(encoding="utf-8")
    mayenne = "Die erste Partnerschaft wurde am 2. Mai 1962 mit der französischen Stadt Mayenne geschlossen."
    listed = "* Mayenne (Frankreich), seit 1962"
    proposals = [
        Proposal(None, "Mayenne", "Mayenne", "FR", start="1962", quote=listed),
        Proposal(None, "Zürich (Kreis 1) / Rathaus", "Rathaus", "CH", start="1962-05-02", quote=mayenne),
    ]
    settled = settle_dates(proposals, text, "de")
    assert (settled[0].start, settled[0].quote) == ("1962-05-02", mayenne)
    assert (settled[1].start, settled[1].quote) == (None, mayenne)  # review then refuses it: no Rathaus quoted


def test_review_refuses_a_partner_its_quote_does_not_name(
    review_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert review(review_project, "--accept-all") == 1
    out = capsys.readouterr().out
    rathaus = review_project.proposal("Rathaus")
    assert f"refused {rathaus['id']}: the partner 'Rathaus' is not in the quote" in out
    assert rathaus["review"]["status"] == "proposed"
    accepted = {t.partner_label for t in review_project.written().twinnings}
    assert "Rathaus" not in accepted and {"Mayenne", "Devizes", "Baja", "Jesi"} <= accepted


def test_a_second_review_says_what_was_decided_before(
    review_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    mayenne, rathaus = review_project.proposal("Mayenne")["id"], review_project.proposal("Rathaus")["id"]
    assert review(review_project, "--accept", str(mayenne), "--reject", str(rathaus)) == 0
    capsys.readouterr()
    assert review(review_project, "--accept", str(mayenne)) == 0
    out = capsys.readouterr().out
    assert "0 accepted" in out
    assert "decided before: 1 accepted, 1 rejected" in out
    assert f"{mayenne} accepted by R. Viewer" in out and f"{rathaus} rejected by R. Viewer" in out


def test_review_adds_the_municipality_and_partners_with_the_names_sources_give(review_project: Project) -> None:
    assert "de/waiblingen" not in review_project.places().places
    devizes, rathaus = review_project.proposal("Devizes")["id"], review_project.proposal("Rathaus")["id"]
    assert (
        review(review_project, "--accept", str(review_project.proposal("Mayenne")["id"]), "--accept", str(devizes)) == 0
    )
    assert review(review_project, "--reject", str(rathaus)) == 0
    places = review_project.places().places
    # The gazetteer gives the English name; the page its German spelling; no source gives a Bulgarian one.
    assert places["de/waiblingen"].model_dump(exclude_defaults=True) == {"en": "Waiblingen", "kind": "municipality"}
    assert places["fr/mayenne"].model_dump(exclude_defaults=True) == {
        "en": "Mayenne",
        "local": {"de": "Mayenne"},
        "kind": "city",
    }
    assert places["gb/devizes"].bg is None
    assert "ch/zurich-kreis-1-rathaus" not in places
    # The build publishes the reviewed page without a hand edit of places.yaml.
    result = run_build(review_project.layout, BUILT_AT_BASE, __import__("datetime").datetime(2026, 12, 5))
    assert result.report.conforms


def test_an_accented_name_keeps_its_accents(review_project: Project) -> None:
    """A partner the gazetteer writes with accents ("Třebíč") is added under en: as written, not "Trebic"."""
    page = review_project.page
    page_text = page.read_text(encoding="utf-8") + "\nSeit 2001 ist auch Třebíč in Tschechien eine Partnerstadt.\n"
    # The page changed: recapture it as a saved text, as a person keeps a page offline.
    saved = review_project.proposals.parent / "partner.txt"
    saved.write_text(page_text, encoding="utf-8")
    layout = review_project.layout
    assert (
        main(
            [
                "capture",
                str(saved),
                "--municipality",
                "de/waiblingen",
                "--title",
                "Partnerstädte",
                "--data",
                str(layout.data),
            ]
        )
        == 0
    )
    text = next(p for p in layout.sources.glob("de-waiblingen-*.txt") if "Třebíč" in p.read_text(encoding="utf-8"))
    out = review_project.proposals.parent / "second.yaml"
    assert (
        main(["extract", str(text), "--municipality", "Waiblingen", "--out", str(out), "--data", str(layout.data)]) == 0
    )
    ident = next(
        t["id"] for t in yaml.safe_load(out.read_text(encoding="utf-8"))["twinnings"] if t["partner_label"] == "Třebíč"
    )
    assert main(["review", str(out), "--accept", ident, "--data", str(layout.data)]) == 0
    place = review_project.places().places["cz/trebic"]
    assert (place.en, place.local, place.bg) == ("Třebíč", {"de": "Třebíč"}, None)


# ---------------------------------------------------------------- the review page's application


@pytest.fixture
def client(review_project: Project) -> Iterator[FlaskClient]:
    app = create_app(review_project.proposals, review_project.layout, "W. Eb", TOKEN)
    with app.test_client() as c:
        yield c


def test_the_page_is_behind_its_token_and_its_policy(client: FlaskClient) -> None:
    assert client.get("/review/wrong-token/").status_code == 404
    assert client.post("/review/wrong-token/build").status_code == 404
    page = client.get(f"/review/{TOKEN}/")
    assert page.status_code == 200
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_the_page_marks_each_proposals_evidence_in_the_text(client: FlaskClient, review_project: Project) -> None:
    from lxml import html

    tree = html.fromstring(client.get(f"/review/{TOKEN}/").data)
    marks = {m.text_content(): m.get("data-items").split() for m in tree.xpath("//div[@id='page-text']/mark")}
    baja = str(review_project.proposal("Baja")["id"])
    assert marks["Mit der ungarischen Stadt Baja ist Waiblingen seit dem 3. Oktober 1988 verbunden."] == [baja]
    # The text is the page's, whole: marks and all, it reads as the capture.
    assert tree.xpath("string(//div[@id='page-text'])") == review_project.page.read_text(encoding="utf-8")
    items = tree.xpath("//li[@data-item]/@data-item")
    assert baja in items and "waiblingen-rathaus-planted" in items


def test_decisions_on_the_page_write_what_the_command_line_writes(client: FlaskClient, review_project: Project) -> None:
    baja, rathaus = str(review_project.proposal("Baja")["id"]), str(review_project.proposal("Rathaus")["id"])
    answer = client.post(f"/review/{TOKEN}/decide/{baja}", data={"decision": "accepted", "start": "1988"})
    assert answer.status_code == 303
    refused = client.post(f"/review/{TOKEN}/decide/{rathaus}", data={"decision": "accepted"}, follow_redirects=True)
    assert "the partner &#39;Rathaus&#39; is not in the quote" in refused.text
    written = review_project.written().twinnings
    assert [(t.partner, t.start, t.review) for t in written] == [("hu/baja", "1988", None)]  # the reviewer's edit
    assert review_project.proposal("Baja")["review"]["by"] == "W. Eb"
    assert client.post(f"/review/{TOKEN}/decide/{baja}", data={"decision": "maybe"}).status_code == 400


def test_a_partner_the_reader_missed_is_added_from_the_text(client: FlaskClient, review_project: Project) -> None:
    text = review_project.page.read_text(encoding="utf-8")
    at = text.index("Devizes (Großbritannien)")
    found = client.get(f"/review/{TOKEN}/places", query_string={"q": "Devizes"}).get_json()
    assert found[0]["key"] == "gb/devizes" and "GB" in found[0]["label"]
    form = {"partner_label": "Devizes", "partner": "gb/devizes", "at": str(at), "start": "1986", "kind": "twinning"}
    assert client.post(f"/review/{TOKEN}/add", data=form).status_code == 303
    added = [
        t
        for t in yaml.safe_load(review_project.proposals.read_text(encoding="utf-8"))["twinnings"]
        if t["id"].endswith("-reviewed")
    ]
    assert [(t["partner"], t["quote"], t["review"]["status"]) for t in added] == [
        ("gb/devizes", "* Devizes (Großbritannien), seit 1986", "proposed")
    ]
    # A selection that is not where the page says is refused, and nothing is added.
    assert client.post(f"/review/{TOKEN}/add", data={**form, "at": str(at + 3)}).status_code == 400


def test_a_fact_proposal_is_accepted_into_its_section(client: FlaskClient, review_project: Project) -> None:
    data = yaml.safe_load(review_project.proposals.read_text(encoding="utf-8"))
    jesi = str(review_project.proposal("Jesi")["quote"])
    data["documents"] = [
        {
            "id": "waiblingen-jesi-council-1996",
            "type": "council-decision",
            "date": "1996-03-21",
            "quote": jesi,
            "review": {"status": "proposed", "confidence": 0.9, "evidence": ["a council's decision"]},
        }
    ]
    review_project.proposals.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert "council-decision" in client.get(f"/review/{TOKEN}/").text
    client.post(f"/review/{TOKEN}/decide/waiblingen-jesi-council-1996", data={"decision": "accepted"})
    assert [(d.id, d.date) for d in review_project.written().documents] == [
        ("waiblingen-jesi-council-1996", "1996-03-21")
    ]
    assert "de/waiblingen" in review_project.places().places  # the page's municipality, whatever fact came first


def test_a_facts_kind_date_and_quote_are_edited_on_the_page_before_it_is_accepted(
    client: FlaskClient, review_project: Project
) -> None:
    data = yaml.safe_load(review_project.proposals.read_text(encoding="utf-8"))
    prose = (
        "Seit 1996 besteht zudem eine Partnerschaft mit Jesi in Italien, "
        "die der Gemeinderat am 21. März 1996 beschlossen hat."
    )
    data["documents"] = [
        {"id": "jesi-1996", "type": "agreement", "date": "1996", "quote": prose, "review": {"status": "proposed"}}
    ]
    review_project.proposals.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    from lxml import html

    form = html.fromstring(client.get(f"/review/{TOKEN}/").data).xpath("//li[@data-item='jesi-1996']//fieldset")[0]
    assert form.xpath("string(.//select[@name='type']/option[@selected])") == "agreement"
    assert "council-decision" in form.xpath(".//select[@name='type']/option/text()")  # the schema's kinds
    # A date the quote does not hold is refused, and the proposal stays to be decided.
    wrong = {"decision": "accepted", "type": "council-decision", "date": "1996-03-22"}
    said = client.post(f"/review/{TOKEN}/decide/jesi-1996", data=wrong, follow_redirects=True).text
    assert "refused jesi-1996: date: the date 1996-03-22 is not in the record" in said
    assert review_project.fact("jesi-1996")["review"]["status"] == "proposed"
    # The reviewer's reading: a council's consent on the day the sentence gives.
    # A field that is not the fact's own to edit (a twinning's partner) is left out, not written or refused.
    right = {**wrong, "date": "1996-03-21", "quote": prose, "partner": "it/jesi"}
    client.post(f"/review/{TOKEN}/decide/jesi-1996", data=right)
    assert [(d.id, d.type, d.date) for d in review_project.written().documents] == [
        ("jesi-1996", "council-decision", "1996-03-21")
    ]


def test_the_command_line_decides_on_facts_as_on_twinnings(
    review_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    data = yaml.safe_load(review_project.proposals.read_text(encoding="utf-8"))
    jesi = str(review_project.proposal("Jesi")["quote"])
    council = {"id": "jesi-council", "type": "council-decision", "date": "1996-03-21", "quote": jesi}
    invented = {"id": "invented", "type": "council-decision", "date": "1997-01-01", "quote": jesi}
    data["documents"] = [d | {"review": {"status": "proposed"}} for d in (council, invented)]
    review_project.proposals.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert review(review_project, "--accept", "jesi-council", "--accept", "invented") == 1
    out = capsys.readouterr().out
    assert "refused invented: date: the date 1997-01-01 is not in the record's quote" in out
    assert [d.id for d in review_project.written().documents] == ["jesi-council"]
