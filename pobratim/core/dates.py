"""Dates at the precision a source gives them: year, year-month or day."""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

_PATTERN = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day; never padded to more."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def datatype(self) -> URIRef:
        if self.day is not None:
            return XSD.date
        if self.month is not None:
            return XSD.gYearMonth
        return XSD.gYear

    def lexical(self) -> str:
        text = f"-{-self.year:04d}" if self.year < 0 else f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def literal(self) -> Literal:
        # rdflib cannot turn a negative gYear into a Python value; keep the lexical form as given.
        return Literal(self.lexical(), datatype=self.datatype)

    def bounds(self) -> tuple[str, str] | None:
        """Return the first and last day this date may stand for (ISO strings), None before year 1."""
        if self.year < 1:
            return None
        if self.day is not None:
            d = date(self.year, self.month or 1, self.day).isoformat()
            return d, d
        if self.month is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            return f"{self.year:04d}-{self.month:02d}-01", f"{self.year:04d}-{self.month:02d}-{last:02d}"
        return f"{self.year:04d}-01-01", f"{self.year:04d}-12-31"


def parse_date(text: str) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (XSD 1.1 years: ``-0217`` is 218 BC)."""
    match = _PATTERN.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a year (YYYY), a month (YYYY-MM) or a day (YYYY-MM-DD)")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{text!r}: month {month} does not exist")
    if day is not None:
        try:
            date(year, month or 1, day)
        except ValueError as err:
            raise ValueError(f"{text!r}: {err}") from None
    return PartialDate(year, month, day)
