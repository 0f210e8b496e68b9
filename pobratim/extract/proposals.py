"""Turn extracted proposals into records for review, and reviewed proposals into data/records/.

A proposals file has the records format (data/records/) with every twinning marked
``review: {status: proposed, confidence: …}``; ``pobratim review`` writes the accepted ones, without the
marker, to ``data/records/<source>-extracted.yaml`` and adds their new places to places.yaml.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import ValidationError

from pobratim.core import ids
from pobratim.core.errors import BuildError
from pobratim.core.ids import slug
from pobratim.core.layout import Layout
from pobratim.core.locales import LABEL_LANGUAGES
from pobratim.core.quotes import comparable, normalise
from pobratim.extract.facts import (
    DocumentProposal,
    EventProposal,
    FactProposal,
    MayorProposal,
    MembershipProposal,
)
from pobratim.extract.reader import Proposal
from pobratim.extract.script import scripts
from pobratim.extract.sentence_dates import settle_dates
from pobratim.records.corpus import REGISTRY_FILES, load_sources
from pobratim.records.models import (
    SECTIONS,
    DocumentType,
    EventType,
    PeopleFile,
    PlacesFile,
    RecordFile,
    RecordSet,
    Source,
    SourceMeta,
    Twinning,
    load_yaml,
)
from pobratim.records.page_checks import date_in_quotes, name_in_quotes, page_problems


@dataclass(frozen=True)
class PageInfo:
    """Which source a page is, when data/sources/ knows it by its checksum."""

    source_id: str
    known: bool
    language: str
    # The page's own date (published, else captured): the day it names its mayor in office.
    date: str | None = None


def page_info(page: Path, layout: Layout, language: str | None) -> PageInfo:
    digest = hashlib.sha256(page.read_bytes()).hexdigest()
    for source in load_sources(layout.sources).values():
        if source.meta.sha256 == digest:
            meta = source.meta
            return PageInfo(meta.id, True, language or meta.language, meta.published or meta.captured_day)
    return PageInfo(slug(page.stem), False, language or "und")


def place_key(places: PlacesFile, name: str, country: str) -> str:
    """The key of a place named ``name`` in ``country``: a reviewed one if its names match, else a new slug."""
    folded = name.casefold()
    for key, place in places.places.items():
        if key[:2] == country.lower() and folded in {n.casefold() for n in place.names}:
            return key
    return ids.place_key(country, name)


def to_records(
    proposals: list[Proposal],
    info: PageInfo,
    places: PlacesFile,
    municipality_key: str,
    text: str | None = None,
    facts: Sequence[FactProposal] = (),
    people: PeopleFile | None = None,
) -> dict[str, Any]:
    """Write proposals as a records document, each fact marked as proposed with its confidence and why: the
    twinnings, then the page's ``facts`` (documents, mayors, events, memberships) in their sections, tied to
    the twinning the reader ties them to. With the page's ``text``, each start is the one of the sentence
    naming the partner (extract.sentence_dates)."""
    if text is not None:
        proposals = settle_dates(proposals, text, info.language)
    twinnings = []
    seen: set[str] = set()
    partners: dict[str, str] = {}  # the reader's name of each proposed partner -> its place key
    for p in proposals:
        partner = place_key(places, p.partner, p.country)
        partners.setdefault(p.partner, partner)
        ident = _unique(f"{municipality_key.split('/')[1]}-{partner.split('/')[1]}-extracted", seen)
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
    document: dict[str, Any] = {"source": info.source_id, "twinnings": twinnings}
    no_people = PeopleFile(people={}, organizations={})
    writer = _FactWriter(info, places, people or no_people, municipality_key, partners, text)
    document_partners: dict[str, str] = {}  # document id -> the partner key of its twinning
    for f in facts:
        section, written = writer.record(f)
        if written is None:
            continue
        written["id"] = _unique(written["id"], seen)
        document.setdefault(section, []).append(written)
        if section == "documents" and f.twinning in partners:
            document_partners[written["id"]] = partners[f.twinning]
    _tie_documents(twinnings, document.get("documents", []), document_partners)
    return document


def _unique(ident: str, seen: set[str]) -> str:
    """Return ``ident``, or it with ``-2`` added until no other record of the file has it; note it as taken."""
    while ident in seen:
        ident += "-2"
    seen.add(ident)
    return ident


def record_type(kind: str, values: Any) -> str:
    """The record value (of the Literal ``values``) of a kind the fact reader gives: the same word, with
    hyphens ("letter_of_intent" is "letter-of-intent")."""
    value = kind.replace("_", "-")
    if value not in get_args(values):
        raise ValueError(f"the fact reader's kind {kind!r} has no record value in {get_args(values)}")
    return value


# The longest line a mayor's quote is widened to (to hold the date it attests them on): a sentence or two.
MAX_QUOTE = 300


@dataclass
class _FactWriter:
    """Write the fact reader's proposals of one page as records of the records format."""

    info: PageInfo
    places: PlacesFile
    people: PeopleFile
    municipality: str
    partners: dict[str, str]
    text: str | None = None

    def record(self, f: FactProposal) -> tuple[str, dict[str, Any] | None]:
        """Return the section ``f`` is written in and its record (None when the page does not give what the
        record needs: a mayor's town or date)."""
        stem = f"{self.info.source_id}-{f.kind}"
        review: dict[str, Any] = {"status": "proposed", "confidence": f.confidence, "evidence": list(f.why)}
        partner = self.partners.get(f.twinning) if f.twinning else None
        if isinstance(f, DocumentProposal):
            kind = record_type(f.document_kind, DocumentType)
            rec: dict[str, Any] = {"id": slug(f"{stem} {kind} {f.partner_label or ''} {f.date or ''}"), "type": kind}
            if f.date:
                rec["date"] = f.date
            return "documents", {**rec, "quote": f.quote, "review": review}
        if isinstance(f, EventProposal):
            kind = record_type(f.event_kind, EventType)
            rec = {"id": slug(f"{stem} {kind} {f.partner or ''} {f.date or ''}"), "type": kind}
            rec["name"] = {self.info.language: f.occasion}
            if f.date:
                rec["date"] = f.date
            if partner:
                rec["twinning"] = [self.municipality, partner]
            return "events", {**rec, "quote": f.quote, "review": review}
        if isinstance(f, MayorProposal):
            return "mayors", self._mayor(f, stem, partner, review)
        if isinstance(f, MembershipProposal):
            org = _known(self.people.organizations.items(), f.network) or slug(f.network)
            review["names"] = {self.info.language: f.network}
            rec = {"id": slug(f"{stem} {org}"), "member": self.municipality, "organization": org}
            return "memberships", {**rec, "quote": f.quote, "review": review}
        raise TypeError(f"no records section for {type(f).__name__}")

    def _mayor(self, f: MayorProposal, stem: str, partner: str | None, review: dict[str, Any]) -> dict[str, Any] | None:
        own = self.places.places.get(self.municipality)
        own_names = {comparable(n) for n in own.names} if own else set()
        if partner is None and (
            ids.place_key(self.municipality[:2], f.of) == self.municipality or comparable(f.of) in own_names
        ):
            town = self.municipality
        else:
            town = partner or ""
        if not town:
            return None  # a town the page names elsewhere: its country is not known here
        date, quote = f.date, f.quote
        if date is not None and not date_in_quotes(date, [quote]):
            # The reader quotes the title and the name; the date the gate must find is in its line.
            quote = self._line(quote, date) or quote
        if date is None or not date_in_quotes(date, [quote]):
            # A page names its mayor in office on the day it is published (or captured): the gate takes that
            # date without a quote; another one (the page's dateline) would be refused.
            review["evidence"].append(f"in office on the page's date ({self.info.date})")
            date = self.info.date
        if date is None:
            return None
        person = _known(self.people.people.items(), f.person) or slug(f.person)
        review["names"] = {self.info.language: f.person}
        rec = {"id": slug(f"{stem} {person} {date}"), "person": person, "municipality": town, "date": date}
        return {**rec, "quote": quote, "review": review}

    def _line(self, quote: str, date: str) -> str | None:
        """The page's line holding ``quote`` and writing ``date``, if it is short enough to be a quote."""
        wanted = normalise(quote)
        for line in (self.text or "").splitlines():
            said = normalise(line)
            if wanted in said and len(said) <= MAX_QUOTE and date_in_quotes(date, [said]):
                return said
        return None


def _known(registry: Any, name: str) -> str | None:
    """The key of the person or organisation of ``registry`` (key, entry) items that bears ``name``."""
    folded = comparable(name)
    return next((key for key, entry in registry if folded in {comparable(t) for t, _lang in entry.labels}), None)


def _tie_documents(twinnings: list[dict[str, Any]], documents: list[dict[str, Any]], partners: dict[str, str]) -> None:
    """Give a twinning the document that started it where that is plain: the one document with its partner
    dated the day (or month, or year) the twinning began."""
    for t in twinnings:
        start = t.get("start")
        dated = [d["id"] for d in documents if partners.get(d["id"]) == t["partner"] and d.get("date") == start]
        if start and len(dated) == 1:
            quote_at = list(t).index("quote")
            items = list(t.items())
            t.clear()
            t.update([*items[:quote_at], ("document", dated[0]), *items[quote_at:]])


def dump(document: dict[str, Any], header: str) -> str:
    return header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=110)


def proposals_text(
    page: Path,
    proposals: list[Proposal],
    layout: Layout,
    municipality_key: str,
    lang: str | None,
    facts: Sequence[FactProposal] = (),
) -> str:
    """Write ``proposals`` and the other ``facts`` read from ``page`` as a proposals file: a header saying what
    it is, then records."""
    info = page_info(page, layout, lang)
    places = load_yaml(layout.records / "places.yaml", PlacesFile)
    people_path = layout.records / "people.yaml"
    people = load_yaml(people_path, PeopleFile) if people_path.is_file() else None
    header = (
        f"# Proposed by `pobratim extract` from {page.name} ({len(proposals)} twinnings, {len(facts)} other "
        f"facts); nothing here is published until `pobratim review` accepts it.\n"
    )
    if not info.known:
        header += (
            f"# {page.name} is not in data/sources/ yet: add it there with its metadata (id: {info.source_id})"
            " before review.\n"
        )
    text = page.read_text(encoding="utf-8")
    return dump(to_records(proposals, info, places, municipality_key, text, facts, people), header)


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
    new_people: list[str] = field(default_factory=list)  # people and organisations added to people.yaml
    untied: dict[str, str] = field(default_factory=dict)  # record id -> the tie left out, and why

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
        for ident, why in self.untied.items():
            lines.append(f"accepted {ident} without {why}")
        if self.new_places:
            lines.append(f"added to places.yaml: {', '.join(self.new_places)}")
        if self.new_people:
            lines.append(f"added to people.yaml: {', '.join(self.new_people)}")
        return "\n".join(lines)


# A reviewer's edits of a proposal before accepting it, by section: the fields a person may correct. The
# others (a mayor's person, an event's name, a membership's parties) are references a reviewer rejects and
# adds again rather than retypes.
EDITABLE: dict[str, tuple[str, ...]] = {
    "twinnings": ("partner", "partner_label", "country_label", "kind", "start", "start_kind", "quote"),
    "documents": ("type", "date", "quote"),
    "mayors": ("date", "quote"),
    "events": ("type", "date", "quote"),
    "memberships": ("quote",),
}


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
    """Apply ``decisions`` (record id -> accepted/rejected), with a reviewer's ``edits`` (``EDITABLE``), and write
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
    names: dict[str, dict[str, str]] = {}  # accepted record id -> the names its person or organisation has
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
        edited = (edits or {}).get(ident, {})
        candidate = {**raw, **{k: v for k, v in edited.items() if k in EDITABLE[section]}}
        candidate = {k: v for k, v in candidate.items() if v not in (None, "")}
        why = _refusal(records.source, section, candidate, source, proposals_path)
        if why:
            outcome.refused[ident] = why
            continue
        raw.clear()
        raw.update(candidate)
        raw["review"].update(status="accepted", by=reviewer)
        accepted.append((section, {k: v for k, v in candidate.items() if k != "review"}))
        names[ident] = candidate["review"].get("names") or {}
        outcome.accepted.append(ident)
    if accepted:
        existing: dict[str, Any] = {"source": records.source}
        if target.exists():
            existing = yaml.safe_load(target.read_text(encoding="utf-8"))
        _untie(accepted, existing, layout, outcome)
        for section, rec in accepted:
            kept = [r for r in existing.get(section) or [] if r["id"] != rec["id"]]
            existing[section] = [*kept, rec]
        outcome.new_places = _add_places(
            layout, places, [rec for s, rec in accepted if s == "twinnings"], source, reviewer
        )
        outcome.new_people = _add_people(layout, accepted, names, source, reviewer)
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
        lines.append(f"  {key}: {_flow(entry)}\n")
        added.append(key)
    if lines:
        with (layout.records / "places.yaml").open("a", encoding="utf-8") as f:
            f.write(
                f"  # added by `pobratim review` ({reviewer}): English name from the gazetteer, others from the page\n"
            )
            f.writelines(lines)
    return added


def _untie(
    accepted: list[tuple[str, dict[str, Any]]], existing: dict[str, Any], layout: Layout, outcome: Outcome
) -> None:
    """Leave out of the accepted records a tie to what no record states: a twinning's document not accepted,
    an event's twinning no record file states (its twinning rejected), so the gate finds every reference."""
    documents = {d["id"] for d in existing.get("documents") or []} | {r["id"] for s, r in accepted if s == "documents"}
    pairs = {frozenset((r["municipality"], r["partner"])) for s, r in accepted if s == "twinnings"}
    for path in layout.records.glob("*.yaml"):
        if path.name not in REGISTRY_FILES:
            stated = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            pairs |= {frozenset((t["municipality"], t["partner"])) for t in stated.get("twinnings") or []}
    for section, rec in accepted:
        if section == "twinnings" and rec.get("document") and rec["document"] not in documents:
            outcome.untied[rec["id"]] = f"its document {rec.pop('document')}: it is not accepted"
        if section == "events" and rec.get("twinning") and frozenset(rec["twinning"]) not in pairs:
            pair = " and ".join(rec.pop("twinning"))
            outcome.untied[rec["id"]] = f"its twinning of {pair}: no record states it"


def _add_people(
    layout: Layout,
    accepted: list[tuple[str, dict[str, Any]]],
    names: dict[str, dict[str, str]],
    source: Source | None,
    reviewer: str,
) -> list[str]:
    """Add to people.yaml the person of each accepted mayor and the organisation of each accepted membership
    it lacks, named only as the page writes them: under ``bg`` from a Bulgarian page, ``latn`` in Latin
    script, else under the page's language."""
    path = layout.records / "people.yaml"
    people = load_yaml(path, PeopleFile) if path.is_file() else PeopleFile(people={}, organizations={})
    lang = source.meta.language if source else "und"
    wanted: dict[str, dict[str, dict[str, Any]]] = {"people": {}, "organizations": {}}
    for section, rec in accepted:
        written = names.get(rec["id"], {}).get(lang)
        if written is None:
            continue
        if section == "mayors" and rec["person"] not in people.people:
            latin = set(scripts(written)) == {"LATIN"}
            entry: dict[str, Any] = {"bg": written} if lang == "bg" else {"latn": written} if latin else {}
            wanted["people"][rec["person"]] = entry or {"local": {lang: written}}
        if section == "memberships" and rec["organization"] not in people.organizations:
            entry = {lang: written} if lang in LABEL_LANGUAGES else {"local": {lang: written}}
            wanted["organizations"][rec["organization"]] = entry
    if not any(wanted.values()):
        return []
    comment = f"  # added by `pobratim review` ({reviewer}): the names as the page writes them\n"
    blocks = {
        section: [comment] + [f"  {key}: {_flow(entry)}\n" for key, entry in entries.items()] if entries else []
        for section, entries in wanted.items()
    }
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True) if path.is_file() else []
    if "people:\n" in lines and "organizations:\n" in lines:
        # Each section's new entries go at its end, the file's comments kept.
        at = lines.index("organizations:\n")
        lines = [*lines[:at], *blocks["people"], *lines[at:], *blocks["organizations"]]
    else:  # a file of another layout (or none): written again from its data
        data = people.model_dump(exclude_defaults=True)
        for section, entries in wanted.items():
            data.setdefault(section, {}).update(entries)
        lines = [dump(data, "")]
    path.write_text("".join(lines), encoding="utf-8")
    PeopleFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))  # still the registry's schema
    return [key for entries in wanted.values() for key in entries]


def _flow(entry: dict[str, Any]) -> str:
    """Write one registry entry on one line, as places.yaml and people.yaml write theirs."""
    return yaml.safe_dump(entry, allow_unicode=True, default_flow_style=True, sort_keys=False, width=1000).strip()


def _rewrite(proposals_path: Path, data: dict[str, Any]) -> None:
    """Write the proposals file again with its decisions, its header comment kept."""
    header = proposals_path.read_text(encoding="utf-8").split("source:", 1)[0]
    proposals_path.write_text(dump(data, header), encoding="utf-8")
