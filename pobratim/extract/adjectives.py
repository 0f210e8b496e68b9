"""Country adjectives in the languages of Europe and its neighbours ("Polish", "польським", "belges").

CLDR (through Babel) names every language in every language; a language's name is, in most European
languages, also the adjective of its people ("Polish", "polski", "польська"), and CLDR's likely subtags
give the country a language belongs to (pl -> PL). A small reviewed table (data/country-words.yaml)
adds the adjectives no language name gives (Belgian, Swiss, Austrian, Moldovan, Cypriot) and fixes the
few languages whose likely country is not the one the adjective means.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from babel import Locale
from babel.core import get_global

from pobratim.core.locales import LANGUAGES

DATA = Path(__file__).parent / "data" / "country-words.yaml"
# Languages named in many countries or in none; their adjective says nothing about a partner's country.
_NOT_A_COUNTRY = {"ar", "la", "eo", "yi", "rom", "sw", "ms"}
_MIN_STEM = 4


@dataclass(frozen=True)
class AdjectiveMention:
    code: str
    start: int
    end: int
    text: str


def _stem(word: str) -> str:
    """Cut the inflectional ending off an adjective: Polish -> polis, польська -> польськ, польская -> польск."""
    word = word.casefold()
    for ending in ("ский", "ська", "ская", "ски", "ská", "ský", "ski", "ska", "sko"):
        # Slavic adjectives decline after -sk-: польская, польскім, polskim, polską all begin "польск"/"polsk".
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: len(word) - len(ending)] + ending[:2]
    for ending in ("ish", "ian", "ais", "ese"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: len(word) - len(ending)] + ending[: len(ending) - 1]
    return word[:-1] if len(word) > _MIN_STEM + 1 else word


@cache
def _official_in() -> dict[str, list[str]]:
    """Every language's countries where CLDR says it is official (de jure or de facto)."""
    out: dict[str, list[str]] = {}
    for territory, languages in get_global("territory_languages").items():
        for lang, info in languages.items():
            if info.get("official_status") in {"official", "de_facto_official"}:
                out.setdefault(lang, []).append(territory)
    return out


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a.casefold(), b.casefold(), strict=False):
        if x != y:
            break
        n += 1
    return n


def _country_of(lang: str, name: str, territories: Mapping[str, str], likely: str | None) -> str | None:
    """The country a language's name means as an adjective: among the countries where the language is
    official, the one whose name in the same locale begins as the adjective does ("португалски" ->
    Португалия, not Brazil, CLDR's likely territory for Portuguese); else the likely one, if official."""
    official = _official_in().get(lang, [])
    best = max(official, key=lambda t: _shared_prefix(name, territories.get(t, "")), default=None)
    if best is not None and _shared_prefix(name, territories.get(best, "")) >= _MIN_STEM:
        return best
    return likely if likely in official else None


@cache
def _stems() -> dict[str, str]:
    likely = dict(get_global("likely_subtags"))
    stems: dict[str, str] = {}
    reviewed = yaml.safe_load(DATA.read_text(encoding="utf-8"))["adjectives"]
    for stem, code in reviewed.items():
        stems[str(stem).casefold()] = str(code)
    codes = {lang: likely[lang].split("_")[-1] for lang in likely if "_" not in lang and lang in likely}
    for locale in LANGUAGES:
        parsed = Locale.parse(locale)
        for lang, name in parsed.languages.items():
            if lang in _NOT_A_COUNTRY or " " in name:
                continue
            code = _country_of(lang, name, parsed.territories, codes.get(lang))
            if code is None or not re.fullmatch(r"[A-Z]{2}", code):
                continue
            stem = _stem(name)
            if len(stem) >= _MIN_STEM:
                stems.setdefault(stem, code)
    return stems


@cache
def _pattern() -> re.Pattern[str]:
    body = "|".join(re.escape(s) for s in sorted(_stems(), key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{body})[^\W\d_]{{0,5}}", re.IGNORECASE)


def find_adjectives(text: str) -> list[AdjectiveMention]:
    """Every country adjective in ``text``, with its position and the country it means."""
    stems = _stems()
    found = []
    for m in _pattern().finditer(text):
        word = m.group(0).casefold()
        stem = max((s for s in stems if word.startswith(s)), key=len, default=None)
        if stem is None or text[m.end() : m.end() + 1].islower():
            continue
        # An ending is in lower case: "PolskoŚWIDNICA" is a country glued to a town, not "polsko" + "ŚWIDN".
        end = next((i for i in range(len(stem), len(word)) if m.group(0)[i].isupper()), len(word))
        found.append(AdjectiveMention(stems[stem], m.start(), m.start() + end, m.group(0)[:end]))
    return found
