"""Realistic reviewer mistakes, planted in a fresh copy of the data: each stops the build with its file, line,
record and field, exit status 1, and dist/ as it was."""

from pathlib import Path

import pytest

from pobratim.cli import main
from pobratim.core.layout import Layout
from tests.support.files import snapshot

CREMONA = "records/kazanlak-cremona.yaml"
ASENOVGRAD = "records/asenovgrad-twin-towns.yaml"
LIST = "records/kazanlak-international-cooperation.yaml"

# name: (file, old text, new text, what the line named by the error holds, record, field, words of the message)
_NEXT_EVENT = "  - id: kazanlak-cremona-2005-rinaldi-visit\n"
# The page's words for what did not happen, recorded as an event (issue 27 item 11): the gate refuses both.
_INVITATION = """  - id: kazanlak-cremona-yearly-delegation
    type: delegation
    name: {bg: "Делегация от гр. Кремона", en: "Delegation from Cremona"}
    twinning: [bg/kazanlak, it/cremona]
    quote: "Ежегодно Община Казанлък кани делегация от гр. Кремона, която да вземе участие"
"""
_IDEA = """  - id: kazanlak-cremona-italian-courses
    type: course
    name: {bg: "Двугодишни безплатни курсове по италиански език", en: "Two-year free Italian language courses"}
    twinning: [bg/kazanlak, it/cremona]
    quote: "възниква идеята за организирането на двугодишни безплатни курсове по италиански език"
"""

CASES: dict[str, tuple[str, str, str, str, str, str, str]] = {
    "an invitation recorded as an event ('кани делегация')": (
        CREMONA,
        _NEXT_EVENT,
        _INVITATION + _NEXT_EVENT,
        "quote:",
        "Event kazanlak-cremona-yearly-delegation",
        "quote",
        "a plan, an invitation or an idea ('кани')",
    ),
    "an idea recorded as an event ('възниква идеята')": (
        CREMONA,
        _NEXT_EVENT,
        _IDEA + _NEXT_EVENT,
        "quote:",
        "Event kazanlak-cremona-italian-courses",
        "quote",
        "a plan, an invitation or an idea ('идея')",
    ),
    "twinning start not in its quote": (
        LIST,
        '    start: "1980"\n',
        '    start: "1981"\n',
        'start: "1981"',
        "Twinning kazanlak-list-veria",
        "start",
        "the date 1981 is not in the record's quote",
    ),
    "day not in a quote that gives the day ('25 май 1978 г.')": (
        CREMONA,
        '    start: "1978-05-25"\n',
        '    start: "1978-05-26"\n',
        'start: "1978-05-26"',
        "Twinning kazanlak-cremona-1978",
        "start",
        "the date 1978-05-26",
    ),
    "twinning end not in its quote": (
        ASENOVGRAD,
        '    end: "1999"\n',
        '    end: "2000"\n',
        'end: "2000"',
        "Twinning asenovgrad-stenimachos",
        "end",
        "the date 2000",
    ),
    "document date not in its quote ('от 23.05.2023 г.')": (
        ASENOVGRAD,
        '    date: "2023-05-23"\n    passed_by',
        '    date: "2023-05-24"\n    passed_by',
        'date: "2023-05-24"',
        "Document asenovgrad-council-decision-2023-05-23-kocaeli",
        "date",
        "the date 2023-05-24",
    ),
    "event month not in its quote ('месец септември 2017')": (
        CREMONA,
        '    date: "2017-09"\n    location: it/cremona\n',
        '    date: "2017-10"\n    location: it/cremona\n',
        'date: "2017-10"',
        "Event kazanlak-cremona-2017-09-mayor-visit",
        "date",
        "the date 2017-10",
    ),
    "event year not in its quote ('1987г.')": (
        CREMONA,
        '    date: "1987"\n    document:',
        '    date: "1986"\n    document:',
        'date: "1986"',
        "Event kazanlak-cremona-1987-restoration",
        "date",
        "the date 1986",
    ),
    "mayor attestation date not in its quote": (
        ASENOVGRAD,
        '    date: "2012-05-02"\n    quote: "По предложение',
        '    date: "2012-05-03"\n    quote: "По предложение',
        'date: "2012-05-03"',
        "MayorAttestation asenovgrad-mayor-karaivanov-2012-05-02",
        "date",
        "the date 2012-05-03",
    ),
    "partner spelling names another known place (the city around it, which the quote also names)": (
        LIST,
        "    partner_label: Джунанг-гу\n",
        "    partner_label: СЕУЛ\n",
        "partner_label: СЕУЛ",
        "Twinning kazanlak-list-jungnang-gu",
        "partner_label",
        "'СЕУЛ' names kr/seoul (Seoul), not the partner kr/jungnang-gu",
    ),
    "partner spelling with the city around it, in other case and accents": (
        LIST,
        "    partner_label: Джунанг-гу\n",
        "    partner_label: Джунанг-гу, СЕУ́Л\n",
        "partner_label:",
        "Twinning kazanlak-list-jungnang-gu",
        "partner_label",
        "names kr/seoul (Seoul)",
    ),
    "event in a twinning no record states": (
        CREMONA,
        '    date: "1980"\n    twinning: [bg/kazanlak, it/cremona]\n',
        '    date: "1980"\n    twinning: [bg/kazanlak, gr/kilkis]\n',
        "twinning: [bg/kazanlak, gr/kilkis]",
        "Event kazanlak-cremona-1980-football",
        "twinning",
        "bg/kazanlak and gr/kilkis are not a twinning any record states",
    ),
    "successor replacing a twinning no record states": (
        ASENOVGRAD,
        "    replaces: [bg/asenovgrad, gr/stenimachos]\n",
        "    replaces: [bg/kazanlak, gr/stenimachos]\n",
        "replaces:",
        "Twinning asenovgrad-naousa",
        "replaces",
        "bg/kazanlak and gr/stenimachos are not a twinning any record states",
    ),
    "document reference naming an event": (
        ASENOVGRAD,
        "    document: asenovgrad-kilkis-agreement-1989\n",
        "    document: asenovgrad-naousa\n",
        "document: asenovgrad-naousa",
        "Twinning asenovgrad-kilkis",
        "document",
        "'asenovgrad-naousa' should name a document of this file; it names a record (Twinning)",
    ),
    "mayor who is an organisation": (
        ASENOVGRAD,
        '    person: hristo-grudev\n    municipality: bg/asenovgrad\n    date: "2023-05-23"\n',
        '    person: asenovgrad-municipal-council\n    municipality: bg/asenovgrad\n    date: "2023-05-23"\n',
        "person: asenovgrad-municipal-council",
        "MayorAttestation asenovgrad-mayor-grudev-2023-05-23",
        "person",
        "should name a person of people.yaml; it names an organisation (people.yaml)",
    ),
    "decision passed by a person": (
        ASENOVGRAD,
        '    date: "2023-05-23"\n    passed_by: asenovgrad-municipal-council\n',
        '    date: "2023-05-23"\n    passed_by: hristo-grudev\n',
        "passed_by: hristo-grudev",
        "Document asenovgrad-council-decision-2023-05-23-kocaeli",
        "passed_by",
        "'hristo-grudev' should name an organisation or a place; it names a person (people.yaml)",
    ),
    "participant organisation that is a place": (
        CREMONA,
        "organization: italian-cultural-institute-sofia}",
        "organization: umberto-rinaldi}",
        "organization: umberto-rinaldi",
        "Event kazanlak-cremona-2005-rinaldi-visit",
        "participants[0].organization",
        "'umberto-rinaldi' should name an organisation of people.yaml; it names a person (people.yaml)",
    ),
    "location that is no place": (
        CREMONA,
        '    location: bg/kazanlak\n    twinning: [bg/kazanlak, it/cremona]\n    quote: "През 2018',
        '    location: bg/kazanlac\n    twinning: [bg/kazanlak, it/cremona]\n    quote: "През 2018',
        "location: bg/kazanlac",
        "Event kazanlak-2018-lutherie-competition",
        "location",
        "'bg/kazanlac' should name a place of places.yaml; it names nothing known",
    ),
    "kind outside its scheme": (
        LIST,
        '    kind: twinning\n    start: "1980"\n',
        '    kind: sister-city\n    start: "1980"\n',
        "kind: sister-city",
        "twinnings[1] (id=kazanlak-list-veria)",
        "kind",
        "Input should be 'twinning', 'friendship', 'partnership' or 'cooperation' (got 'sister-city')",
    ),
    "mode outside its scheme": (
        ASENOVGRAD,
        "    start_kind: agreement\n    document: asenovgrad-prilep-agreement-1993\n",
        "    start_kind: treaty\n    document: asenovgrad-prilep-agreement-1993\n",
        "start_kind: treaty",
        "twinnings[5] (id=asenovgrad-prilep)",
        "start_kind",
        "(got 'treaty')",
    ),
    "status outside its scheme": (
        ASENOVGRAD,
        "    status: transferred\n",
        "    status: dormant\n",
        "status: dormant",
        "twinnings[6] (id=asenovgrad-stenimachos)",
        "status",
        "Input should be 'active', 'ended' or 'transferred' (got 'dormant')",
    ),
    "document type outside its scheme": (
        ASENOVGRAD,
        '    type: cooperation-agreement\n    date: "1989"\n',
        '    type: treaty\n    date: "1989"\n',
        "type: treaty",
        "documents[8] (id=asenovgrad-kilkis-agreement-1989)",
        "type",
        "(got 'treaty')",
    ),
    "event type outside its scheme": (
        CREMONA,
        "    type: sports-match\n",
        "    type: football\n",
        "type: football",
        "events[0] (id=kazanlak-cremona-1980-football)",
        "type",
        "(got 'football')",
    ),
    "twinning partner its quote does not name (a word of the page taken for a partner)": (
        ASENOVGRAD,
        "    partner_label: Бергама\n",
        "    partner_label: Die\n",
        "partner_label: Die",
        "Twinning asenovgrad-bergama",
        "partner_label",
        "'Die' is not in the record's quote",
    ),
    "document title the quote does not contain": (
        ASENOVGRAD,
        '    type: cooperation-agreement\n    date: "1989"\n',
        '    type: cooperation-agreement\n    date: "1989"\n    title: {bg: Договор за побратимяване}\n',
        "title:",
        "Document asenovgrad-kilkis-agreement-1989",
        "title.bg",
        "'Договор за побратимяване' is not in the record's quote",
    ),
    "event name the quote does not contain": (
        CREMONA,
        'name: {bg: "Официална делегация от Кремона"',
        'name: {bg: "Официална делегация от Кремона на Фестивала на розата"',
        "name:",
        "Event kazanlak-cremona-2019-delegation",
        "name.bg",
        "is not in the record's quote",
    ),
    "participant label the quote does not contain": (
        CREMONA,
        '{label: {bg: "струнния камерен оркестър"}',
        '{label: {bg: "симфоничен оркестър"}',
        "{label:",
        "Event kazanlak-cremona-bulgarian-culture-days",
        "participants[0].label.bg",
        "'симфоничен оркестър' is not in the record's quote",
    ),
}


def plant(data: Path, relative: str, old: str, new: str) -> None:
    path = data / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, planted: str, marker: str) -> int:
    """Return the line of the first ``marker`` at or after the planted text."""
    text = path.read_text(encoding="utf-8")
    return text[: text.index(marker, text.index(planted))].count("\n") + 1


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_planted_mistake_stops_the_build(case: str, data_copy: Layout, capsys: pytest.CaptureFixture[str]) -> None:
    relative, old, new, marker, record, field, words = CASES[case]
    data_copy.dist.mkdir()
    (data_copy.dist / "marker").write_text("the previous build")
    before = snapshot(data_copy.dist)
    plant(data_copy.data, relative, old, new)
    status = main(["build", "--data", str(data_copy.data), "--out", str(data_copy.dist)])
    err = capsys.readouterr().err
    assert status == 1
    problems = [p for p in err.splitlines() if f"record {record}" in p and f"field {field}:" in p]
    assert len(problems) == 1, err
    problem = problems[0]
    assert words in problem, problem
    where = line_of(data_copy.data / relative, new, marker)
    assert f"{Path(relative).name}:{where}: " in problem, (where, problem)
    assert "nothing was published" in err
    assert snapshot(data_copy.dist) == before


def test_a_place_named_with_a_plan_word_is_no_plan() -> None:
    """An event from Plant City (or Plan-de-Cuques) happened: the town's name, which the record gives, is not
    read as the page announcing a plan; the same words outside the names still are."""
    from pobratim.records.models import Event
    from pobratim.records.page_checks import not_happened

    def event(name: str, quote: str) -> Event:
        return Event.model_validate(
            {"id": "e", "type": "delegation", "name": {"en": name}, "quote": quote}, strict=False
        )

    assert not_happened(event("delegation from Plant City", "In 2004 a delegation from Plant City came.")) is None
    came = "Eine Delegation aus Plan-de-Cuques kam 2004."
    assert not_happened(event("Delegation aus Plan-de-Cuques", came)) is None
    planned = "A delegation from Plant City is planned to come in 2027."
    assert not_happened(event("delegation from Plant City", planned)) == "plan"
    assert not_happened(event("delegation", "In 2004 a delegation from Plant City came.")) == "Plan"


def test_the_place_an_event_took_place_in_is_no_plan() -> None:
    """An event's location (and its participants' places) are named by the places file, not the event: their
    names are read out too when the gate has it, so "a visit to Plant City" happened."""
    from pobratim.records.models import Event, PlacesFile
    from pobratim.records.page_checks import not_happened

    places = PlacesFile.model_validate(
        {"places": {"us/plant-city": {"en": "Plant City", "kind": "city"}}}, strict=False
    )
    quote = "In 2004 a delegation of Kazanlak came to Plant City."
    record = {"id": "e", "type": "delegation", "name": {"en": "visit of Kazanlak"}, "quote": quote}
    located = Event.model_validate({**record, "location": "us/plant-city"}, strict=False)
    assert not_happened(located, places) is None
    assert not_happened(located) == "Plan"  # without the places file, the town's name is not known
    hosted = Event.model_validate(
        {**record, "participants": [{"place": "us/plant-city", "role": "host"}]}, strict=False
    )
    assert not_happened(hosted, places) is None
    planned = Event.model_validate({**located.model_dump(), "quote": [f"{quote} Another visit is planned."]})
    assert not_happened(planned, places) == "plan"
