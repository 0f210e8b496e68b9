"""Refuse a page written in a script the reader cannot read, with a clear message, rather than guess."""

import unicodedata
from collections import Counter

# Scripts whose place names, country names and cue words the reader knows.
READABLE = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN", "HEBREW", "ARABIC")
# Below this share of letters in readable scripts, a page is not read.
MIN_SHARE = 0.5


class UnreadablePage(ValueError):
    """A page in a script the extractor cannot read."""


def scripts(text: str) -> Counter[str]:
    """Count the letters of ``text`` by script (the first word of their Unicode name)."""
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "UNKNOWN")
            counts[name.split()[0]] += 1
    return counts


def check_readable(text: str) -> None:
    """Raise UnreadablePage when most letters of ``text`` are in a script the reader does not know."""
    counts = scripts(text)
    total = sum(counts.values())
    readable = sum(counts[s] for s in READABLE)
    if total and readable / total < MIN_SHARE:
        main = counts.most_common(1)[0][0].title()
        raise UnreadablePage(
            f"the page is written mostly in {main} script ({counts[main.upper()]} of {total} letters); "
            f"the extractor reads {', '.join(s.title() for s in READABLE)} only, so it proposes nothing"
        )
