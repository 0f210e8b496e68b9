"""Turn extracted proposals into records for review, and reviewed proposals into data/records/.

A proposals file has the records format (data/records/) with every twinning marked
``review: {status: proposed, confidence: …}``; ``pobratim review`` writes the accepted ones, without the
marker, to ``data/records/<source>-extracted.yaml`` and adds their new places to places.yaml.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from pobratim.core import ids
from pobratim.core.errors import BuildError
from pobratim.core.ids import slug
from pobratim.core.layout import Layout
from pobratim.extract.reader import Proposal
from pobratim.extract.sentence_dates import settle_dates
from pobratim.records.corpus import load_sources
from pobratim.records.models import (
    SECTIONS,
    PlacesFile,
    RecordFile,
    RecordSet,
    Source,
    SourceMeta,
    Twinning,
    load_yaml,
)
from pobratim.records.page_checks import name_in_quotes, page_problems


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
        if key[:2] == country.lower() and folded in {n.casefold() for n in place.names}:
            return key
    return ids.place_key(country, name)


def to_records(
    proposals: list[Proposal], info: PageInfo, places: PlacesFile, municipality_key: str, text: str | None = None
) -> dict[str, Any]:
    """Write proposals as a records document, each twinning marked as proposed with its confidence; with the
    page's ``text``, each start is the one of the sentence naming the partner (extract.sentence_dates)."""
    if text is not None:
        proposals = settle_dates(proposals, text, info.language)
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


def proposals_text(
    page: Path, proposals: list[Proposal], layout: Layout, municipality_key: str, lang: str | None
) -> str:
    """Write ``proposals`` read from ``page`` as a proposals file: a header saying what it is, then records."""
    info = page_info(page, layout, lang)
    places = load_yaml(layout.records / "places.yaml", PlacesFile)
    header = (
        f"# Proposed by `pobratim extract` from {page.name} ({len(proposals)} twinnings); nothing here is "
        f"published until `pobratim review` accepts it.\n"
    )
    if not info.known:
        header += (
            f"# {page.name} is not in data/sources/ yet: add it there with its metadata (id: {info.source_id})"
            " before review.\n"
        )
    return dump(to_records(proposals, info, places, municipality_key, page.read_text(encoding="utf-8")), header)


def captured(path: Path, layout: Layout) -> Source | None:
    """The captured source ``path`` is (its text or its metadata file in data/sources/), if it is one."""
    if not layout.sources.is_dir() or path.resolve().parent != layout.sources.resolve():
        return None
    sources = load_sources(layout.sources)
    if path.suffix == ".yaml":
        try:
            return sources.get(load_yaml(path, SourceMeta).id)
        except BuildError:
            return None  # not a capture's metadata: a proposals file, perhaps
    return next((s for s in sources.values() if s.path.name == path.name), None)


@dataclass
class Outcome:
    """What one review did: the records file written, what was decided now, what was refused and why, what
    had been decided before (a second run decides nothing again, and says so), and the places added."""

    target: Path
    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    earlier: dict[str, str] = field(default_factory=dict)  # record id -> "accepted by X" / "rejected by X"
    new_places: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Say what happened, in one paragraph a reviewer reads in the terminal or the browser."""
        lines = [f"{len(self.accepted)} accepted into {self.target}, {len(self.rejected)} rejected"]
        for ident, why in self.refused.items():
            lines.append(f"refused {ident}: {why}")
        if self.earlier:
            counts = {w: sum(1 for v in self.earlier.values() if v.startswith(w)) for w in ("accepted", "rejected")}
            lines.append(
                f"decided before: {counts['accepted']} accepted, {counts['rejected']} rejected "
                f"({', '.join(f'{k} {v}' for k, v in self.earlier.items())})"
            )
        if self.new_places:
            lines.append(f"added to places.yaml: {', '.join(self.new_places)}")
        return "\n".join(lines)


# A reviewer's edits of a twinning before accepting it: the fields a person may correct.
EDITABLE = ("partner", "partner_label", "country_label", "kind", "start", "start_kind", "quote")


def section_of(data: dict[str, Any], ident: str) -> tuple[str, dict[str, Any]] | None:
    """Find the record ``ident`` in a proposals document: its section and its raw mapping."""
    for section in SECTIONS.values():
        for raw in data.get(section) or []:
            if raw.get("id") == ident:
                return section, raw
    return None


def add_proposal(proposals_path: Path, record: dict[str, Any], reviewer: str) -> str:
    """Add a twinning the reader missed (a reviewer named it in the page) as a proposal; return its id."""
    data = yaml.safe_load(proposals_path.read_text(encoding="utf-8"))
    taken = {raw["id"] for section in SECTIONS.values() for raw in data.get(section) or []}
    ident = f"{record['municipality'].split('/')[1]}-{record['partner'].split('/')[1]}-reviewed"
    while ident in taken:
        ident += "-2"
    raw = {"id": ident, **{k: v for k, v in record.items() if v not in (None, "")}}
    raw["review"] = {"status": "proposed", "evidence": [f"named in the page by {reviewer}"]}
    RecordFile.model_validate({"source": data["source"], "twinnings": [raw]})  # the records schema, as load_yaml
    data.setdefault("twinnings", []).append(raw)
    _rewrite(proposals_path, data)
    return ident


def review(
    proposals_path: Path,
    decisions: dict[str, str],
    reviewer: str,
    layout: Layout,
    edits: dict[str, dict[str, Any]] | None = None,
) -> Outcome:
    """Apply ``decisions`` (record id -> accepted/rejected), with a reviewer's ``edits`` of twinnings, and write
    the accepted facts to data/records/<source>-extracted.yaml, their new places (the municipality included)
    to places.yaml, and each decision back into the proposals file.

    The command line and the review page both decide through here. An accepted fact is checked as the gate
    checks it (records.page_checks: its quotes in the page, a twinning's partner as the page spells it in
    its quote, its dates in its quote) and refused, still proposed, when a check fails.
    """
    records = load_yaml(proposals_path, RecordFile)  # validates the proposals with the records schema
    data = yaml.safe_load(proposals_path.read_text(encoding="utf-8"))
    places = load_yaml(layout.records / "places.yaml", PlacesFile)
    source = load_sources(layout.sources).get(records.source)
    target = layout.records / f"{records.source}-extracted.yaml"
    outcome = Outcome(target)
    for section in SECTIONS.values():
        for raw in data.get(section) or []:
            status = (raw.get("review") or {}).get("status")
            if status in ("accepted", "rejected"):
                outcome.earlier[raw["id"]] = f"{status} by {raw['review'].get('by') or 'someone'}"
    accepted: list[tuple[str, dict[str, Any]]] = []
    for ident, decision in decisions.items():
        found = section_of(data, ident)
        if found is None:
            outcome.refused[ident] = f"no proposal {ident} in {proposals_path}"
            continue
        section, raw = found
        if ident in outcome.earlier:
            continue  # said in outcome.earlier: a decision is taken once
        if decision == "rejected":
            raw["review"].update(status="rejected", by=reviewer)
            outcome.rejected.append(ident)
            continue
        candidate = {**raw, **{k: v for k, v in (edits or {}).get(ident, {}).items() if k in EDITABLE}}
        candidate = {k: v for k, v in candidate.items() if v not in (None, "")}
        why = _refusal(records.source, section, candidate, source, proposals_path)
        if why:
            outcome.refused[ident] = why
            continue
        raw.clear()
        raw.update(candidate)
        raw["review"].update(status="accepted", by=reviewer)
        accepted.append((section, {k: v for k, v in candidate.items() if k != "review"}))
        outcome.accepted.append(ident)
    if accepted:
        existing: dict[str, Any] = {"source": records.source}
        if target.exists():
            existing = yaml.safe_load(target.read_text(encoding="utf-8"))
        for section, rec in accepted:
            kept = [r for r in existing.get(section) or [] if r["id"] != rec["id"]]
            existing[section] = [*kept, rec]
        outcome.new_places = _add_places(
            layout, places, [rec for s, rec in accepted if s == "twinnings"], source, reviewer
        )
        target.write_text(
            dump(
                existing,
                f"# Facts from {records.source}, proposed by `pobratim extract`, accepted in review by {reviewer}.\n",
            ),
            encoding="utf-8",
        )
    if outcome.accepted or outcome.rejected:
        _rewrite(proposals_path, data)
    return outcome


def _refusal(source_id: str, section: str, record: dict[str, Any], source: Source | None, path: Path) -> str | None:
    """Say why ``record`` cannot be accepted (the records schema, then the gate's page checks), or None."""
    try:
        checked = RecordFile.model_validate({"source": source_id, section: [record]})
    except ValidationError as err:
        return "; ".join(f"{'.'.join(map(str, e['loc'][2:]))}: {e['msg']}" for e in err.errors())
    fact = checked.facts()[0]
    if isinstance(fact, Twinning) and not name_in_quotes(fact.partner_label, fact.quote):
        return f"the partner {fact.partner_label!r} is not in the quote (a word of the page's menu, or an article?)"
    if source is None:
        return f"the page {source_id} is not in data/sources/: capture it first (`pobratim capture`)"
    problems = page_problems(RecordSet(path, checked), source)
    return "; ".join(f"{p.field}: {p.message}" for p in problems) or None


def gazetteer_name(key: str, spellings: list[str]) -> str | None:
    """The gazetteer's name of the place ``key`` (``fr/mayenne``), found by any of ``spellings``."""
    from pobratim.core import gazetteer

    country = key[:2].upper()
    for spelling in spellings:
        for entry in gazetteer.lookup(spelling, country):
            if ids.place_key(entry.country, entry.name) == key:
                return entry.name
    return None


def _add_places(
    layout: Layout, places: PlacesFile, twinnings: list[dict[str, Any]], source: Source | None, reviewer: str
) -> list[str]:
    """Append to places.yaml the page's municipality (its publisher) and the places the accepted twinnings
    name, where it lacks them, with the names the gazetteer and the page give them: English from the
    gazetteer (accents kept), the page's spelling under the page's language, no name in a language no source
    gives."""
    lang = source.meta.language if source else "und"
    wanted: dict[str, tuple[str, list[str], str]] = {}  # key -> (kind, page spellings, municipality or not)
    if source is not None:  # whatever was accepted from its page (a mayor, a membership) is about it
        wanted[source.meta.publisher] = ("municipality", [], "publisher")
    for rec in twinnings:
        wanted.setdefault(rec["municipality"], ("municipality", [], "publisher"))
        wanted.setdefault(rec["partner"], ("city", [], "partner"))[1].append(rec["partner_label"])
    lines: list[str] = []
    added: list[str] = []
    for key, (kind, spellings, role) in wanted.items():
        if key in places.places:
            continue
        given: dict[str, str] = {}
        if role == "publisher" and source is not None and source.meta.publisher == key:
            given = dict(source.meta.publisher_name)
        en = given.get("en") or gazetteer_name(key, [*spellings, *given.values(), key.split("/")[1]])
        if en is None:
            en = spellings[0] if spellings else key.split("/")[1]
        entry: dict[str, Any] = {"en": en}
        page_name = spellings[0] if spellings else given.get(lang)
        names = {k: v for k, v in given.items() if k != "en"}
        if page_name and lang not in ("und", "en"):
            names.setdefault(lang, page_name)
        if "bg" in names:
            entry["bg"] = names.pop("bg")
        if names:
            entry["local"] = names
        entry["kind"] = kind
        flow = yaml.safe_dump(entry, allow_unicode=True, default_flow_style=True, sort_keys=False, width=1000)
        flow = flow.strip()
        lines.append(f"  {key}: {flow}\n")
        added.append(key)
    if lines:
        with (layout.records / "places.yaml").open("a", encoding="utf-8") as f:
            f.write(
                f"  # added by `pobratim review` ({reviewer}): English name from the gazetteer, others from the page\n"
            )
            f.writelines(lines)
    return added


def _rewrite(proposals_path: Path, data: dict[str, Any]) -> None:
    """Write the proposals file again with its decisions, its header comment kept."""
    header = proposals_path.read_text(encoding="utf-8").split("source:", 1)[0]
    proposals_path.write_text(dump(data, header), encoding="utf-8")
