"""The layout of a page as a reader sees it: lines, sentences, headings, and the country of each section."""

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from pobratim.core.text_dates import month_names
from pobratim.extract.adjectives import AdjectiveMention, find_adjectives
from pobratim.extract.country_names import CountryMention, find_countries

HEADING_CHARS = 70
HEADING_WORDS = 9
# A sentence ends at . ! ? before a space and a capital or digit (not after a single letter: "S. João"),
# and at every line end.
SENTENCE_END = re.compile(
    r"(?<=[^\W\d_]{2}[.!?])\s+(?=[\W\d]*[^\W\d_])|(?<=\d[.!?])\s+(?=[^\W\d_])|"
    r"(?<=\d\s[^\W\d_]\.)\s+(?=[^\W\d_])|\n"  # "през 1993 г. Предаден …"
)
# A number and a full stop before a month name end no sentence: an ordinal day ("am 14. Juni 1986",
# "22. augusta 2017") or a year written first ("1988. október 3.").
ORDINAL_DAY = re.compile(r"\d\.$")
WORD = re.compile(r"[^\W\d_]+")


def _day_before_month(text: str, end: int, next_start: int) -> bool:
    """Say whether a sentence break at ``end`` only follows a number ("14.") written before a month's name."""
    word = WORD.match(text, next_start)
    return (
        word is not None
        and ORDINAL_DAY.search(text, max(0, end - 2), end) is not None
        and word.group().casefold().rstrip(".") in month_names()
    )


@dataclass
class Page:
    """A page's text with its lines, sentences, countries and country adjectives found once."""

    text: str
    body_start: int = 0
    lines: list[tuple[int, int]] = field(init=False)
    sentences: list[tuple[int, int]] = field(init=False)
    countries: list[CountryMention] = field(init=False)
    adjectives: list[AdjectiveMention] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = []
        pos = 0
        for line in self.text.splitlines(keepends=True):
            self.lines.append((pos, pos + len(line.rstrip("\r\n"))))
            pos += len(line)
        self.sentences = []
        pos = 0
        for m in SENTENCE_END.finditer(self.text):
            if m.group() != "\n" and _day_before_month(self.text, m.start(), m.end()):
                continue
            if m.start() > pos:
                self.sentences.append((pos, m.start()))
            pos = m.end()
        if pos < len(self.text):
            self.sentences.append((pos, len(self.text)))
        self.adjectives = find_adjectives(self.text)
        # A word read both as an inflected country name and as an adjective is the adjective ("полския" is
        # Polish, not a form of "Полска"); a country name written as such stays one.
        self.countries = [
            c
            for c in find_countries(self.text)
            if c.exact or not any(a.start <= c.start < a.end for a in self.adjectives)
        ]

    def _find(self, spans: list[tuple[int, int]], pos: int) -> int:
        i = bisect_right([s for s, _e in spans], pos) - 1
        return max(i, 0)

    def line_index(self, pos: int) -> int:
        """Return the index of the line holding ``pos``."""
        return self._find(self.lines, pos)

    def line(self, pos: int) -> tuple[int, int]:
        """Return the span of the line holding ``pos``."""
        return self.lines[self.line_index(pos)] if self.lines else (0, len(self.text))

    def sentence(self, pos: int) -> tuple[int, int]:
        """Return the span of the sentence holding ``pos``."""
        return self.sentences[self._find(self.sentences, pos)] if self.sentences else (0, len(self.text))

    def is_heading(self, index: int) -> bool:
        """Say whether a line is short enough to be a heading or a list entry."""
        s, e = self.lines[index]
        line = self.text[s:e].strip()
        if not 0 < len(line) <= HEADING_CHARS or len(line.split()) > HEADING_WORDS:
            return False
        # A short sentence is not a heading: it ends with a full stop after a word ("… visited us in May.").
        return not re.search(r"[^\W_]{2}\.$", line)

    def previous_lines(self, pos: int, count: int) -> list[tuple[int, int]]:
        """Return up to ``count`` non-empty lines before the one holding ``pos``, nearest first."""
        out: list[tuple[int, int]] = []
        i = self.line_index(pos) - 1
        while i >= 0 and len(out) < count:
            s, e = self.lines[i]
            if self.text[s:e].strip():
                out.append((s, e))
            i -= 1
        return out

    @cached_property
    def _section_marks(self) -> list[tuple[int, str]]:
        """Headings that name a country, as (position, country): the country of what follows them."""
        marks = []
        for i, (s, e) in enumerate(self.lines):
            if not self.is_heading(i):
                continue
            named = [c for c in self.countries if s <= c.start < e]
            if named:
                marks.append((s, named[-1].code))
        return marks

    def section_country(self, pos: int) -> str | None:
        """Return the country of the latest heading before ``pos`` that names one."""
        marks = self._section_marks
        i = bisect_right([p for p, _c in marks], pos) - 1
        return marks[i][1] if i >= 0 else None

    def countries_in(self, start: int, end: int) -> list[CountryMention]:
        """Return the country names written between ``start`` and ``end``."""
        return [c for c in self.countries if start <= c.start and c.end <= end]

    def adjectives_in(self, start: int, end: int) -> list[AdjectiveMention]:
        """Return the country adjectives written between ``start`` and ``end``."""
        return [a for a in self.adjectives if start <= a.start and a.end <= end]
