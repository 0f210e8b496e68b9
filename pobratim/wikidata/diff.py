"""Compare our twinnings with Wikidata's P190 on the linked items, and write QuickStatements an editor can run.

What goes to Wikidata, and why (https://www.wikidata.org/wiki/Help:Sources, Help:Qualifiers):

- P190 in both directions, with P580 (start time) and P582 (end time) where the sources give them. A
  relation that ended (an end date, or status ended or transferred) is never written without its P582:
  without a date it is not written at all, and the report says why.
- Each statement carries one reference per source that supports all of it: a source that gives no start
  is not cited on a statement with P580 (a reference vouches for the qualifiers too). When the sources
  disagree on a date, the date is left out and the report lists the disagreement for a person to settle.
- A reference a person can follow: the page's address (S854) where the capture recorded one, otherwise
  the capture pobratim publishes (its source page, as archive URL S1065 with archive date S2960); then
  retrieved (S813), title (S1476, in the page's language), publication date (S577), publisher (S123)
  and language of the work (S407) where known. Nothing is invented: what no source gives is left out.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Triple

from pobratim import published
from pobratim.core.ids import Iris
from pobratim.core.vocab import DCTERMS, POB, SDO, WD_ENTITY
from pobratim.records.links import LinksFile
from pobratim.wikidata.client import WikidataClient, batched, literal

Term = NamedNode | BlankNode | Literal | Triple | DefaultGraph
PRECISION = {
    "http://www.w3.org/2001/XMLSchema#gYear": 9,
    "http://www.w3.org/2001/XMLSchema#gYearMonth": 10,
    "http://www.w3.org/2001/XMLSchema#date": 11,
}
DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
CONSENT = "council_decision"  # the establishment mode of a council's consent (records: start_kind)
ACTIVE = "active"  # the one status that is not an end (records: Status)


@dataclass(frozen=True, order=True)
class Time:
    """A date at its precision (Wikidata: 9 year, 10 month, 11 day)."""

    text: str  # ISO: 1978, 1978-05 or 1978-05-25
    precision: int

    def at(self, precision: int) -> str:
        return self.text[: {9: 4, 10: 7, 11: 10}[min(precision, 11)]]

    def quickstatements(self) -> str:
        year, month, day = [*self.text.split("-"), "00", "00"][:3]
        return f"+{year}-{month}-{day}T00:00:00Z/{self.precision}"


@dataclass(frozen=True)
class Claim:
    """What one source says of a twinning: its dates, status and how it began."""

    source: str  # source IRI
    start: Time | None = None
    end: Time | None = None
    status: str | None = None
    mode: str | None = None
    decided: Time | None = None  # the date of the document that established it (a council decision)

    @property
    def ended(self) -> bool:
        return self.end is not None or self.status not in {None, ACTIVE}


@dataclass(frozen=True)
class SourceInfo:
    iri: str
    title: tuple[str, str] | None  # (language tag, text)
    language: str  # the page's language (dcterms:language)
    issued: Time | None
    captured: Time | None
    url: str | None = None  # the address the page was captured from (schema:url), when recorded
    publisher: str | None = None  # the publisher's place IRI


@dataclass
class Pair:
    """One of our twinnings between two linked places, with what each source says of it."""

    municipality: str  # place IRIs
    partner: str
    items: tuple[str, str]  # (municipality's item, partner's item)
    claims: dict[str, Claim] = field(default_factory=dict)  # source IRI -> claim

    @property
    def starts(self) -> dict[str, Time | None]:
        return {source: claim.start for source, claim in self.claims.items()}

    @property
    def ended(self) -> bool:
        return any(c.ended for c in self.claims.values())

    @property
    def consent_only(self) -> bool:
        """The only evidence is a council's consent: no agreement, protocol or start."""
        return all(c.mode == CONSENT and c.start is None for c in self.claims.values())


@dataclass
class Plan:
    """The statement to write for a pair: its qualifiers, the sources cited, and what was left out and why."""

    qualifiers: list[tuple[str, Time]] = field(default_factory=list)  # (P580 | P582, value)
    sources: list[str] = field(default_factory=list)
    uncited: list[tuple[str, str]] = field(default_factory=list)  # (source, why its reference is left off)
    notes: list[str] = field(default_factory=list)  # why a qualifier is left out
    skipped: str | None = None  # why no statement is written


@dataclass(frozen=True)
class WikidataP190:
    """One P190 statement in Wikidata, with its start and end."""

    start: Time | None
    end: Time | None


@dataclass
class Diff:
    both: list[Pair] = field(default_factory=list)
    one_direction: list[tuple[Pair, str]] = field(default_factory=list)  # (pair, the item lacking the statement)
    only_ours: list[Pair] = field(default_factory=list)
    only_wikidata: list[tuple[str, str, Time | None]] = field(default_factory=list)
    date_disagreements: list[tuple[Pair, str, Time, Time]] = field(default_factory=list)
    ended_current_there: list[Pair] = field(default_factory=list)  # ended here, no P582 in Wikidata
    plans: list[tuple[Pair, Plan]] = field(default_factory=list)  # every pair a statement was planned for
    unlinked: list[tuple[str, str]] = field(default_factory=list)
    quickstatements: list[str] = field(default_factory=list)
    cited_by_url: int = 0
    cited_by_archive: int = 0
    sources: dict[str, SourceInfo] = field(default_factory=dict)
    base: str = ""  # the build's base IRI: its resources' and archive URLs' prefix


def _time(term: Term | None) -> Time | None:
    if not isinstance(term, pyoxigraph.Literal):
        return None
    if term.datatype.value == DATETIME:
        return Time(term.value[:10], 11)  # a capture's time: its day (Wikidata's finest precision is the day)
    if term.datatype.value not in PRECISION:
        return None
    return Time(term.value, PRECISION[term.datatype.value])


# Every claim of a twinning between two of our places, as the municipality whose page states it gives it.
CLAIMS = f"""
PREFIX pob: <{POB}>
PREFIX schema: <{SDO}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <{DCTERMS}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT ?municipality ?partner ?source ?start ?end ?status ?mode ?decided WHERE {{
  ?twinning pob:party ?municipality, ?partner ; pob:claim ?claim .
  ?claim prov:wasDerivedFrom ?source .
  ?source dcterms:publisher ?municipality .
  FILTER (?partner != ?municipality)
  OPTIONAL {{ ?claim schema:startDate ?start }}
  OPTIONAL {{ ?claim schema:endDate ?end }}
  OPTIONAL {{ ?claim pob:status ?s . ?s skos:notation ?status }}
  OPTIONAL {{ ?claim pob:establishmentMode ?m . ?m skos:notation ?mode }}
  OPTIONAL {{ ?claim pob:establishedBy ?document . ?document eli:date_document|dcterms:date ?decided }}
}}
"""


def _accepted(links: LinksFile, base: str) -> dict[str, str]:
    """Map the IRI of each place with an accepted link to its item."""
    iris = Iris(base)
    return {str(iris.place(k)): v for k, v in links.accepted().items()}


def our_pairs(store: pyoxigraph.Store, links: LinksFile, base: str) -> tuple[list[Pair], list[tuple[str, str]]]:
    """Read every claim of our twinnings; keep the twinnings whose two places are linked."""
    accepted = _accepted(links, base)
    result = store.query(CLAIMS, use_default_graph_as_union=True)
    assert isinstance(result, pyoxigraph.QuerySolutions)
    pairs: dict[tuple[str, str], Pair] = {}
    unlinked = set()
    for row in result:
        m, p = str(row["municipality"].value), str(row["partner"].value)
        if m not in accepted or p not in accepted:
            unlinked.add((m, p))
            continue
        pair = pairs.setdefault((m, p), Pair(m, p, (accepted[m], accepted[p])))
        status, mode = row["status"], row["mode"]
        source = str(row["source"].value)
        claim = Claim(
            source,
            start=_time(row["start"]),
            end=_time(row["end"]),
            status=status.value if status else None,
            mode=mode.value if mode else None,
            decided=_time(row["decided"]),
        )
        # A row per document (or per claim) of the same source: what any of them gives is kept.
        known = pair.claims.get(source, claim)
        pair.claims[source] = Claim(
            source, *(getattr(known, f) or getattr(claim, f) for f in ("start", "end", "status", "mode", "decided"))
        )
    return sorted(pairs.values(), key=lambda p: (p.municipality, p.partner)), sorted(unlinked)


def source_info(store: pyoxigraph.Store, iri: str) -> SourceInfo:
    """Read what a reference needs from the source's description in the build."""
    node = pyoxigraph.NamedNode(iri)

    def values(prop: str) -> list[Term]:
        return [q.object for q in store.quads_for_pattern(node, pyoxigraph.NamedNode(prop), None, None)]

    language = next((t.value for t in values(str(DCTERMS.language)) if isinstance(t, pyoxigraph.Literal)), "")
    titles = {t.language: t.value for t in values(str(DCTERMS.title)) if isinstance(t, pyoxigraph.Literal)}
    # The title in the page's own language, else in another (S1476 is monolingual text: it needs a tag).
    title_lang = language if language in titles else min((t for t in titles if t), default=None)
    url = next((t.value for t in values(str(SDO.url)) if isinstance(t, pyoxigraph.NamedNode)), None)
    publisher = next((t.value for t in values(str(DCTERMS.publisher)) if isinstance(t, pyoxigraph.NamedNode)), None)
    return SourceInfo(
        iri,
        (title_lang, titles[title_lang]) if title_lang else None,
        language,
        next((t for t in map(_time, values(str(DCTERMS.issued))) if t), None),
        next((t for t in map(_time, values(str(POB.capturedOn))) if t), None),
        url,
        publisher,
    )


def _wikidata_time(row: dict[str, dict[str, str]], value: str, precision: str) -> Time | None:
    if value not in row:
        return None
    p = min(int(row[precision]["value"]), 11)
    return Time(row[value]["value"].lstrip("+")[: {9: 4, 10: 7, 11: 10}.get(p, 4)], p)


def wikidata_p190(client: WikidataClient, items: set[str]) -> dict[tuple[str, str], list[WikidataP190]]:
    """Fetch the P190 statements of ``items`` with their P580 and P582 at their precision."""
    found: dict[tuple[str, str], list[WikidataP190]] = defaultdict(list)
    for chunk in batched(sorted(items)):
        values = " ".join(f"<{WD_ENTITY}{i}>" for i in chunk)
        rows = client.select(
            f"SELECT ?st ?item ?other ?start ?sp ?end ?ep WHERE {{ VALUES ?item {{ {values} }} "
            "?item p:P190 ?st . ?st ps:P190 ?other . "
            "OPTIONAL { ?st pqv:P580 ?s . ?s wikibase:timeValue ?start ; wikibase:timePrecision ?sp } "
            "OPTIONAL { ?st pqv:P582 ?e . ?e wikibase:timeValue ?end ; wikibase:timePrecision ?ep } }"
        )
        for row in rows:
            key = (row["item"]["value"].removeprefix(WD_ENTITY), row["other"]["value"].removeprefix(WD_ENTITY))
            found[key].append(WikidataP190(_wikidata_time(row, "start", "sp"), _wikidata_time(row, "end", "ep")))
    return found


def language_items(client: WikidataClient, codes: set[str]) -> dict[str, str]:
    """Map ISO 639-1 codes to the one language item that carries each (P218); a code two items carry is left out."""
    found: dict[str, set[str]] = defaultdict(set)
    for chunk in batched(sorted(codes)):
        rows = client.select(
            f"SELECT ?language ?code WHERE {{ VALUES ?code {{ {' '.join(literal(c) for c in chunk)} }} "
            "?language wdt:P218 ?code . }"
        )
        for row in rows:
            found[row["code"]["value"]].add(row["language"]["value"].removeprefix(WD_ENTITY))
    return {code: next(iter(items)) for code, items in found.items() if len(items) == 1}


def plan(pair: Pair) -> Plan:
    """Decide the qualifiers of a pair's statement and which sources may be cited on it."""
    out = Plan()
    claims = sorted(pair.claims.values(), key=lambda c: c.source)
    cited = claims
    if pair.ended:
        ends = {c.end for c in claims if c.end}
        if not ends:
            out.skipped = "ended (" + ", ".join(sorted({c.status for c in claims if c.status})) + ") with no end date"
            return out
        if len(ends) > 1:
            out.skipped = "the sources disagree on the end: " + ", ".join(t.text for t in sorted(ends))
            return out
        end = next(iter(ends))
        out.qualifiers.append(("P582", end))
        cited = [c for c in claims if c.end == end]
        out.uncited += [(c.source, "gives no end") for c in claims if c.end != end]
    starts = {c.start for c in claims if c.start}
    if len(starts) == 1:
        start = next(iter(starts))
        dated = [c for c in cited if c.start == start]
        if dated:
            out.qualifiers.insert(0, ("P580", start))
            out.uncited += [(c.source, "gives no start") for c in cited if c.start != start]
            cited = dated
        else:
            out.notes.append(f"start {start.text} left out: the source that gives it does not give the end")
    elif len(starts) > 1:
        out.notes.append("start left out: the sources disagree (" + ", ".join(t.text for t in sorted(starts)) + ")")
    out.sources = [c.source for c in cited]
    return out


def _quote(text: str) -> str:
    # QuickStatements v1 strings are double-quoted with no escape; a tab or newline would end the field.
    return '"' + " ".join(text.replace('"', "'").split()) + '"'


def reference(info: SourceInfo, items: dict[str, str], languages: dict[str, str]) -> list[str]:
    """The reference of one source, as QuickStatements source columns."""
    ref = ["S854", _quote(info.url)] if info.url else ["S1065", _quote(info.iri)]
    if info.captured:
        if not info.url:
            ref += ["S2960", info.captured.quickstatements()]  # the archive's date: when pobratim captured it
        ref += ["S813", info.captured.quickstatements()]
    if info.title:
        ref += ["S1476", f"{info.title[0]}:{_quote(info.title[1])}"]
    if info.issued:
        ref += ["S577", info.issued.quickstatements()]
    if info.publisher is not None and info.publisher in items:
        ref += ["S123", items[info.publisher]]
    if info.language in languages:
        ref += ["S407", languages[info.language]]
    return ref


def statements(
    p: Plan, subject: str, obj: str, sources: dict[str, SourceInfo], items: dict[str, str], languages: dict[str, str]
) -> list[str]:
    """QuickStatements v1 lines adding ``subject`` P190 ``obj``: one line per cited source, same qualifiers."""
    qualifiers = [part for prop, value in p.qualifiers for part in (prop, value.quickstatements())]
    return [
        "\t".join([subject, "P190", obj, *qualifiers, *reference(sources[iri], items, languages)]) for iri in p.sources
    ]


def diff(dist: Path, links: LinksFile, client: WikidataClient) -> Diff:
    """Compare the published build in ``dist`` (at the base IRI it was built with) with Wikidata."""
    base = published.Manifest.read(dist).base
    store = pyoxigraph.Store.read_only(str(dist / published.STORE))
    pairs, unlinked = our_pairs(store, links, base)
    accepted = _accepted(links, base)
    sources = {iri: source_info(store, iri) for p in pairs for iri in p.claims}
    publishers = {
        str(q.object.value)
        for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(str(DCTERMS.publisher)), None, None)
        if isinstance(q.object, pyoxigraph.NamedNode)
    }
    municipalities = {accepted[m] for m in publishers if m in accepted}
    wd = wikidata_p190(client, {i for p in pairs for i in p.items} | municipalities)
    languages = language_items(client, {s.language for s in sources.values()}) if sources else {}
    out = Diff(unlinked=unlinked, sources=sources, base=base)
    ours = set()
    for pair in pairs:
        a, b = pair.items
        ours.add((a, b))
        there = wd.get((a, b), []) + wd.get((b, a), [])
        missing = [(a, b)] if (a, b) not in wd else []
        missing += [(b, a)] if (b, a) not in wd else []
        if len(missing) == 2:
            out.only_ours.append(pair)
        else:
            out.both.append(pair)
            if missing:
                out.one_direction.append((pair, missing[0][0]))
            if pair.ended and any(s.end is None for s in there):
                out.ended_current_there.append(pair)
        if missing:
            p = plan(pair)
            out.plans.append((pair, p))
            if p.skipped is None:
                for subject, obj in missing:
                    lines = statements(p, subject, obj, sources, accepted, languages)
                    out.quickstatements += lines
                    out.cited_by_url += sum(bool(sources[s].url) for s in p.sources)
                    out.cited_by_archive += sum(not sources[s].url for s in p.sources)
        theirs = sorted({s.start for s in there if s.start is not None})
        for source, mine in sorted(pair.starts.items()):
            for their in theirs:
                if mine is not None:
                    precision = min(mine.precision, their.precision)
                    if mine.at(precision) != their.at(precision):
                        out.date_disagreements.append((pair, source, mine, their))
    for (a, b), found in sorted(wd.items()):
        if a in municipalities and (a, b) not in ours and (b, a) not in ours:
            out.only_wikidata.append((a, b, next((s.start for s in found if s.start), None)))
    return out


def report(d: Diff, links: LinksFile) -> str:
    """Render the comparison for people, with what an editor should know before running the statements."""
    label = {}
    for key, link in links.links.items():
        if link.item:
            label[link.item] = f"{key} ({link.item}{', ' + link.label if link.label else ''})"

    def name(item: str) -> str:
        return label.get(item, item)

    base = d.base

    def short(iri: str) -> str:
        return iri.removeprefix(base)

    def pair_name(p: Pair) -> str:
        return f"{name(p.items[0])} — {name(p.items[1])}"

    lines = [f"Twinnings in both: {len(d.both)}"]
    lines += [f"  {pair_name(p)}" for p in d.both]
    lines.append(f"Only in pobratim (missing in Wikidata): {len(d.only_ours)}")
    lines += [f"  {pair_name(p)}" + (" (ended)" if p.ended else "") for p in d.only_ours]
    lines.append(f"In Wikidata in one direction only: {len(d.one_direction)}")
    lines += [
        f"  {name(lacking)} lacks P190 {name(p.items[1] if lacking == p.items[0] else p.items[0])}"
        for p, lacking in d.one_direction
    ]
    lines.append(f"Only in Wikidata: {len(d.only_wikidata)}")
    lines += [f"  {name(a)} — {name(b)}" + (f" (since {s.text})" if s else "") for a, b, s in d.only_wikidata]
    lines.append(f"Start dates that disagree: {len(d.date_disagreements)}")
    lines += [
        f"  {pair_name(p)}: {short(source)} says {mine.text}, Wikidata P580 {their.text}"
        for p, source, mine, their in d.date_disagreements
    ]
    lines.append(f"Ended here, current in Wikidata (a P190 without P582): {len(d.ended_current_there)}")
    lines += [f"  {pair_name(p)}" for p in d.ended_current_there]
    skipped = [(p, plan) for p, plan in d.plans if plan.skipped]
    lines.append(f"Not written (an ended relation is never written as current): {len(skipped)}")
    lines += [f"  {pair_name(p)}: {plan.skipped}" for p, plan in skipped]
    consent = [p for p, plan in d.plans if p.consent_only and not plan.skipped]
    lines.append(f"Written on a council's consent alone (no agreement, no start): {len(consent)}")
    for p in consent:
        said = "; ".join(
            f"{short(c.source)}: consent" + (f" of {c.decided.text}" if c.decided else "") for c in p.claims.values()
        )
        lines.append(f"  {pair_name(p)} ({said}) — judge whether the twinning was concluded")
    uncited = [(p, source, why) for p, plan in d.plans if not plan.skipped for source, why in plan.uncited]
    lines.append(f"Sources not cited on a statement (they do not support a qualifier): {len(uncited)}")
    lines += [f"  {pair_name(p)}: {short(source)} {why}" for p, source, why in uncited]
    notes = [(p, note) for p, plan in d.plans if not plan.skipped for note in plan.notes]
    lines.append(f"Dates left out of a statement: {len(notes)}")
    lines += [f"  {pair_name(p)}: {note}" for p, note in notes]
    lines.append(
        f"References: {d.cited_by_url} cite the page's address (S854), "
        f"{d.cited_by_archive} pobratim's capture of it (S1065)"
    )
    cited = {s for _p, plan in d.plans if not plan.skipped for s in plan.sources}
    for iri in sorted(cited):
        info = d.sources[iri]
        missing = [what for what, value in (("no address", info.url), ("no capture date", info.captured)) if not value]
        if missing:
            lines.append(f"  {short(iri)}: {', '.join(missing)} recorded")
    host = urlsplit(base).hostname or ""
    if d.cited_by_archive and (host.endswith((".example", ".invalid", ".test")) or host in {"localhost", "127.0.0.1"}):
        lines.append(
            f"  Warning: the archive URLs start with {base}, which is not a public address: "
            "build with `pobratim build --base` the address the dataset is served at"
        )
    lines.append(f"Not compared (a place not linked yet): {len(d.unlinked)}")
    lines.append(f"QuickStatements lines written: {len(d.quickstatements)}")
    return "\n".join(lines)
