"""Turn extracted proposals into records for review, and reviewed proposals into data/records/.

A proposals file has the records format (data/records/) with every twinning marked
``review: {status: proposed, confidence: …}``; ``pobratim review`` writes the accepted ones, without the
marker, to ``data/records/<source>-extracted.yaml`` and adds their new places to places.yaml.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from unidecode import unidecode

from pobratim.core import ids
from pobratim.core.ids import slug
from pobratim.core.layout import Layout
from pobratim.extract.reader import Proposal
from pobratim.records.corpus import load_sources
from pobratim.records.models import PlacesFile, RecordFile, load_yaml


@dataclass(frozen=True)
class PageInfo:
    """Which source a page is, when data/sources/ knows it by its checksum."""

    source_id: str
    known: bool
    language: str


def page_info(page: Path, layout: Layout, language: str | None) -> PageInfo:
    digest = hashlib.sha256(page.read_bytes()).hexdigest()
    for source in load_sources(layout.sources).values():
        if source.meta.sha256 == digest:
            return PageInfo(source.meta.id, True, language or source.meta.language)
    return PageInfo(slug(page.stem), False, language or "und")


def place_key(places: PlacesFile, name: str, country: str) -> str:
    """The key of a place named ``name`` in ``country``: a reviewed one if its names match, else a new slug."""
    folded = name.casefold()
    for key, place in places.places.items():
        if key[:2] == country.lower() and folded in {
            place.en.casefold(),
            place.bg.casefold(),
            *(v.casefold() for v in place.local.values()),
        }:
            return key
    return ids.place_key(country, name)


def to_records(proposals: list[Proposal], info: PageInfo, places: PlacesFile, municipality_key: str) -> dict[str, Any]:
    """Write proposals as a records document, each twinning marked as proposed with its confidence."""
    twinnings = []
    seen: set[str] = set()
    for p in proposals:
        partner = place_key(places, p.partner, p.country)
        ident = f"{municipality_key.split('/')[1]}-{partner.split('/')[1]}-extracted"
        while ident in seen:
            ident += "-2"
        seen.add(ident)
        record: dict[str, Any] = {
            "id": ident,
            "municipality": municipality_key,
            "partner": partner,
            "partner_label": p.partner_label,
            "country_label": p.country_label,
            "kind": "twinning",
        }
        if p.start:
            record["start"] = p.start
        if p.start_kind:
            record["start_kind"] = p.start_kind
        record["quote"] = p.quote
        record["review"] = {"status": "proposed", "confidence": p.confidence, "evidence": p.evidence}
        twinnings.append(record)
    return {"source": info.source_id, "twinnings": twinnings}


def dump(document: dict[str, Any], header: str) -> str:
    return header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=110)


def accept(proposals_path: Path, decisions: dict[str, str], reviewer: str, layout: Layout) -> tuple[Path, int, int]:
    """Apply ``decisions`` (record id -> accepted/rejected) and write the accepted twinnings to data/records/.

    Returns the records file written, and how many were accepted and rejected.
    """
    records = load_yaml(proposals_path, RecordFile)  # validates the proposals with the records schema
    data = yaml.safe_load(proposals_path.read_text(encoding="utf-8"))
    places = load_yaml(layout.records / "places.yaml", PlacesFile)
    accepted, rejected = [], 0
    for raw, rec in zip(data["twinnings"], records.twinnings, strict=True):
        decision = decisions.get(rec.id)
        if decision is None:
            continue
        raw["review"].update(status=decision, by=reviewer)
        if decision == "accepted":
            accepted.append(({k: v for k, v in raw.items() if k != "review"}, rec))
        else:
            rejected += 1
    target = layout.records / f"{records.source}-extracted.yaml"
    existing: dict[str, Any] = {"source": records.source, "twinnings": []}
    if target.exists():
        existing = yaml.safe_load(target.read_text(encoding="utf-8"))
    new_places: list[tuple[str, str]] = []
    for raw, rec in accepted:
        existing["twinnings"] = [t for t in existing["twinnings"] if t["id"] != raw["id"]] + [raw]
        if rec.partner not in places.places and rec.partner not in {k for k, _ in new_places}:
            new_places.append((rec.partner, rec.partner_label))
    if accepted:
        target.write_text(
            dump(
                existing,
                f"# Twinnings from {records.source}, proposed by `pobratim extract` and "
                f"accepted in review by {reviewer}.\n",
            ),
            encoding="utf-8",
        )
    if new_places:
        with (layout.records / "places.yaml").open("a", encoding="utf-8") as f:
            f.write(f"  # added by `pobratim review` ({reviewer}): check the English name and the kind\n")
            for key, label in new_places:
                entry = yaml.safe_dump(
                    {"en": unidecode(label) if not label.isascii() else label, "bg": label, "kind": "city"},
                    allow_unicode=True,
                    default_flow_style=True,
                    width=1000,
                )
                f.write(f"  {key}: {entry.strip()}\n")
    proposals_path.write_text(
        dump(data, proposals_path.read_text(encoding="utf-8").split("source:", 1)[0]), encoding="utf-8"
    )
    return target, len(accepted), rejected
