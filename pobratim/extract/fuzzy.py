"""Places the page qualifies with a country adjective ("португалския Барейро", "польскім Беластокам") that
the gazetteer does not know as written: looked up loosely among that country's places only.

Exonyms written in another language's spelling (Bulgarian "Барейро" for Barreiro, Belarusian "Беласток"
for Białystok) are close to a name the gazetteer has once transliterated. The country the adjective states
narrows the search to one country's names, so a loose match (difflib's ratio ≥ 0.8, same first letter) is
rarely wrong; the scorer still weighs it as its own kind of reading ("fuzzy").
"""

import re
from difflib import SequenceMatcher
from functools import cache

from anyascii import anyascii

from pobratim.core import gazetteer
from pobratim.extract.context import Page

RATIO = 0.8
# The adjective, at most one word (a word for town), then the capitalised name.
_AFTER_ADJECTIVE = re.compile(r"\s+(?:[^\W\d_]+\s+)?((?-i:[^\W\d_])[^\W\d_]{3,})")


def _names_by_country() -> dict[str, list[str]]:
    """Every Latin folded name of the gazetteer, by the country of its places (built once, about 10 s, and
    kept in the user's cache folder beside the gazetteer's index; names only, its places are the index's)."""
    return _by_country_cached()


@cache
def _by_country_cached() -> dict[str, list[str]]:
    return gazetteer._cached(CACHE, _build)


CACHE = "gazetteer-by-country-v3-of-" + gazetteer.INDEX_CACHE  # names only, made from that very index


def _build() -> dict[str, list[str]]:
    out: dict[str, dict[str, None]] = {}
    for name, entries in gazetteer.name_index().items():
        if name.isascii():
            for e in entries:
                out.setdefault(e.country, {})[name] = None
    return {country: list(names) for country, names in out.items()}


def _latin(word: str) -> str:
    return gazetteer.fold(anyascii(word).replace("'", ""))


def closest(word: str, country: str) -> gazetteer.Entry | None:
    """The place of ``country`` whose name is closest to ``word`` (as written or with a short case ending
    cut), if close enough."""
    names = _names_by_country().get(country, [])
    forms = {_latin(word)}
    forms |= {f[:-cut] for f in list(forms) for cut in (1, 2) if len(f) - cut >= 4}
    best: tuple[float, str] | None = None
    for form in forms:
        for name in names:
            if name[:1] != form[:1] or abs(len(name) - len(form)) > 3:
                continue
            ratio = SequenceMatcher(None, form, name).ratio()
            if ratio >= RATIO and (best is None or ratio > best[0]):
                best = (ratio, name)
    if best is None:
        return None
    places = [e for e in gazetteer.name_index().get(best[1]) if e.country == country]
    return max(places, key=lambda e: e.population, default=None)


def qualified(page: Page, known: list[tuple[int, int, set[str]]]) -> list[tuple[str, int, int, gazetteer.Entry]]:
    """Names right after a country adjective that no reading found in that country (``known``: the spans
    read and their places' countries), matched loosely among the places of the adjective's country."""
    found = []
    for adjective in page.adjectives:
        m = _AFTER_ADJECTIVE.match(page.text, adjective.end)
        if m is None or m.start(1) < page.body_start or not m.group(1)[0].isupper():
            continue
        start, end = m.start(1), m.end(1)
        if any(s < end and start < e and adjective.code in countries for s, e, countries in known):
            continue
        entry = closest(m.group(1), adjective.code)
        if entry is not None:
            found.append((m.group(1), start, end, entry))
    return found
