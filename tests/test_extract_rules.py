"""The reader's rules of 6 December, each with a case it must keep and one it must not break (sentences of
our own): case endings by each language's grammar, town words and titles, a thing of a town, country names
in capitals and with a Turkish İ, namesakes spelled anew, the likeliest reading shown, the loose reading."""

from pathlib import Path

import pytest

import bench.extract_eval as extract_eval
from pobratim.extract import fuzzy
from pobratim.extract.context import Page
from pobratim.extract.country_names import find_countries
from pobratim.extract.mentions import _endings, declined
from pobratim.extract.noise import after_title, part_of_longer_name
from pobratim.extract.reader import _about_twinning, read
from tests.support.extract import partners


@pytest.mark.parametrize(
    "language", ["hbs", "sl", "cs", "sk", "pl", "lt", "lv", "ru", "uk", "be", "fi", "et", "hu", "el"]
)
def test_every_ending_of_the_declension_table_is_text(language: str) -> None:
    rules = _endings(language)
    assert rules and all(isinstance(e, str) and e and all(isinstance(n, str) for n in ns) for e, ns in rules)


@pytest.mark.parametrize(
    ("word", "language", "nominative"),
    [
        ("Szolnokon", "hu", "Szolnok"),  # "on", which YAML would read as true unquoted
        ("Katowic", "pl", "Katowice"),  # a genitive plural keeps the stem's -ic
        ("Budějovic", "cs", "Budějovice"),
        ("Ярославля", "ru", "Ярославль"),
        ("Умані", "uk", "Умань"),
        ("Panevėžio", "lt", "Panevėžys"),
        ("Tallinnas", "et", "Tallinn"),
        ("Јесеницама", "sr", "Јесенице"),
        ("MARIBORA", "hr", "MARIBOR"),  # a heading in capitals
    ],
)
def test_more_of_the_declension_table(word: str, language: str, nominative: str) -> None:
    code = {"sr": "hbs", "hr": "hbs"}.get(language, language)
    assert nominative in declined(word, code)


def _at(text: str, word: str) -> tuple[Page, int, int]:
    start = text.index(word)
    return Page(text, 0), start, start + len(word)


def test_a_town_word_ends_a_towns_name_only_before_a_persons() -> None:
    page, start, end = _at("gradonačelnik grada Maribora Andrej Fištravec, delegacija Općine Budva", "Maribora")
    assert not part_of_longer_name(page, start, end, "hbs")
    page, start, end = _at("Містом-побратимом є місто Нацерет Іліт в Ізраїлі.", "Нацерет")
    assert part_of_longer_name(page, start, end, "uk")  # "Нацерет Іліт" is not Nazareth


def test_a_second_town_after_a_title_is_no_person() -> None:
    page, start, end = _at("Zmluvu podpísal starosta Náchoda a Trutnova.", "Trutnova")
    assert not after_title(page, start, end)
    page, start, end = _at("Protokol su potpisali gradonačelnici Tonći Bilić i Enio Pavone.", "Pavone")
    assert after_title(page, start, end)


def test_a_language_naming_the_owner_first_keeps_the_town_before_its_word() -> None:
    # Latvian "Valmieras pilsētas Pašvaldība": Valmiera's council; and a page of unknown language is left be.
    text = "Sadraudzības pilsētas\nValmieras pilsētas Pašvaldība parakstīja sadraudzības līgumu 2005. gadā.\n"
    assert [c.label for c in read(text, "Tartu", "lv")[1]] == ["Valmieras"]
    assert [c.label for c in read(text, "Tartu", None)[1]] == ["Valmieras"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kardeş şehirler: İngiltere ve İtalya", ["GB", "IT"]),
        ("POLSKA", ["PL"]),
        ("POLSKIEGO ZWIĄZKU", []),  # in capitals, a letter after the ending is the rest of a longer word
        ("PolskoŚWIDNICA", ["PL"]),  # the next word glued on
    ],
)
def test_country_names_with_a_turkish_capital_i_and_in_capitals(text: str, expected: list[str]) -> None:
    assert [c.code for c in find_countries(text)] == expected


def test_a_place_between_two_rests_is_no_new_spelling_of_the_shared_name() -> None:
    text = (
        "Städtepartnerschaften\nPartnerschaften mit den anderen Neustadts: in Holstein, sowie Bremen, am "
        "Rübenberge und an der Aisch.\n"
    )
    got = partners(text, "Neustadt an der Weinstraße", "de")
    assert got["Neustadt am Rübenberge"].country == "DE" and got["Neustadt an der Aisch"].country == "DE"
    assert not any(p.partner.startswith("Bremen") for p in got.values()), got


def test_a_twinning_word_only_in_the_sites_menu_does_not_make_a_page_about_twinning() -> None:
    # The guard of the likeliest reading shown: the page's own text, not its site's menu.
    menu = "Home | Twin towns | News | Contact\nNews\nLast year a football team from Karlovac played here.\n"
    text = "News\nOur twin town Karlovac sent a football team last year.\n"
    assert not _about_twinning(Page(menu, 0)) and _about_twinning(Page(text, 0))


def test_the_loose_reading_finds_a_name_in_another_spelling() -> None:
    place = fuzzy.closest("Барейро", "PT")
    assert place is not None and place.name == "Barreiro"
    assert fuzzy.closest("Барейро", "ZZ") is None


def test_the_evaluation_says_where_the_development_pages_should_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extract_eval, "DEV", tmp_path / "sources-dev")
    with pytest.raises(SystemExit) as stopped:
        extract_eval.require_dev()
    assert str(tmp_path / "sources-dev") in str(stopped.value) and "gold_twinnings.csv" in str(stopped.value)


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("Piektdiena, 6. decembris. Vārda dienas: Niklāvs, Nikola", "lv"),
        ("Dziś imieniny obchodzą: Mikołaj, Nikola", "pl"),
        ("Name days today: Nicholas, Nikola", "en"),
    ],
)
def test_the_names_of_a_name_day_line_are_no_places(line: str, language: str) -> None:
    text = f"{line}\nPartner towns\nOur partner town is Kraków (Poland) since 1995.\n"
    got = partners(text, "Bauska", language, possible=True)
    assert "Kraków" in got and not {p.partner_label for p in got.values()} & {"Nikola", "Vārda"}, got
