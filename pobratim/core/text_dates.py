"""Dates as pages write them, in several languages, at the precision they give (year, month, day).

Month names come from CLDR via Babel (format and stand-alone, wide and abbreviated: "май", "listopada",
"October"), so no language's months are typed in by hand.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from babel import Locale

from pobratim.core.dates import PartialDate
from pobratim.core.locales import LANGUAGES

FIRST_YEAR = 1900


@dataclass(frozen=True)
class DateMention:
    when: PartialDate
    start: int
    end: int

    @property
    def iso(self) -> str:
        return self.when.lexical()


@cache
def _months() -> dict[str, int]:
    months: dict[str, int] = {}
    for lang in LANGUAGES:
        loc = Locale.parse(lang)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in loc.months[context][width].items():
                    key = name.casefold().rstrip(".")
                    if len(key) >= 3:
                        months.setdefault(key, number)
    return months


@cache
def month_names() -> frozenset[str]:
    """The month names of every language read, case-folded ("may", "listopada", "травня")."""
    return frozenset(_months())


@cache
def day_names() -> frozenset[str]:
    """The names of the days of the week in every language read, case-folded ("thursday", "четвъртък")."""
    names: set[str] = set()
    for lang in LANGUAGES:
        days = Locale.parse(lang).days
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                names.update(str(n).casefold().rstrip(".") for n in days[context][width].values())
    return frozenset(n for n in names if len(n) >= 3)


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    month = "|".join(re.escape(m) for m in sorted(_months(), key=len, reverse=True))
    year = r"(?P<y>(?:19|20)\d\d)"
    return [
        (re.compile(r"(?<!\d)(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d\d)(?!\d)"), "dmy"),
        (re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)"), "ymd"),
        # "14.5 1994": day and month with a point, a space before the year
        (re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\s(?P<y>(?:19|20)\d\d)(?!\d)"), "dmy"),
        # "the 3 rd of June 2000", "6th of October 2006", "25 май 1978", "6 listopada 2006"
        (
            re.compile(
                rf"(?<!\d)(?P<d>\d{{1,2}})\s*(?:st|nd|rd|th)?\.?\s*(?:of\s+|de\s+)?(?P<mn>{month})\.?,?\s+(?:de\s+)?{year}(?!\d)",
                re.IGNORECASE,
            ),
            "dMy",
        ),
        # "2000. április 16.", "1995. október 28" (Hungarian, Lithuanian and Latvian order: year, month, day)
        (
            re.compile(
                rf"(?<!\d)(?P<y>(?:19|20)\d\d)\.?\s+(?:m\.\s+|gada\s+)?(?P<mn>{month})\s+(?P<d>\d{{1,2}})(?!\d)", re.I
            ),
            "yMd",
        ),
        # "June 2, 1998"
        (
            re.compile(rf"(?<!\w)(?P<mn>{month})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,\s*{year}(?!\d)", re.IGNORECASE),
            "Mdy",
        ),
        # "месец септември 2017", "June 2008"
        (re.compile(rf"(?<!\w)(?P<mn>{month})\.?\s+{year}(?!\d)", re.IGNORECASE), "My"),
        (re.compile(r"(?<![\d.,])(?P<y>(?:19|20)\d\d)(?![\d.,]\d)"), "y"),
    ]


def find_dates(text: str, last_year: int | None = None) -> list[DateMention]:
    """Every date in ``text``, the most precise reading of each stretch winning; years 1900..today."""
    last = last_year or date.today().year
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for pattern, _reading in _patterns():  # most precise readings first
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            y = int(m.group("y"))
            if not FIRST_YEAR <= y <= last:
                continue
            month = None
            if "m" in m.groupdict() and m.group("m"):
                month = int(m.group("m"))
            elif "mn" in m.groupdict() and m.group("mn"):
                month = _months().get(m.group("mn").casefold().rstrip("."))
            day = int(m.group("d")) if "d" in m.groupdict() and m.group("d") else None
            try:
                when = PartialDate(y, month, day)
                if day is not None:
                    date(y, month or 1, day)
                if month is not None and not 1 <= month <= 12:
                    continue
            except ValueError:
                continue
            taken.append((m.start(), m.end()))
            found.append(DateMention(when, m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)
