"""What the review page shows: the page's text cut where proposals' quotes begin and end, and each proposal
with the fields a reviewer decides on."""

import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from pobratim.core import gazetteer
from pobratim.core.countries import country_names
from pobratim.core.ids import place_key
from pobratim.records.models import SECTIONS, PlacesFile

# The fields of a fact shown beside its quote, by section; those a reviewer may edit (extract.proposals.EDITABLE)
# are in the fact's form instead.
SHOWN = {
    "documents": ("passed_by",),
    "mayors": ("person", "municipality"),
    "events": ("name", "location"),
    "memberships": ("member", "organization"),
}
# How many gazetteer places a partner's choice offers.
CHOICES = 8


@dataclass
class Item:
    """One proposal as the page shows it."""

    ident: str
    section: str
    raw: dict[str, Any]
    status: str
    by: str | None
    number: int
    shown: list[tuple[str, str]] = field(default_factory=list)
    choices: list[tuple[str, str]] = field(default_factory=list)  # (place key, what the reviewer reads)

    @property
    def quotes(self) -> list[str]:
        quote = self.raw.get("quote") or []
        return [quote] if isinstance(quote, str) else list(quote)


@dataclass
class Segment:
    """A stretch of the page's text and the proposals whose quotes cover it."""

    text: str
    items: list[str]


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def place_choices(label: str, current: str, places: PlacesFile) -> list[tuple[str, str]]:
    """Offer the places a partner may be: the proposed one first, then reviewed ones and the gazetteer's
    towns of that name, each with its country (and population) so two Bajas are told apart."""
    out: dict[str, str] = {}
    known = places.places.get(current)
    out[current] = f"{known.en if known else label} — {current[:2].upper()} ({current})"
    for key, place in places.places.items():
        if label.casefold() in {n.casefold() for n in place.names}:
            out.setdefault(key, f"{place.en} — {key[:2].upper()} ({key}, reviewed)")
    for entry in gazetteer.lookup(label)[:CHOICES]:
        key = place_key(entry.country, entry.name)
        out.setdefault(key, f"{entry.name} — {entry.country}, {entry.population:,} people ({key})")
    return list(out.items())


def search_places(query: str, places: PlacesFile) -> list[dict[str, Any]]:
    """Find places by a name: reviewed ones, then the gazetteer's, for the page's partner search."""
    found: list[dict[str, Any]] = []
    folded = query.casefold()
    for key, place in places.places.items():
        if folded and folded in {n.casefold() for n in place.names}:
            found.append({"key": key, "label": f"{place.en} — {key[:2].upper()} ({key}, reviewed)"})
    for entry in gazetteer.lookup(query)[: CHOICES * 2]:
        key = place_key(entry.country, entry.name)
        if all(f["key"] != key for f in found):
            found.append({"key": key, "label": f"{entry.name} — {entry.country}, {entry.population:,} people ({key})"})
    return found


def country_label(key: str) -> str:
    """The English name of a place key's country, as extract writes ``country_label``."""
    return country_names(key[:2].upper())["en"]


def items(data: dict[str, Any], places: PlacesFile) -> list[Item]:
    """List every proposal of a proposals document (twinnings first, then the other facts), decided or not."""
    out: list[Item] = []
    for section in SECTIONS.values():
        for raw in data.get(section) or []:
            review = raw.get("review") or {}
            item = Item(raw["id"], section, raw, review.get("status", "proposed"), review.get("by"), len(out) + 1)
            if section == "twinnings":
                item.choices = place_choices(raw["partner_label"], raw["partner"], places)
            else:
                item.shown = [(k, _text(raw[k])) for k in SHOWN.get(section, ()) if raw.get(k) is not None]
            out.append(item)
    return out


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{v} ({k})" for k, v in value.items())
    return str(value)


def _pattern(quote: str) -> re.Pattern[str]:
    """Match a quote in the page whatever white space stands between its words (quotes are normalised)."""
    return re.compile(r"\s+".join(re.escape(w) for w in quote.split()))


def segments(text: str, shown: list[Item]) -> list[Segment]:
    """Cut ``text`` where the quotes of ``shown`` begin and end; each piece names the items covering it."""
    spans: list[tuple[int, int, str]] = []
    for item in shown:
        for quote in item.quotes:
            m = _pattern(quote).search(text) if quote.strip() else None
            if m:
                spans.append((m.start(), m.end(), item.ident))
    cuts = sorted({0, len(text), *(s for s, _e, _i in spans), *(e for _s, e, _i in spans)})
    return [Segment(text[a:b], [i for s, e, i in spans if s <= a and b <= e]) for a, b in pairwise(cuts)]
