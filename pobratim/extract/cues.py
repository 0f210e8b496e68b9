"""Cue words that say a sentence is about a twinning, or that a place in it is not a partner.

The word stems are general vocabulary of the languages of Europe and its neighbours (twin town, partner,
sister city, friendship, agreement, signed; visit, delegation, history, ambassador, location), kept in
data/cues.yaml with their source, one entry per language group. A stem matches at the start of a word.
"""

import re
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "cues.yaml"


@cache
def stems(kind: str) -> tuple[str, ...]:
    """The stems of one kind of cue ("twin", "agreement", "noise", "name_day") in every language of the table."""
    table = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return tuple(dict.fromkeys(str(s) for entry in table[kind] for s in entry["stems"]))


# A line that is a site's menu, breadcrumb or footer.
MENU = re.compile(r"(?:[|»›>•]\s*[^|»›>•\n]{1,30}){3,}|©|copyright", re.IGNORECASE)


@cache
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    body = "|".join(re.escape(s) for s in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{body})[^\W\d_]*", re.IGNORECASE)


def twin_cues(text: str) -> list[str]:
    """Words of ``text`` that name a twinning, a partnership or a friendship between towns."""
    return [m.group(0) for m in _pattern(stems("twin")).finditer(text)]


def agreement_cues(text: str) -> list[str]:
    """Words of ``text`` that name an agreement, a signing or a cooperation."""
    return [m.group(0) for m in _pattern(stems("agreement")).finditer(text)]


def noise_cues(text: str) -> list[str]:
    """Words of ``text`` that say its places are visited, historical, diplomatic or a location."""
    return [m.group(0) for m in _pattern(stems("noise")).finditer(text)]


def name_day_cues(text: str) -> list[str]:
    """Words of ``text`` that announce the day's name days (the given names after them are people's)."""
    return [m.group(0) for m in _pattern(stems("name_day")).finditer(text)]


def is_menu(line: str) -> bool:
    """Say whether a line looks like a site menu, a breadcrumb or a footer."""
    return bool(MENU.search(line))
