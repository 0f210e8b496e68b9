"""Country adjectives in the languages of Europe and its neighbours ("Polish", "польським", "belges").

CLDR (through Babel) names every language in every language; a language's name is, in most European
languages, also the adjective of its people ("Polish", "polski", "польська"), and CLDR's likely subtags
give the country a language belongs to (pl -> PL). A small reviewed table (data/country-words.yaml)
adds the adjectives no language name gives (Belgian, Swiss, Austrian, Moldovan, Cypriot) and fixes the
few languages whose likely country is not the one the adjective means.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from babel import Locale
from babel.core import get_global
from babel.languages import get_official_languages

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
    """Cut the inflectional ending off an adjective: Polish -> polis, польська -> польськ."""
    word = word.casefold()
    for ending in ("ский", "ська", "ская", "ски", "ská", "ský", "ski", "ska", "sko", "ish", "ian", "ais", "ese"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: len(word) - len(ending)] + ending[: max(1, len(ending) - 1)]
    return word[:-1] if len(word) > _MIN_STEM + 1 else word


@cache
def _stems() -> dict[str, str]:
    likely = dict(get_global("likely_subtags"))
    stems: dict[str, str] = {}
    reviewed = yaml.safe_load(DATA.read_text(encoding="utf-8"))["adjectives"]
    for stem, code in reviewed.items():
        stems[str(stem).casefold()] = str(code)
    codes = {lang: likely[lang].split("_")[-1] for lang in likely if "_" not in lang and lang in likely}
    for locale in LANGUAGES:
        for lang, name in Locale.parse(locale).languages.items():
            code = codes.get(lang)
            if lang in _NOT_A_COUNTRY or code is None or not re.fullmatch(r"[A-Z]{2}", code) or " " in name:
                continue
            if lang not in get_official_languages(code, de_facto=True):
                continue  # a minority language says little about the country its speakers live in
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
