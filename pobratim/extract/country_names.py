"""Find country names in running text, in any of the languages the pages come in (CLDR via Babel).

Names come from Babel's CLDR territory names for the languages below, pycountry's ISO names (official
and common), the reviewed names CLDR lacks (data/country-words.yaml: "Großbritannien", "England") and the
project's reviewed alias table (older names such as "Macedonia", "Belorussia"). Inflected
forms (Polish "na Białorusi", "w Mołdawii") are found by letting the last letter of a long name vary, and
of each long word of a name of several words ("iz Ujedinjenog Kraljevstva", "w Stanach Zjednoczonych").
"""

import re
from dataclasses import dataclass
from functools import cache

import pycountry
import yaml
from babel import Locale

from pobratim.core.countries import iso_names
from pobratim.core.layout import Layout
from pobratim.core.locales import LANGUAGES
from pobratim.extract.adjectives import DATA as WORDS

# The letters an inflected name may end in. Any letter, not only lower-case ones: a class that excludes capitals
# inside the case-insensitive pattern is compiled anew at each of its 18,000 uses (3 s a process against
# 0.9 s); a capital the ending took is the next word glued on and is cut off after the match.
_ENDING = r"[^\W\d_]"
_UPPER = r"[A-ZА-ЯЁЂ-ЏΑ-ΩĄĆĘŁŃÓŚŹŻÇĞİÖŞÜĂÂÎȘȚ]"
_WORD_START = re.compile(r"(?<!\w)\w")
_SKIP_TERRITORIES = re.compile(r"^\d{3}$|^(EU|EZ|UN|QO|ZZ|XA|XB|XK)$")


@dataclass(frozen=True)
class CountryMention:
    code: str
    start: int
    end: int
    text: str
    exact: bool = True  # written as a known name, not an inflected form of one


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    aliases = Layout.at().records / "country-aliases.yaml"  # the current project's reviewed aliases, if any
    if aliases.is_file():
        for name, code in (yaml.safe_load(aliases.read_text(encoding="utf-8")).get("aliases") or {}).items():
            names[name.casefold()] = code
    for lang in LANGUAGES:
        for code, name in Locale.parse(lang).territories.items():
            if not _SKIP_TERRITORIES.match(code) and pycountry.countries.get(alpha_2=code):
                names.setdefault(name.casefold(), code)
    for name, code in iso_names(("en", *LANGUAGES)).items():
        names.setdefault(name, code)
    for name, code in (yaml.safe_load(WORDS.read_text(encoding="utf-8")).get("names") or {}).items():
        # Matched as written (case-insensitive, so "ß" and "İ" stay themselves), looked up case-folded.
        names.setdefault(name, code)
        names.setdefault(name.casefold(), code)
    # CLDR writes Turkish names with a capital İ ("İtalya"), which case-folds to i and a combining dot that
    # the pattern would then ask of the page: matched without the dot too.
    for name, code in list(names.items()):
        names.setdefault(_key(name), code)
    return names


# A word of a name of several words declines on its own ("Ujedinjeno Kraljevstvo" ~ "Ujedinjenog Kraljevstva",
# "Stany Zjednoczone" ~ "Stanach Zjednoczonych") when it has at least this many letters.
_DECLINED_WORD = 5


def _body(name: str) -> str:
    words = name.split(" ")
    if len(words) > 1:
        return r"\s+".join(
            re.escape(w[:-1]) + _ENDING + "{1,3}" if len(w) >= _DECLINED_WORD and w[-1].isalpha() else re.escape(w)
            for w in words
        )
    if len(name) >= 6 and name[-1].isalpha():
        # Białoruś ~ Białorusi, Mołdawia ~ Mołdawii: the last letter may vary, in lower case only.
        return re.escape(name[:-1]) + _ENDING + "{1,3}"
    return re.escape(name)


def _declined(key: str, name: str) -> bool:
    """Say whether ``key`` is ``name`` declined word by word (each long word's last letter varied)."""
    keys, words = key.split(), name.split(" ")
    if len(keys) != len(words):
        return False
    for k, w in zip(keys, words, strict=True):
        if len(w) < _DECLINED_WORD or not w[-1].isalpha():
            if k != w:
                return False
        elif k[: len(w) - 1] != w[:-1] or not 0 <= len(k) - len(w) + 1 <= 3:
            return False
    return True


def _key(text: str) -> str:
    """Text compared without case, the dot of a Turkish capital İ left out: "İtalya" folds to "i̇talya", with
    a combining dot no lower-case "italya" has (the patterns' case-insensitive İ matches i)."""
    return text.casefold().replace("\u0307", "")


@cache
def _by_prefix() -> dict[str, list[str]]:
    """The names grouped by their first two letters, longest first within each group."""
    groups: dict[str, list[str]] = {}
    for name in sorted(_names(), key=len, reverse=True):
        groups.setdefault(_key(name)[:2], []).append(name)
    return groups


_LETTERS = re.compile(r"[^\W\d_]+")


@cache
def _openings(prefix: str) -> tuple[frozenset[str], tuple[int, ...]]:
    """The first word of each name of a group, less its last letter (which an inflected form may change),
    and those words' lengths: a word that begins with none of them opens no name of the group, and its
    pattern need not be compiled (compiling them all costs a one-page run about 1.5 s)."""
    heads = {
        first[:-1] if len(first) > 1 else first
        for n in _by_prefix().get(prefix, [])
        for first in _LETTERS.findall(_key(n))[:1]
    }
    return frozenset(heads), tuple(sorted({len(h) for h in heads}))


def _may_open(prefix: str, word: str) -> bool:
    heads, lengths = _openings(prefix)
    return any(word[:n] in heads for n in lengths)


@cache
def _pattern(prefix: str) -> re.Pattern[str] | None:
    """One pattern per first two letters: a few hundred names each, not all of them at every word."""
    names = _by_prefix().get(prefix)
    if not names:
        return None
    parts = "|".join(_body(n) for n in names)
    # A name ends at a non-letter or where a capital glues the next word on ("РусияНа 09.10.2002").
    return re.compile(r"(?<!\w)((?i:" + parts + r"))(?=[^\w]|$|" + _UPPER + ")")


@cache
def _code(text: str) -> str | None:
    key = text.casefold()
    names = _names()
    if key in names:
        return names[key]
    for name, code in names.items():
        if " " in name:
            if " " in key and _declined(key, name):
                return code
        elif len(name) >= 6 and key[: len(name) - 1] == name[:-1] and len(key) - len(name) <= 2:
            return code
    return None


@cache
def _vehicle_signs() -> tuple[re.Pattern[str], dict[str, str]]:
    """The countries' vehicle signs (data/country-words.yaml) and one pattern for them, each in parentheses."""
    signs: dict[str, str] = yaml.safe_load(WORDS.read_text(encoding="utf-8")).get("vehicle_signs") or {}
    alternatives = "|".join(sorted(signs, key=len, reverse=True))
    return re.compile(r"(?<=\()(" + alternatives + r")(?=\))"), signs


def find_countries(text: str) -> list[CountryMention]:
    """Every country named in ``text``, with its position (a vehicle sign in parentheses too: "Krems (A)")."""
    signed, signs = _vehicle_signs()
    found = [CountryMention(signs[m.group(1)], m.start(1), m.end(1), m.group(1)) for m in signed.finditer(text)]
    end = 0
    for word in _WORD_START.finditer(text):
        if word.start() < end:
            continue
        letters = _LETTERS.match(text, word.start())
        if letters is None:
            continue
        folded = _key(letters.group(0))
        if not _may_open(folded[:2], folded):
            continue
        pattern = _pattern(folded[:2])
        m = pattern.match(text, word.start()) if pattern else None
        if m is None:
            continue
        name = m.group(1)
        # A capital after a small letter is the next word glued on ("PolskoŚWIDNICA", "РусияНа"); in a word
        # in capitals, a letter after the ending is the rest of a longer word ("POLSKIEGO" is no "Polska").
        glued = next((i for i in range(1, len(name)) if name[i].isupper() and name[i - 1].islower()), None)
        name = name[:glued]
        if name.isupper() and text[m.end(1) : m.end(1) + 1].isalpha():
            continue
        end = m.end()
        code = _code(name)
        if code is not None:
            exact = name.casefold() in _names()
            found.append(CountryMention(code, m.start(1), m.start(1) + len(name), name, exact))
    return sorted(found, key=lambda c: c.start)
