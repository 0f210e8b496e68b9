"""How well the linker finds the item for each seed place on a Wikidata-shaped fixture with real pitfalls.

The fixture (tests/fixtures/wikidata.ttl) holds homonyms (three Dimitrovgrads, two Naousas, two Fukuyamas,
Alexandria in three countries, Targovishte/Târgoviște that share a Bulgarian name), the municipality,
district, province or regional unit that carries a town's name as an alias, former municipalities and
former names (Mường Lay, once Lai Châu; Asenovgrad, once Stanimaka/Στενήμαχος), places known by another
script ("福山市", "서울특별시", "Дидимотихо") and a GeoNames id that differs from the gazetteer's (Munakata).
"""

from dataclasses import dataclass

import pytest

from pobratim.records.corpus import load_corpus
from pobratim.records.links import LinksFile
from pobratim.wikidata.client import WikidataClient
from pobratim.wikidata.linker import propose
from tests.support.paths import SEED

from .support.wikidata_server import TRUTH, wikidata_server


@dataclass(frozen=True)
class Measure:
    places: int
    right: int  # the item the linker accepted or proposes is the reviewer's
    wrong: int  # it accepted or proposes another item
    none: int  # it names no item (nothing found, or several equally plausible)
    accepted: int
    accepted_wrong: int

    def __str__(self) -> str:
        return (
            f"{self.right}/{self.places} right ({self.right / self.places:.0%}), {self.wrong} wrong, "
            f"{self.none} without an item; {self.accepted} accepted automatically, {self.accepted_wrong} of them wrong"
        )


def measure(links: LinksFile) -> Measure:
    """Count the linker's answers against TRUTH: its accepted item, or the item it proposes."""
    answers = {key: link.item for key, link in links.links.items() if link.status in {"accepted", "proposed"}}
    accepted = links.accepted()
    return Measure(
        places=len(TRUTH),
        right=sum(answers.get(k) == v for k, v in TRUTH.items()),
        wrong=sum(answers.get(k) not in {None, v} for k, v in TRUTH.items()),
        none=sum(answers.get(k) is None for k in TRUTH),
        accepted=len(accepted),
        accepted_wrong=sum(TRUTH.get(k) != v for k, v in accepted.items()),
    )


@pytest.fixture(scope="module")
def linked() -> LinksFile:
    with wikidata_server() as (url, _rec):
        return propose(load_corpus(SEED).places.places, WikidataClient(url))


def test_truth_covers_every_seed_place() -> None:
    assert set(TRUTH) == set(load_corpus(SEED).places.places)


def test_the_linker_finds_the_right_item_and_no_wrong_one(linked: LinksFile) -> None:
    m = measure(linked)
    print(m)
    assert m.wrong == 0 and m.accepted_wrong == 0
    assert m.right / m.places >= 0.95


def test_homonyms_in_another_country_or_script_are_never_taken(linked: LinksFile) -> None:
    # A Bulgarian "Търговище", a Greek name that is an alias of Asenovgrad, a Russian Dimitrovgrad.
    decoys = {"Q9000128", "Q9000070", "Q9000030", "Q9000031", "Q9000061", "Q9000062", "Q9000066", "Q9000014"}
    for key in ("ro/targoviste", "gr/stenimachos", "rs/dimitrovgrad", "eg/alexandria", "eg/luxor", "it/lombardy"):
        link = linked.links[key]
        assert link.item == TRUTH[key]
        assert not {c.item for c in link.candidates} & decoys


def test_the_gazetteer_id_settles_homonyms_within_a_country(linked: LinksFile) -> None:
    # Two Naousas and two Fukuyamas in one country; a municipal unit and a municipality named Veria.
    for key in ("gr/naousa", "jp/fukuyama", "gr/veria", "vn/lai-chau"):
        link = linked.links[key]
        assert link.status == "accepted" and link.item == TRUTH[key]
        assert link.evidence is not None and link.evidence.geonames
    # Kilkis: the municipality carries the town's GeoNames id too: the town is named, for a person to accept.
    kilkis = linked.links["gr/kilkis"]
    assert kilkis.status == "proposed" and kilkis.item == TRUTH["gr/kilkis"]
    assert {c.item for c in kilkis.candidates if c.evidence.geonames} == {"Q9000075", "Q9000077"}


def test_kind_decides_between_a_town_and_its_namesakes(linked: LinksFile) -> None:
    # Without a gazetteer id: the settlement for a town, the district for a district — proposed, not accepted.
    for key in ("gr/didymoteicho", "tr/kocaeli", "rs/dimitrovgrad", "kr/jungnang-gu", "gr/stenimachos"):
        link = linked.links[key]
        assert link.status == "proposed" and link.item == TRUTH[key], key
    evidence = linked.links["kr/jungnang-gu"].evidence
    assert evidence is not None and evidence.settlement is False


def test_a_tie_names_no_item(linked: LinksFile) -> None:
    # The island and the province are both labelled "Bali": the linker lists both and picks neither.
    bali = linked.links["id/bali"]
    assert bali.status == "proposed" and bali.item is None and bali.evidence is None and bali.ambiguous
    assert {c.item for c in bali.candidates} == {"Q9000129", "Q9000130"}
