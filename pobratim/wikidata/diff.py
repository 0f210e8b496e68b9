"""Compare our twinnings with Wikidata's P190 on the linked items, and write QuickStatements for the gaps."""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from pobratim import published
from pobratim.core.layout import QUERIES
from pobratim.core.vocab import DCTERMS, POB, WD_ENTITY
from pobratim.records.links import LinksFile
from pobratim.wikidata.client import WikidataClient, batched

PRECISION = {
    "http://www.w3.org/2001/XMLSchema#gYear": 9,
    "http://www.w3.org/2001/XMLSchema#gYearMonth": 10,
    "http://www.w3.org/2001/XMLSchema#date": 11,
}


@dataclass(frozen=True)
class Start:
    """A start date at its precision (Wikidata: 9 year, 10 month, 11 day)."""

    text: str  # ISO: 1978, 1978-05 or 1978-05-25
    precision: int

    def at(self, precision: int) -> str:
        return self.text[: {9: 4, 10: 7, 11: 10}[min(precision, 11)]]

    def quickstatements(self) -> str:
        year, month, day = [*self.text.split("-"), "00", "00"][:3]
        return f"+{year}-{month}-{day}T00:00:00Z/{self.precision}"


@dataclass(frozen=True)
class SourceInfo:
    iri: str
    title: str
    language: str
    issued: Start | None
    captured: Start | None


@dataclass
class Pair:
    """One of our twinnings between two linked places, with what each source says of its start."""

    municipality: str  # place IRIs
    partner: str
    items: tuple[str, str]  # (municipality's item, partner's item)
    starts: dict[str, Start | None] = field(default_factory=dict)  # source IRI -> start


@dataclass
class Diff:
    both: list[Pair] = field(default_factory=list)
    one_direction: list[tuple[Pair, str]] = field(default_factory=list)  # (pair, the item lacking the statement)
    only_ours: list[Pair] = field(default_factory=list)
    only_wikidata: list[tuple[str, str, Start | None]] = field(default_factory=list)
    date_disagreements: list[tuple[Pair, str, Start, Start]] = field(default_factory=list)
    unlinked: list[tuple[str, str]] = field(default_factory=list)
    quickstatements: list[str] = field(default_factory=list)


def _start(value: str | None, datatype: str | None) -> Start | None:
    if value is None or datatype not in PRECISION:
        return None
    return Start(value, PRECISION[datatype])


def our_pairs(store: pyoxigraph.Store, links: LinksFile, base: str) -> tuple[list[Pair], list[tuple[str, str]]]:
    """Read our twinnings with queries/twinnings.rq; keep those whose two places are linked."""
    accepted = {base + "id/place/" + k: v for k, v in links.accepted().items()}
    result = store.query((QUERIES / "twinnings.rq").read_text(encoding="utf-8"), use_default_graph_as_union=True)
    assert isinstance(result, pyoxigraph.QuerySolutions)
    pairs: dict[tuple[str, str], Pair] = {}
    unlinked = set()
    for row in result:
        m, p = str(row["municipality"].value), str(row["partner"].value)
        if m not in accepted or p not in accepted:
            unlinked.add((m, p))
            continue
        pair = pairs.setdefault((m, p), Pair(m, p, (accepted[m], accepted[p])))
        start = row["start"]
        pair.starts[str(row["source"].value)] = _start(
            start.value if start else None, start.datatype.value if isinstance(start, pyoxigraph.Literal) else None
        )
    return list(pairs.values()), sorted(unlinked)


def source_info(store: pyoxigraph.Store, iri: str) -> SourceInfo:
    node = pyoxigraph.NamedNode(iri)

    def first(prop: str) -> pyoxigraph.Literal | None:
        for q in store.quads_for_pattern(node, pyoxigraph.NamedNode(prop), None, pyoxigraph.DefaultGraph()):
            if isinstance(q.object, pyoxigraph.Literal) and q.object.language in {None, "", "bg"}:
                return q.object
        return None

    title = first(str(DCTERMS.title))
    issued, captured = first(str(DCTERMS.issued)), first(str(POB.capturedOn))
    return SourceInfo(
        iri,
        title.value if title else iri,
        (title.language if title else None) or "bg",
        _start(issued.value, issued.datatype.value) if issued else None,
        _start(captured.value, captured.datatype.value) if captured else None,
    )


def wikidata_p190(client: WikidataClient, items: set[str]) -> dict[tuple[str, str], list[Start | None]]:
    """Fetch the P190 statements of ``items`` with their P580 and its precision."""
    found: dict[tuple[str, str], list[Start | None]] = defaultdict(list)
    for chunk in batched(sorted(items)):
        values = " ".join(f"<{WD_ENTITY}{i}>" for i in chunk)
        rows = client.select(
            f"SELECT ?item ?other ?start ?precision WHERE {{ VALUES ?item {{ {values} }} "
            "?item p:P190 ?st . ?st ps:P190 ?other . "
            "OPTIONAL { ?st pqv:P580 ?v . ?v wikibase:timeValue ?start ; wikibase:timePrecision ?precision } }"
        )
        for row in rows:
            key = (row["item"]["value"].removeprefix(WD_ENTITY), row["other"]["value"].removeprefix(WD_ENTITY))
            start = None
            if "start" in row:
                precision = min(int(row["precision"]["value"]), 11)
                text = row["start"]["value"].lstrip("+")[: {9: 4, 10: 7, 11: 10}.get(precision, 4)]
                start = Start(text, precision)
            found[key].append(start)
    return found


def _quote(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def statements(pair: Pair, subject: str, obj: str, sources: dict[str, SourceInfo]) -> list[str]:
    """QuickStatements v1 lines adding ``subject`` P190 ``obj``, one reference per source, no invented URL.

    P580 is given only when every source that dates the twinning gives the same start; when they disagree
    the statement goes without it and the report lists the disagreement for a person to settle.
    """
    dated = {s for s in pair.starts.values() if s is not None}
    qualifier = [f"P580\t{next(iter(dated)).quickstatements()}"] if len(dated) == 1 else []
    lines = []
    for iri in sorted(pair.starts):
        info = sources[iri]
        ref = [f"S1476\t{info.language}:{_quote(info.title)}"]
        if info.issued:
            ref.append(f"S577\t{info.issued.quickstatements()}")
        if info.captured:
            ref.append(f"S813\t{info.captured.quickstatements()}")
        lines.append("\t".join([subject, "P190", obj, *qualifier, *ref]))
    return lines


def diff(dist: Path, links: LinksFile, client: WikidataClient, base: str) -> Diff:
    """Compare the published build in ``dist`` with Wikidata."""
    store = pyoxigraph.Store.read_only(str(dist / published.STORE))
    pairs, unlinked = our_pairs(store, links, base)
    accepted = {base + "id/place/" + k: v for k, v in links.accepted().items()}
    publishers = {
        str(q.object)[1:-1]
        for q in store.quads_for_pattern(
            None, pyoxigraph.NamedNode(str(DCTERMS.publisher)), None, pyoxigraph.DefaultGraph()
        )
    }
    municipalities = {accepted[m] for m in publishers if m in accepted}
    items = {i for p in pairs for i in p.items} | municipalities
    wd = wikidata_p190(client, items)
    sources = {iri: source_info(store, iri) for p in pairs for iri in p.starts}
    out = Diff(unlinked=unlinked)
    ours = set()
    for pair in sorted(pairs, key=lambda p: (p.municipality, p.partner)):
        a, b = pair.items
        ours.add((a, b))
        ab, ba = (a, b) in wd, (b, a) in wd
        if not ab and not ba:
            out.only_ours.append(pair)
            out.quickstatements += statements(pair, a, b, sources) + statements(pair, b, a, sources)
            continue
        out.both.append(pair)
        if not (ab and ba):
            lacking, other = (a, b) if not ab else (b, a)
            out.one_direction.append((pair, lacking))
            out.quickstatements += statements(pair, lacking, other, sources)
        theirs = sorted({s for s in wd.get((a, b), []) + wd.get((b, a), []) if s is not None}, key=lambda s: s.text)
        for source, mine in sorted(pair.starts.items()):
            for their in theirs:
                if mine is not None:
                    precision = min(mine.precision, their.precision)
                    if mine.at(precision) != their.at(precision):
                        out.date_disagreements.append((pair, source, mine, their))
    for (a, b), starts in sorted(wd.items()):
        if a in municipalities and (a, b) not in ours and (b, a) not in ours:
            out.only_wikidata.append((a, b, next((s for s in starts if s), None)))
    return out


def report(d: Diff, links: LinksFile, base: str) -> str:
    """Render the comparison for people."""
    label = {}
    for key, link in links.links.items():
        if link.item:
            label[link.item] = f"{key} ({link.item}{', ' + link.label if link.label else ''})"

    def name(item: str) -> str:
        return label.get(item, item)

    def short(iri: str) -> str:
        return iri.removeprefix(base)

    lines = [f"Twinnings in both: {len(d.both)}"]
    lines += [f"  {name(p.items[0])} — {name(p.items[1])}" for p in d.both]
    lines.append(f"Only in pobratim (missing in Wikidata): {len(d.only_ours)}")
    lines += [f"  {name(p.items[0])} — {name(p.items[1])}" for p in d.only_ours]
    lines.append(f"In Wikidata in one direction only: {len(d.one_direction)}")
    lines += [
        f"  {name(lacking)} lacks P190 {name(p.items[1] if lacking == p.items[0] else p.items[0])}"
        for p, lacking in d.one_direction
    ]
    lines.append(f"Only in Wikidata: {len(d.only_wikidata)}")
    lines += [f"  {name(a)} — {name(b)}" + (f" (since {s.text})" if s else "") for a, b, s in d.only_wikidata]
    lines.append(f"Start dates that disagree: {len(d.date_disagreements)}")
    lines += [
        f"  {name(p.items[0])} — {name(p.items[1])}: {short(source)} says {mine.text}, Wikidata P580 {their.text}"
        for p, source, mine, their in d.date_disagreements
    ]
    lines.append(f"Not compared (a place not linked yet): {len(d.unlinked)}")
    lines.append(f"QuickStatements lines written: {len(d.quickstatements)}")
    return "\n".join(lines)
