"""Search: places by any label, in any script, forgiving case, accents, transliteration and small typos."""

import re

import pytest

from pobratim.endpoint.search_index import SearchIndex, distance, search_key, sound

from .support.inprocess import InProcess

BASE = "https://pobratim.example/id/place/"
JSON = {"Accept": "application/json"}


def first(server: InProcess, q: str) -> dict[str, str]:
    r = server.get("/search", params={"q": q}, headers=JSON)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    results: list[dict[str, str]] = r.json()["results"]
    assert results, f"nothing found for {q!r}"
    return results[0]


@pytest.mark.parametrize("q", ["kazanlak", "Казанлък", "Kazanlăk", "KAZANLUK", "  kazanlak  ", "казанлък"])
def test_every_spelling_of_kazanlak_finds_it_first(server: InProcess, q: str) -> None:
    hit = first(server, q)
    assert hit["iri"] == BASE + "bg/kazanlak"
    assert hit["country"] == "BG"


@pytest.mark.parametrize("q", ["Толиати", "Toljatti", "Tolyatti", "Тольятти", "tolliati"])
def test_tolyatti_in_either_script_and_transliteration(server: InProcess, q: str) -> None:
    assert first(server, q)["iri"] == BASE + "ru/tolyatti"


@pytest.mark.parametrize("q", ["veroia", "Veria", "Βέροια", "Верия", "VERIA"])
def test_veria_by_its_greek_name_too(server: InProcess, q: str) -> None:
    assert first(server, q)["iri"] == BASE + "gr/veria"


def test_best_match_first_and_each_place_once(server: InProcess) -> None:
    results = server.get("/search", params={"q": "cremona"}, headers=JSON).json()["results"]
    iris = [r["iri"] for r in results]
    # The town (an exact label) before the province (its label only contains the word).
    assert iris[0] == BASE + "it/cremona"
    assert BASE + "it/province-of-cremona" in iris
    assert len(iris) == len(set(iris))


def test_a_prefix_finds_the_town(server: InProcess) -> None:
    assert first(server, "Каз")["iri"] == BASE + "bg/kazanlak"
    assert first(server, "tolya")["iri"] == BASE + "ru/tolyatti"


def test_labels_follow_the_language_and_the_matched_label_is_kept(server: InProcess) -> None:
    hit = server.get("/search", params={"q": "veroia", "lang": "bg"}, headers=JSON).json()["results"][0]
    assert hit["label"] == "Верия" and hit["matched"] == "Βέροια" and hit["countryName"] == "Гърция"
    hit = server.get("/search", params={"q": "veroia"}, headers={**JSON, "Accept-Language": "en"}).json()
    assert hit["results"][0]["label"] == "Veria" and hit["results"][0]["countryName"] == "Greece"


def test_nothing_like_it_finds_nothing(server: InProcess) -> None:
    for q in ["", "   ", "zzzzqqqq", "!!!"]:
        r = server.get("/search", params={"q": q}, headers=JSON)
        assert r.status_code == 200 and r.json()["results"] == []


def test_html_for_browsers_with_the_results_and_the_form(server: InProcess) -> None:
    r = server.get("/search", params={"q": "Казанлък"}, headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert {"Accept", "Accept-Language"} <= {v.strip() for v in r.headers["Vary"].split(",")}
    items = re.findall(r'<li data-iri="([^"]+)"><a href="([^"]+)">', r.text)
    assert items[0] == (BASE + "bg/kazanlak", "/id/place/bg/kazanlak")
    assert 'value="Казанлък"' in r.text  # the query stays in the box
    # Escaped, never markup.
    page = server.get("/search", params={"q": "<b>x</b>"}, headers={"Accept": "text/html"}).text
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_every_page_has_the_search_box(server: InProcess) -> None:
    for path in ["/", "/query", "/id/place/bg/kazanlak.html", "/search"]:
        page = server.get(path).text
        assert re.search(r'<form class="search" method="get" action="/search" role="search">', page), path
        assert '<input type="search" name="q"' in page


def test_refusals(server: InProcess) -> None:
    assert server.get("/search", params={"q": "x"}, headers={"Accept": "image/png"}).status_code == 406
    assert server.get("/search", params={"q": "x" * 201}, headers=JSON).status_code == 400


def test_folding_and_sound_keys() -> None:
    assert search_key("Kazanlăk") == search_key("KAZANLAK") == search_key("Казанлък") == "kazanlak"
    assert search_key("L'Aquila") == "laquila" and search_key("Veliko  Tarnovo!") == "veliko tarnovo"
    assert sound(search_key("Тольятти")) == sound(search_key("Toljatti")) == sound(search_key("Толиати")) == "toliati"
    assert distance("kazanluk", "kazanlak", 1) == 1 and distance("abcdef", "uvwxyz", 2) == 3


def test_the_index_ranks_exact_before_sound_before_prefix_before_fuzzy() -> None:
    index = SearchIndex.build(
        {
            "a": ("XX", {"Tolyatti"}),
            "b": ("XX", {"Toliatti Nova"}),
            "c": ("XX", {"Toljatti"}),
            "d": ("XX", {"Tolyatta"}),
        }
    )
    assert [h.iri for h in index.lookup("Tolyatti")] == ["a", "c", "b", "d"]
    assert [h.iri for h in index.lookup("Tolyatti", limit=2)] == ["a", "c"]
