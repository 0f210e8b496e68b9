"""Checks of a record against its own page: its quotes in the page, dates and names in its quotes, page
spellings of places.

These need the page's words, so they run on the records (the SHACL shapes see only the graph).
"""

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from pobratim.core.dates import PartialDate, parse_date
from pobratim.core.errors import Problem
from pobratim.core.quotes import anchor, comparable
from pobratim.core.text_dates import find_dates
from pobratim.extract.facts.words import PLAN
from pobratim.records.models import Event, InQuote, PlacesFile, RecordSet, Source, fact_problem, marked

# A spelling such as "Джунанг-гу, СЕУЛ" names the district and the city around it: each part is a name.
# ("Gasteiz / Vitoria" is one place in two languages: a slash does not part names.)
_PARTS = re.compile(r"\s*[,;]\s*")


def date_in_quotes(value: str, quotes: Sequence[str]) -> bool:
    """Tell whether one of ``quotes`` writes the date ``value`` (in any date style the extractor reads).

    A year needs the year; a month the year and the month; a day all three. A quote may say more than
    the value ("25.05.1978" holds "1978"), never less.
    """
    wanted = parse_date(value)
    return any(
        _covers(said, wanted) for window in _windows(quotes, wanted.year) for said in _dates(window, wanted.year)
    )


# The longest way a page writes what comes before a year ("the 23 rd of September, 2000"), in characters.
_BEFORE_YEAR = 40


def _windows(quotes: Sequence[str], year: int) -> Iterable[str]:
    """Yield the stretches of the quotes around each place ``year`` is written, whole words only.

    Every date the reader finds writes its year in four digits, so a date with that year lies in such a
    stretch; reading only these keeps the check fast on long quotes (the reader tries every month name of
    seventeen languages at each character).
    """
    digits = f"{year:04d}"
    for quote in quotes:
        at = quote.find(digits)
        while at >= 0:
            start = quote.rfind(" ", 0, max(0, at - _BEFORE_YEAR)) + 1
            end = quote.find(" ", at + len(digits))
            yield quote[start : len(quote) if end < 0 else end]
            at = quote.find(digits, at + 1)


@lru_cache(maxsize=1 << 12)
def _dates(quote: str, last_year: int) -> tuple[PartialDate, ...]:
    return tuple(mention.when for mention in find_dates(quote, last_year))


def _covers(said: PartialDate, wanted: PartialDate) -> bool:
    return (
        said.year == wanted.year
        and (wanted.month is None or said.month == wanted.month)
        and (wanted.day is None or said.day == wanted.day)
    )


def place_names(places: PlacesFile) -> dict[str, set[str]]:
    """Map every label of every place (English, Bulgarian, local; folded) to the places that bear it."""
    names: dict[str, set[str]] = {}
    for key, place in places.places.items():
        for label in place.names:
            names.setdefault(comparable(label), set()).add(key)
    return names


def other_places(label: str, meant: str, names: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Return (spelling, place key) for each part of ``label`` that names a known place other than ``meant``.

    A label that is one of the meant place's own names ("Misato, Saitama" in the gazetteer) is its name.
    """
    found: list[tuple[str, str]] = []
    if meant in names.get(comparable(label), set()):
        return found
    for part in dict.fromkeys([label, *_PARTS.split(label)]):
        keys = names.get(comparable(part), set())
        if part and keys and meant not in keys:
            found.extend((part, key) for key in sorted(keys))
    return found


def name_in_quotes(name: str, quotes: Iterable[str]) -> bool:
    """Tell whether a name stands in one of the quotes (white space, case and accents folded)."""
    wanted = comparable(name)
    return any(wanted in comparable(quote) for quote in quotes)


def not_happened(event: Event, places: PlacesFile | None = None) -> str | None:
    """Return the word of an event's quote that makes it a plan, an invitation or an idea (else None).

    What the page does not say happened is no event (issue 27): "the municipality invites a delegation each
    year", "the idea arose". The words are the fact reader's (extract.facts.words.PLAN), so what it leaves
    out as a proposal the gate refuses as a record.
    """
    # The names the record gives (the event's, its participants', and with ``places`` every name of its location
    # and of its participants' places) are read out first: a town called Plant City or Plan-de-Cuques names a
    # place, it does not announce a plan.
    names = [*event.name.values(), *(n for p in event.participants for n in (p.label or {}).values())]
    if places is not None:
        keys = [event.location, *(p.place for p in event.participants)]
        names += [n for key in keys if key in places.places for n in places.places[key].names]
    for quote in event.quote:
        for name in sorted(names, key=len, reverse=True):
            quote = quote.replace(name, " ")
        found = PLAN.search(quote)
        if found is not None:
            return found.group()
    return None


def page_problems(rs: RecordSet, source: Source, places: PlacesFile | None = None) -> list[Problem]:
    """Check one record file against its page: each quote in the page, and in the quotes each value the
    model marks ``InQuote``; ``places`` names the places its events refer to."""
    problems: list[Problem] = []
    lang = source.meta.language
    page_dates = (source.meta.published, source.meta.captured_day)
    for fact in rs.records.facts():
        if isinstance(fact, Event) and (word := not_happened(fact, places)) is not None:
            message = (
                f"the quote presents this as a plan, an invitation or an idea ({word!r}), not as an event that happened"
            )
            problems.append(fact_problem(rs, fact, "quote", message))
        for i, quote in enumerate(fact.quote):
            if anchor(quote, source.text) is None:
                message = f"quote not found in {source.path.name}: {quote!r}"
                problems.append(fact_problem(rs, fact, f"quote[{i}]", message))
        for field, value, rule in marked(fact, InQuote):
            if rule.kind == "date":
                if not (rule.or_page_date and value in page_dates) and not date_in_quotes(value, fact.quote):
                    message = f"the date {value} is not in the record's quote (as a year, month or day)"
                    problems.append(fact_problem(rs, fact, field, message))
                continue
            # Of labels, only the name in the page's own language can be in its quote; others are translations.
            name, where = (value.get(lang), f"{field}.{lang}") if isinstance(value, dict) else (value, field)
            if name is not None and not name_in_quotes(name, fact.quote):
                problems.append(fact_problem(rs, fact, where, f"{name!r} is not in the record's quote"))
    return problems


__all__ = ["date_in_quotes", "name_in_quotes", "not_happened", "other_places", "page_problems", "place_names"]
