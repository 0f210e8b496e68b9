"""The fact reader on sentences of our own, in several languages: documents, mayors, events, memberships."""

import pytest

from pobratim.extract.facts import (
    DocumentProposal,
    EventProposal,
    FactProposal,
    MayorProposal,
    MembershipProposal,
    read_facts,
)


def facts(text: str, municipality: str, language: str) -> list[FactProposal]:
    return read_facts(text, municipality, language)


def documents(found: list[FactProposal]) -> list[DocumentProposal]:
    return [f for f in found if isinstance(f, DocumentProposal)]


def mayors(found: list[FactProposal]) -> list[MayorProposal]:
    return [f for f in found if isinstance(f, MayorProposal)]


def events(found: list[FactProposal]) -> list[EventProposal]:
    return [f for f in found if isinstance(f, EventProposal)]


def test_one_date_shared_by_two_agreements() -> None:
    text = (
        "Twin towns\n"
        "On 12 May 2004 the town signed twinning agreements with Zwickau (Germany) and Jelenia Góra (Poland).\n"
    )
    found = documents(facts(text, "Kamnik", "en"))
    assert {(d.partner, d.document_kind, d.date) for d in found} == {
        ("Zwickau", "agreement", "2004-05-12"),
        ("Jelenia Góra", "agreement", "2004-05-12"),
    }
    assert all(d.quote in " ".join(text.split()) and d.twinning == d.partner for d in found)


def test_each_entry_keeps_its_own_date_and_kind() -> None:
    text = (
        "Partnerská města\n"
        "Se slovenským městem Trenčín podepsalo město dne 14. 5. 1994 smlouvu o spolupráci.\n"
        "S polským městem Kłodzko byl 9. května 1999 podepsán protokol o partnerství.\n"
    )
    found = documents(facts(text, "Náchod", "cs"))
    assert {(d.partner, d.document_kind, d.date) for d in found} >= {("Kłodzko", "protocol", "1999-05-09")}
    assert all(d.document_kind in {"agreement", "protocol"} for d in found)


@pytest.mark.parametrize(
    ("text", "municipality", "language", "person"),
    [
        # Croatian: the title in the instrumental, the name agreeing with it.
        (
            "Na proslavi Dana grada bila je i delegacija Općine Kotor s načelnikom Ivanom Horvatom.\n",
            "Makarska",
            "hr",
            "Ivan Horvat",
        ),
        # Turkish: the accusative suffix after an apostrophe.
        (
            "Vali, Keçiören Belediye Başkanı Ahmet Yılmaz’ı yeni kardeş şehir için kutladı.\n",
            "Keçiören",
            "tr",
            "Ahmet Yılmaz",
        ),
        # Bulgarian: "the mayor of Gabrovo" and then the name, with no comma between.
        (
            "На 5 октомври 2005 г. кметът на Габрово Томислав Дончев подписа споразумение с Аоста (Италия).\n",
            "Gabrovo",
            "bg",
            "Томислав Дончев",
        ),
        # Polish: the title with its town in the genitive, the name after them.
        (
            "Burmistrz Gniezna Tomasz Budasz podpisał umowę o współpracy z Ahlen (Niemcy) 3 maja 2012 r.\n",
            "Gniezno",
            "pl",
            "Tomasz Budasz",
        ),
    ],
)
def test_a_mayor_named_with_a_title_and_inflected(text: str, municipality: str, language: str, person: str) -> None:
    assert [m.person for m in mayors(facts(text, municipality, language))] == [person]


def test_a_deputy_mayor_is_not_the_mayor() -> None:
    text = (
        "The delegation was led by Deputy Mayor John Carter.\n"
        "Odazvao se zamjenik gradonačelnika grada Splita Ivan Marić.\n"
    )
    assert mayors(facts(text, "Vratsa", "en")) == []


def test_a_name_written_before_its_title() -> None:
    text = "Bartomeu Muñoz, alcalde de Badalona, y Lucien Clergue, alcalde de Tarbes, firmaron el acuerdo.\n"
    found = mayors(facts(text, "Badalona", "es"))
    assert {(m.person, m.of) for m in found} == {("Bartomeu Muñoz", "Badalona"), ("Lucien Clergue", "Tarbes")}


def test_a_signing_ceremony_is_an_event_and_a_planned_one_is_not() -> None:
    held = (
        "Partnerstädte\n"
        "In einem Festakt unterzeichneten die Bürgermeister am 3. Mai 2015 die Partnerschaftsurkunde "
        "mit Bruneck (Italien).\n"
    )
    found = facts(held, "Schwelm", "de")
    assert [(e.event_kind, e.date, e.partner) for e in events(found)] == [
        ("ceremony", "2015-05-03", "Brunico")
    ]  # GeoNames: Brunico
    assert [(d.document_kind, d.date) for d in documents(found)] == [("charter", "2015-05-03")]

    planned = (
        "Hermanamiento\n"
        "Los alcaldes firmarán el próximo 18 de marzo de 2026 la carta de hermanamiento con Tarbes (Francia) "
        "en una ceremonia solemne.\n"
    )
    found = facts(planned, "Badalona", "es")
    assert events(found) == []
    # The charter is proposed (the page names it), with no date: the signing has not happened.
    assert [(d.partner, d.document_kind, d.date) for d in documents(found)] == [("Tarbes", "charter", None)]
    assert any("not yet signed" in w for w in documents(found)[0].why)


def test_an_invitation_is_not_a_visit() -> None:
    text = "In 2020 the mayor invited a delegation from Tartu (Estonia) to visit the town next spring.\n"
    assert events(facts(text, "Vratsa", "en")) == []


@pytest.mark.parametrize(
    ("text", "municipality", "language", "partner"),
    [
        (
            "Consiliul local, reunit în şedinţa din 28 septembrie 2006, a aprobat prin Hotărârea nr. 173 "
            "înfrăţirea cu oraşul Soroca din Republica Moldova.\n",
            "Cisnădie",
            "ro",
            "Soroca",
        ),
        (
            "Mestské zastupiteľstvo na rokovaní 28. septembra 2006 uznesením č. 173 schválilo dohodu "
            "o partnerstve s mestom Vukovar (Chorvátsko).\n",
            "Partizánske",
            "sk",
            "Vukovar",
        ),
    ],
)
def test_a_council_decision_with_its_number_and_date(text: str, municipality: str, language: str, partner: str) -> None:
    found = documents(facts(text, municipality, language))
    decisions = [d for d in found if d.document_kind == "council_decision"]
    assert [(d.partner, d.date) for d in decisions] == [(partner, "2006-09-28")]
    # A council's consent is a decision, not a signed agreement: an agreement it approves has no date.
    assert all(d.date is None for d in found if d.document_kind != "council_decision")


def test_a_network_named_in_passing() -> None:
    text = (
        "The town, a member of Eurocities and of the Covenant of Mayors, welcomed a delegation from "
        "Bergen (Norway) in 2019.\n"
    )
    found = facts(text, "Vratsa", "en")
    assert {m.network for m in found if isinstance(m, MembershipProposal)} == {"Eurocities", "Covenant of Mayors"}
    assert [(e.event_kind, e.date) for e in events(found)] == [("delegation", "2019")]

    bulgarian = "Общината е член на международната организация „Кметове за мир“, включваща над 4000 града.\n"
    found = facts(bulgarian, "Kazanlak", "bg")
    assert [m.network for m in found if isinstance(m, MembershipProposal)] == ["Кметове за мир"]


def test_every_proposal_says_why_and_how_sure() -> None:
    text = (
        "Twin towns\n"
        "On 12 May 2004 Mayor Anna Novak signed the twinning agreement with Zwickau (Germany) at a ceremony.\n"
    )
    found = facts(text, "Kamnik", "en")
    assert {f.kind for f in found} == {"document", "mayor", "event"}
    for f in found:
        row = f.as_json()
        assert row["kind"] == f.kind and row["why"] and 0 < row["confidence"] <= 1
        assert row["quote"] in " ".join(text.split())


@pytest.mark.parametrize(
    ("text", "municipality", "language", "partner", "date"),
    [
        (
            "Västerås och Lahtis (Finland) undertecknade ett vänortsavtal den 12 maj 1946.\n",
            "Västerås",
            "sv",
            "Lahti",
            "1946-05-12",
        ),
        (
            "Op 14 juni 1996 ondertekenden de burgemeesters het partnerschapsverdrag met Schwerte (Duitsland).\n",
            "Zutphen",
            "nl",
            "Schwerte",
            "1996-06-14",
        ),
        (
            "Tartu ja Frederiksberg (Taani) allkirjastasid koostööleppe 1991. aastal.\n",
            "Tartu",
            "et",
            "Frederiksberg",
            "1991",
        ),
    ],
)
def test_an_agreement_named_inside_a_compound(
    text: str, municipality: str, language: str, partner: str, date: str
) -> None:
    found = documents(facts(text, municipality, language))
    assert [(d.partner, d.document_kind, d.date) for d in found] == [(partner, "agreement", date)]


def test_a_town_that_is_also_a_word_is_still_a_town() -> None:
    # "Colmar" is also a form of the Italian verb colmare; written with a capital inside a sentence it is a name.
    text = "Il vicesindaco Marco Rossi ha accolto una delegazione di Colmar il 5 maggio 2011.\n"
    found = facts(text, "Lucca", "it")
    assert [(e.event_kind, e.partner, e.date) for e in events(found)] == [("delegation", "Colmar", "2011-05-05")]
    assert mayors(found) == []  # a vicesindaco is a deputy


def test_a_council_session_is_a_decision_not_an_event() -> None:
    text = "A Câmara Municipal de Braga aprovou, em reunião de 3 de março de 2015, a geminação com Puteaux (França).\n"
    found = facts(text, "Braga", "pt")
    assert [(d.document_kind, d.partner, d.date) for d in documents(found)] == [
        ("council_decision", "Puteaux", "2015-03-03")
    ]
    assert events(found) == []


def test_a_network_name_with_and_inside_it() -> None:
    text = "La ville est membre de l'Association française du Conseil des Communes et Régions d'Europe.\n"
    found = [m.network for m in facts(text, "Vannes", "fr") if isinstance(m, MembershipProposal)]
    assert found == ["Association française du Conseil des Communes et Régions d'Europe"]


def test_a_partner_in_another_case_is_named_as_the_gazetteer_names_it() -> None:
    # Ukrainian genitive "Любліна" (Lublin); Lithuanian genitive "Kalmaro" (Kalmar), after a date that a
    # sentence splitter would cut off ("12 d.").
    text = "12 травня 2004 року міський голова Луцька Богдан Шиба та мер Любліна (Польща) підписали угоду.\n"
    assert [(d.partner, d.date) for d in documents(facts(text, "Lutsk", "uk"))] == [("Lublin", "2004-05-12")]
    text = "2003 m. gegužės 12 d. Panevėžio meras ir Kalmaro (Švedija) atstovai pasirašė bendradarbiavimo sutartį.\n"
    assert [(d.partner, d.date) for d in documents(facts(text, "Panevėžys", "lt"))] == [("Kalmar", "2003-05-12")]
