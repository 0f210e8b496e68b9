"""The mention reader on sentences of our own, one difficulty at a time, in several languages.

Each case names its partner and country in words no development page uses; the shipped weights decide.
"""

from pathlib import Path

import pytest

from pobratim.core.gazetteer import lookup
from pobratim.extract.adjectives import find_adjectives
from pobratim.extract.country_names import find_countries
from pobratim.extract.mentions import find_places
from pobratim.extract.nearby import next_door
from pobratim.extract.reader import extract
from pobratim.extract.script import UnreadablePage
from tests.support.cli import pobratim
from tests.support.extract import partners

# --- the country as an adjective -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "partner", "country"),
    [
        ("Twin towns\nIn 2004 we signed a twinning pact with the Polish town of Gniezno.\n", "en", "Gniezno", "PL"),
        (
            "Miasta partnerskie\nW 1998 roku podpisaliśmy umowę partnerską z niemieckim miastem Bamberg.\n",
            "pl",
            "Bamberg",
            "DE",
        ),
        (
            "Міста-побратими\nУ 2011 році місто підписало угоду про побратимство з польським містом Ряшів.\n",
            "uk",
            "Rzeszów",
            "PL",
        ),
    ],
)
def test_country_as_an_adjective(text: str, language: str, partner: str, country: str) -> None:
    got = partners(text, "Kazanlak", language)
    assert partner in got, got
    assert got[partner].country == country
    assert "adjective" in got[partner].evidence[-1]


def test_country_adjectives_come_from_cldr_language_names() -> None:
    found = {(a.text, a.code) for a in find_adjectives("польським містом, the Croatian coast, nos amis belges")}
    assert found == {("польським", "PL"), ("Croatian", "HR"), ("belges", "BE")}


# --- the country as a heading -----------------------------------------------------------------------


def test_country_as_a_section_heading() -> None:
    text = (
        "Testvérvárosaink\nOlaszország\nCervignano del Friuli\n2001. május 12.\n"
        "Lengyelország\nZakopane\n1999. szeptember 4.\n"
    )
    got = partners(text, "Kazanlak", "hu")
    assert {(p, got[p].country, got[p].start) for p in got} == {
        ("Cervignano del Friuli", "IT", "2001-05-12"),
        ("Zakopane", "PL", "1999-09-04"),
    }


# --- no country at all: domestic partners and well-known towns ---------------------------------------


def test_no_country_named_the_gazetteer_decides() -> None:
    text = "Pobratene občine\nLeta 1982 sta občini Jesenice in Ptuj podpisali listino o pobratenju.\n"
    got = partners(text, "Jesenice", "sl")
    assert got["Ptuj"].country == "SI" and got["Ptuj"].start == "1982"
    text = "Gemellaggi\nNel 1994 il Comune ha firmato il patto di gemellaggio con Villach.\n"
    got = partners(text, "Kazanlak", "it")
    assert got["Villach"].country == "AT" and got["Villach"].start == "1994"


# --- names in running prose, inflected ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "place"),
    [("Gnieznem", "Gniezno"), ("Valjevom", "Valjevo"), ("Kraslavos", "Krāslava"), ("Karlovcem", "Karlovac")],
)
def test_inflected_names_are_found(word: str, place: str) -> None:
    names = {e.name for m in find_places(f"Umowa z {word} podpisana.") for e in m.entries}
    assert place in names


def test_inflected_partner_in_a_list_entry() -> None:
    text = "Miasta partnerskie\nSwietłogorska (Białoruś) – umowa o partnerstwie z 6 listopada 2006 roku\n"
    got = {p.partner_label: p for p in extract(text, "Kazanlak", language="pl")}
    assert got["Swietłogorska"].country == "BY" and got["Swietłogorska"].start == "2006-11-06"


def test_inflected_partner_in_prose_with_its_adjective() -> None:
    # The adjective before the inflected name tells its country: "z niemieckim Bambergiem".
    text = "Miasta partnerskie\nUmowę z niemieckim Bambergiem podpisano 12 maja 2005 roku.\n"
    got = {p.partner: p for p in extract(text, "Kazanlak", language="pl")}
    assert got["Bamberg"].country == "DE"


LIMIT = pytest.mark.xfail(
    strict=True,
    reason="known limit: a partner named only once, inflected, in running prose, with no country beside it, "
    "scores below the cut; the reviewed pages hold too few such partners for the scorer to trust it",
)


GNIEZNEM = "Miasta partnerskie\nUmowę o partnerstwie z Gnieznem podpisano 12 maja 2005 roku.\n"
KARLOVCEM = "Pobratene občine\nLeta 2001 je občina s Karlovcem podpisala pogodbo o sodelovanju.\n"


@pytest.mark.parametrize(
    ("text", "language", "partner"),
    [(GNIEZNEM, "pl", "Gniezno"), (KARLOVCEM, "sl", "Karlovac")],
)
def test_inflected_partner_in_prose_is_shown_to_a_reviewer(text: str, language: str, partner: str) -> None:
    # Karlovac ("s Karlovcem") scores under the floor, but a page about twinning shows its likeliest reading.
    assert partner in partners(text, "Jesenice", language, possible=True)


@pytest.mark.parametrize(
    ("text", "language", "partner"),
    [(GNIEZNEM, "pl", "Gniezno"), pytest.param(KARLOVCEM, "sl", "Karlovac", marks=LIMIT)],
)
def test_inflected_partner_in_prose_is_proposed(text: str, language: str, partner: str) -> None:
    # "z Gnieznem": the Polish instrumental, read by the declension table; "s Karlovcem" drops the fleeting
    # vowel of Karlovac, which no ending rule restores, so it is still only "inflected".
    assert partner in partners(text, "Jesenice", language)


# --- districts of a city, a city that is only where the partner lies, two towns in one entry ----------


def test_a_city_named_as_where_the_partner_lies_is_not_a_partner() -> None:
    text = "Побратими\nГрад Крушевац, окръг Расина, Сърбия – договор за побратимяване от 2010 г.\n"
    got = partners(text, "Kazanlak", "bg")
    assert set(got) == {"Kruševac"}
    text = "Партньори\nСетагая-ку, Токио – Япония\nДоговор за сътрудничество от 2015 г.\n"
    assert "Tokyo" not in partners(text, "Kazanlak", "bg")


def test_two_towns_in_one_entry() -> None:
    text = "Partnerstädte\n  • Nitra und Trnava – Slowakei\n  • Tarnów – Polen\n"
    got = partners(text, "Kazanlak", "de")
    assert {(p, got[p].country) for p in got} == {("Nitra", "SK"), ("Trnava", "SK"), ("Tarnów", "PL")}


# --- names in another script than the page's --------------------------------------------------------


def test_latin_name_on_a_cyrillic_page() -> None:
    text = "Побратимени градове\nNagold (Германия) – споразумение за побратимяване от 12.06.1996 г.\n"
    got = partners(text, "Kazanlak", "bg")
    assert got["Nagold"].country == "DE" and got["Nagold"].start == "1996-06-12"


def test_cyrillic_name_respelled_is_transliterated() -> None:
    names = {(m.how, e.name) for m in find_places("Договір з містом Курнік") for e in m.entries}
    assert ("transliterated", "Kórnik") in names


# --- noise: visitors, history, co-signatories, menus --------------------------------------------------


def test_noise_is_not_proposed() -> None:
    text = (
        "Home | Kraków | Wrocław | Gdańsk | Contact\n"
        "Twin towns\n"
        "Gniezno, Poland: twinning agreement signed on 3 May 2001.\n"
        "The town was founded in 1250 by settlers from Magdeburg, a history our museum tells.\n"
        "A delegation from Poznań visited the town in 2019.\n"
    )
    got = partners(text, "Kazanlak", "en")
    assert set(got) == {"Gniezno"}
    assert got["Gniezno"].start == "2001-05-03"


@pytest.mark.parametrize(
    ("text", "municipality", "language", "partner", "reference"),
    [
        (
            "Partner towns\nOur partner town Gyula (Hungary) lies 40 km south-east of Békéscsaba.\n",
            "Arad",
            "en",
            "Gyula",
            "Békéscsaba",
        ),
        (
            "Jumelage\nNotre ville est jumelée avec Tábor (République tchèque), à 90 km au sud de Prague.\n",
            "Konstanz",
            "fr",
            "Tábor",
            "Prague",
        ),
        (
            "Побратимени градове\nПобратим на града е Кукуш (Гърция), на 60 км северно от Солун.\n",
            "Kazanlak",
            "bg",
            "Kilkís",
            "Thessaloníki",
        ),
        (
            "Miasta partnerskie\nNaszym miastem partnerskim jest Kežmarok (Słowacja), położony 15 km od Popradu.\n",
            "Nowy Targ",
            "pl",
            "Kežmarok",
            "Poprad",
        ),
    ],
)
def test_a_place_a_distance_points_from_is_not_a_partner(
    text: str, municipality: str, language: str, partner: str, reference: str
) -> None:
    got = partners(text, municipality, language, possible=True)
    assert partner in got
    assert reference not in got, got


@pytest.mark.parametrize(
    ("text", "municipality", "language", "partner", "label"),
    [
        (
            "Twin towns\nOur district is twinned with Landkreis Gifhorn (Germany) since 1992.\n",
            "Bromley",
            "en",
            "Gifhorn",
            "Landkreis Gifhorn",
        ),
        (
            "Partnerschaften\nSeit 1995 verbindet uns eine Partnerschaft mit dem Powiat Gniezno (Polen).\n",
            "Soest",
            "de",
            "Gniezno",
            "Powiat Gniezno",
        ),
    ],
)
def test_a_district_named_with_its_word_is_labelled_as_the_district(
    text: str, municipality: str, language: str, partner: str, label: str
) -> None:
    assert partners(text, municipality, language)[partner].partner_label == label


def test_a_name_continued_by_an_unknown_hyphenated_word_is_not_its_first_word() -> None:
    # "Sainte" is a place to the gazetteer, "Colombe" too; "Colombe-des-Bois-Hauts" is not.
    text = "Jumelage\nNotre commune est jumelée depuis 1988 avec Sainte Colombe-des-Bois-Hauts (France).\n"
    assert partners(text, "Tübingen", "fr", possible=True) == {}


# --- a page the reader cannot read ---------------------------------------------------------------------


def test_unreadable_script_gets_a_message_and_no_proposals(tmp_path: Path) -> None:
    # Thai: a script the reader does not read (its place names are not matched, its words not known).
    text = "เมืองพี่เมืองน้อง\nเทศบาลลงนามข้อตกลงเมืองพี่เมืองน้องกับเมืองกรานาดาในปี 2004\n"
    with pytest.raises(UnreadablePage, match="Thai script"):
        extract(text)
    page = tmp_path / "page.txt"
    page.write_text(text, encoding="utf-8")
    out = pobratim("extract", str(page), "--json")
    assert out.returncode == 1
    assert out.stdout == ""
    assert "Thai script" in out.stderr and "proposes nothing" in out.stderr


# --- what every proposal carries -----------------------------------------------------------------------


def test_proposals_say_why_and_how_sure_best_first() -> None:
    text = (
        "Villes jumelées\nLe serment de jumelage avec Bamberg (Allemagne) a été signé le 14 juin 1986.\n"
        "Nos amis de Tarnów viennent chaque année.\n"
    )
    proposals = extract(text, "Kazanlak", language="fr")
    assert proposals, "a partner stated in so many words must be proposed"
    assert [p.confidence for p in proposals] == sorted((p.confidence for p in proposals), reverse=True)
    best = proposals[0]
    assert best.partner == "Bamberg" and best.start == "1986-06-14"
    assert best.quote in " ".join(text.split())
    assert any(word.casefold().startswith("jumel") for word in best.evidence)
    assert 0 < best.confidence <= 1


# --- people who sign are not partners ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "partners_expected"),
    [
        (
            "Gemellaggi\nIl sindaco Mario Gorizia ha firmato nel 1994 il patto di gemellaggio con Villach (Austria).\n",
            "it",
            {"Villach"},
        ),
        (
            "Partnerstädte\nTarnów – Polen\nAnna Kraków Bürgermeisterin unterzeichnete 2003 den Vertrag.\n",
            "de",
            {"Tarnów"},
        ),
    ],
)
def test_signatories_are_people_not_places(text: str, language: str, partners_expected: set[str]) -> None:
    assert set(partners(text, "Kazanlak", language)) == partners_expected


# --- successors, and a page in Greek ------------------------------------------------------------------------


def test_successor_takes_the_relation_over() -> None:
    text = (
        "Twin towns\nThe town of Dagda (Latvia) signed a cooperation agreement with us in 2014. "
        "In 2021 the town of Krāslava became the successor of Dagda.\n"
    )
    got = partners(text, "Kazanlak", "en")
    assert (got["Dagda"].start, got["Dagda"].start_kind) == ("2014", "agreement")
    assert (got["Krāslava"].start, got["Krāslava"].start_kind) == ("2021", "successor")


def test_a_greek_page() -> None:
    text = "Αδελφοποιημένες πόλεις\nΗ συμφωνία αδελφοποίησης με την πόλη Βάρνα (Βουλγαρία) υπογράφηκε το 2003.\n"
    got = partners(text, "Kazanlak", "el")
    assert set(got) == {"Varna"}
    assert (got["Varna"].country, got["Varna"].start, got["Varna"].start_kind) == ("BG", "2003", "agreement")


# --- a council's consent dates the decision, not the twinning -------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "partner"),
    [
        (
            "Побратимени градове\nГрад Прилеп, Република Македония\nС решение от 12.03.2015 г. Общински съвет "
            "дава съгласие за побратимяване между град Асеновград и град Прилеп.\n",
            "bg",
            "Prilep",
        ),
        (
            "Twin towns\nPrilep, North Macedonia\nBy its decision of 12 March 2015 the municipal council gave its "
            "consent to twinning with the town of Prilep.\n",
            "en",
            "Prilep",
        ),
    ],
)
def test_a_council_consent_is_no_start(text: str, language: str, partner: str) -> None:
    got = partners(text, "Asenovgrad", language)[partner]
    assert got.start is None and got.start_kind == "council_decision"
    assert any("2015-03-12" in e for e in got.evidence)


def test_a_year_heading_over_a_partners_paragraph_is_its_start() -> None:
    text = (
        "Twin towns\n\n- 2003\n\nOur twin town Kalocsa in Hungary is known for its paprika.\n\n"
        "- 2009\n\nOur twin town Ohrid in North Macedonia lies on its lake.\n"
    )
    got = partners(text, "Kazanlak", "en", possible=True)
    assert (got["Kalocsa"].start, got["Ohrid"].start) == ("2003", "2009"), got
    assert got["Ohrid"].start_kind == "twinning"


def test_a_year_alone_far_above_is_no_start() -> None:
    text = (
        "Twin towns\n\n- 2003\n\nA word about our district.\n\nOur twin town Kalocsa in Hungary is known for paprika.\n"
    )
    got = partners(text, "Kazanlak", "en", possible=True)
    assert got["Kalocsa"].start is None, got


# --- a neighbour of the municipality ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "municipality", "language", "partner", "neighbours"),
    [
        (
            "Partnerstädte\nSeit 1987 ist Esslingen mit Eger (Ungarn) verschwistert; den Vertrag unterschrieben "
            "auch die Bürgermeister von Ostfildern und Plochingen.\n",
            "Esslingen am Neckar",
            "de",
            "Eger",
            {"Ostfildern", "Plochingen"},
        ),
        (
            "Twin towns\nReading has been twinned with Düsseldorf (Germany) since 1988; the charter was "
            "witnessed by the mayors of Wokingham and Earley.\n",
            "Reading",
            "en",
            "Düsseldorf",
            {"Wokingham", "Earley"},
        ),
    ],
)
def test_a_town_next_door_in_the_same_country_is_not_a_partner(
    text: str, municipality: str, language: str, partner: str, neighbours: set[str]
) -> None:
    got = partners(text, municipality, language, possible=True)
    assert partner in got
    assert not neighbours & set(got), got


def test_a_twin_across_the_border_next_door_is_still_a_partner() -> None:
    got = partners("Partnerstädte\nGörlitz und Zgorzelec (Polen) sind seit 1998 Partnerstädte.\n", "Görlitz", "de")
    assert got["Zgorzelec"].country == "PL"


def test_next_door_is_same_country_and_close() -> None:
    konya = lookup("Konya", "TR")[0]
    karatay = lookup("Karatay", "TR")[0]
    assert next_door(konya, karatay)
    assert not next_door(lookup("Ankara", "TR")[0], karatay)
    assert not next_door(lookup("Zgorzelec", "PL")[0], lookup("Görlitz", "DE")[0])


@pytest.mark.parametrize(
    ("text", "language", "partner"),
    [
        (
            "Twin towns\nSince 1994 we have been twinned with Tartu (Estonia). In 1996 the company Nokia opened a "
            "plant in our town with a Finnish partner.\n",
            "en",
            "Tartu",
        ),
        (
            "Partnerstädte\nSeit 2001 ist unsere Stadt mit Pärnu (Estland) verschwistert. Ein Jahr später eröffnete "
            "die Firma Nokia hier ein Werk; das Abkommen mit Finnland wurde unterzeichnet.\n",
            "de",
            "Pärnu",
        ),
    ],
)
def test_a_name_after_a_word_for_company_is_a_firm_not_a_town(text: str, language: str, partner: str) -> None:
    got = partners(text, "Kazanlak", language, possible=True)
    assert partner in got
    assert "Nokia" not in got, got


# --- a country of several words, declined ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "country"),
    [
        (
            "Miasta partnerskie\nOd 2002 roku naszym miastem partnerskim jest Lancaster w Stanach Zjednoczonych.\n",
            "pl",
            "US",
        ),
        (
            "Gradovi pobratimi\nGrad je 1999. godine potpisao povelju o bratimljenju s Lancasterom iz Ujedinjenog "
            "Kraljevstva.\n",
            "hr",
            "GB",
        ),
        ("Города-побратимы\nС 1995 года наш город — побратим Ланкастера в Соединённых Штатах Америки.\n", "ru", "US"),
        ("Partnerská města\nOd roku 2004 je naším partnerským městem Lancaster ve Spojeném království.\n", "cs", "GB"),
    ],
)
def test_a_declined_country_of_several_words_is_read_beside_its_town(text: str, language: str, country: str) -> None:
    got = partners(text, "Kazanlak", language, possible=True)  # the inflected "Lancasterom" may be only possible
    assert got["Lancaster"].country == country, got


def test_every_long_word_of_a_country_name_may_be_declined() -> None:
    found = find_countries(
        "u Bosni i Hercegovini, v Spojených státech, w Stanach Zjednoczonych, iz Sjeverne Makedonije"
    )
    assert [(c.text, c.code) for c in found] == [
        ("Bosni i Hercegovini", "BA"),
        ("Spojených státech", "US"),
        ("Stanach Zjednoczonych", "US"),
        ("Sjeverne Makedonije", "MK"),
    ]


@pytest.mark.parametrize(
    ("text", "language", "partner", "water"),
    [
        (
            "Twin towns\nSince 1997 we have been twinned with Tulcea (Romania), where boats leave for the Sulina "
            "arm of the delta.\n",
            "en",
            "Tulcea",
            "Sulina",
        ),
        (
            "Testvérvárosok\n1999 óta testvérvárosunk Zenta (Szerbia); a küldöttség a Maros folyó mentén utazott.\n",
            "hu",
            "Senta",
            "Maros",
        ),
        (
            "Sadraudzības pilsētas\nKopš 2001. gada mūsu sadraudzības pilsēta ir Telšiai (Lietuva); delegācija "
            "brauca gar Venta upe.\n",
            "lv",
            "Telsiai",
            "Venta",
        ),
    ],
)
def test_a_water_named_after_a_place_is_not_a_partner(text: str, language: str, partner: str, water: str) -> None:
    got = partners(text, "Kazanlak", language, possible=True)
    assert partner in got
    assert water not in got, got


@pytest.mark.parametrize(
    ("text", "language", "partner", "guests"),
    [
        (
            "Twin towns\nSince 2008 we are twinned with Ohrid (North Macedonia). At the fair we welcomed the brass "
            'band "Zlatni zvuci", Bitola, North Macedonia and the choir "Lira", Struga, North Macedonia.\n',
            "en",
            "Ohrid",
            {"Bitola", "Struga"},
        ),
        (
            "Partnerstädte\nSeit 1990 ist Kolín (Tschechien) unsere Partnerstadt. Beim Stadtfest spielten die Kapelle "
            "„Blechklang“, Olomouc, Tschechien, und der Chor „Harmonie“, Brno, Tschechien.\n",
            "de",
            "Kolín",
            {"Olomouc", "Brno"},
        ),
        (
            "Города-побратимы\nС 2005 года наш побратим — Гомель (Беларусь). На празднике выступили ансамбль «Зорька», "
            "Брест, Беларусь, и хор «Лира», Гродно, Беларусь.\n",
            "ru",
            "Homyel'",
            {"Brest", "Hrodna"},
        ),
    ],
)
def test_the_town_of_a_group_named_in_quotation_marks_is_not_a_partner(
    text: str, language: str, partner: str, guests: set[str]
) -> None:
    got = partners(text, "Kazanlak", language, possible=True)
    assert partner in got
    assert not guests & set(got), got


# --- a village the gazetteer does not know, listed under its country ----------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Testvértelepülések\n\nSzlovákia\n\nŠarišské Jastrabie - Szalókjásztró\n\n2003. május 10.\n\n"
            "Csehország\n\nHorní Třešňovec\n\n2011. június 4.\n\nGaléria\n\nKapcsolat\n",
            "hu",
            {("Šarišské Jastrabie", "SK", "2003-05-10"), ("Horní Třešňovec", "CZ", "2011-06-04")},
        ),
        (
            "Gminy partnerskie\n\nCzechy\n\nHorní Třešňovec\n\n12 czerwca 2008\n\nSłowacja\n\nŠarišské Jastrabie\n\n"
            "3 września 2010\n\nGaleria zdjęć\n",
            "pl",
            {("Horní Třešňovec", "CZ", "2008-06-12"), ("Šarišské Jastrabie", "SK", "2010-09-03")},
        ),
    ],
)
def test_a_village_the_gazetteer_lacks_dated_under_its_country_heading(
    text: str, language: str, expected: set[tuple[str, str, str]]
) -> None:
    got = partners(text, "Kazanlak", language, possible=True)
    assert {(p, got[p].country, got[p].start) for p in got} == expected


def test_an_undated_line_under_a_country_heading_is_no_village() -> None:
    text = "Побратими\n\nГърция\n\nВерия\n\n12.05.1998 г.\n\nОПОС\n\nФотогалерия\n\nКонтакти\n"
    assert set(partners(text, "Kazanlak", "bg", possible=True)) == {"Véroia"}


# --- names with small lower-case words inside: the gazetteer decides how far a name runs -------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Gemellaggi\nNel 1997 il Comune ha firmato il patto di gemellaggio con Castiglione delle Stiviere.\n",
            "it",
            {("Castiglione delle Stiviere", "IT", "1997")},
        ),
        (
            "Ciudades hermanadas\nEn 2005 firmamos el acta de hermanamiento con Santiago de los Caballeros "
            "(República Dominicana).\n",
            "es",
            {("Santiago de los Caballeros", "DO", "2005")},
        ),
        (
            "Agermanaments\nL'any 1992 l'Ajuntament va signar l'agermanament amb Vilanova i la Geltrú.\n",
            "ca",
            {("Vilanova i la Geltrú", "ES", "1992")},
        ),
    ],
)
def test_a_name_runs_on_over_its_small_words(text: str, language: str, expected: set[tuple[str, str, str]]) -> None:
    got = partners(text, "Kazanlak", language, possible=True)
    assert {(p, got[p].country, got[p].start) for p in got} == expected


def test_a_small_word_elided_onto_the_next_is_part_of_the_name() -> None:
    labels = [m.label for m in find_places("Ci siamo gemellati con Cassano d'Adda e con Trezzo sull’Adda.", None, "it")]
    assert labels == ["Cassano d'Adda", "Trezzo sull’Adda"]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Gemellaggi\nNel 2001 abbiamo firmato il patto di gemellaggio con Villach e Graz.\n",
            "it",
            {"Villach", "Graz"},
        ),
        (
            "Hermanamientos\nEl Ayuntamiento firmó en 2004 el hermanamiento con Segovia y Ávila.\n",
            "es",
            {"Segovia", "Ávila"},
        ),
    ],
)
def test_names_a_small_word_joins_into_no_known_place_stay_apart(text: str, language: str, expected: set[str]) -> None:
    assert set(partners(text, "Kazanlak", language, possible=True)) == expected


def test_a_page_about_twinning_always_shows_its_likeliest_reading() -> None:
    # Nothing on it reaches the floor (one name, inflected, in prose, no country), yet its reviewer is
    # shown the likeliest reading, as possible; proposed, it is not.
    text = "Pobratene občine\nLeta 2001 je občina s Karlovcem podpisala pogodbo o sodelovanju.\n"
    assert partners(text, "Jesenice", "sl") == {}
    shown = partners(text, "Jesenice", "sl", possible=True)
    assert list(shown) == ["Karlovac"] and shown["Karlovac"].possible


def test_a_page_not_about_twinning_shows_nothing_unsure() -> None:
    text = "Novice\nLeta 2001 je občina s Karlovcem podpisala pogodbo o gradnji ceste.\n"
    assert partners(text, "Jesenice", "sl", possible=True) == {}
