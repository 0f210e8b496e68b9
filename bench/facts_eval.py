"""Score the fact reader (documents, mayors, events, memberships) against reviewed gold.

Run: ``make eval`` (or ``.venv/bin/python -m bench.facts_eval [--verbose]``). Gold: the development pages'
``gold_facts.csv`` (its README gives the rules) and the seed pages' reviewed records in ``data/records/``.
The reader is rules only: nothing is fitted to these pages, so there is nothing to refit with a language
held out; the figures per language show how each language's pages fare, and the languages whose words the
rules were first written from are no better placed than the others (the rules come from the languages'
general vocabulary, not from the pages). A twinning the twinning reader proposes is what facts are tied to.

Matching: a proposed document matches a gold document of the same page whose partner it names (the gold's
English name or a spelling the page uses, inflected too), the date and then the kind breaking ties; a mayor
matches by surname; an event or a membership by its quote overlapping the gold quote on the page. Date
accuracy is over the matched facts (both empty counts as right), kind accuracy over the matched documents.
"""

import argparse
import csv
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.extract_eval import DEV, REPO, require_dev
from pobratim.core.gazetteer import fold
from pobratim.core.layout import Layout
from pobratim.core.quotes import normalise
from pobratim.extract.facts import (
    DocumentProposal,
    FactProposal,
    MayorProposal,
    read_facts,
)
from pobratim.extract.facts.text import same_name
from pobratim.extract.reader import extract, page_language
from pobratim.records.corpus import load_corpus

KINDS = ("document", "mayor", "event", "membership")
# The records' document types in the contract's words.
SEED_TYPES = {
    "protocol": "protocol",
    "council-decision": "council_decision",
    "decision": "council_decision",
    "cooperation-agreement": "agreement",
    "twinning-agreement": "agreement",
}


@dataclass
class GoldFact:
    kind: str
    names: set[str]  # the partner's names (documents, events), or the person's (mayors)
    value: str | None  # document kind, person, or None
    date: str | None
    quote: str


@dataclass
class Page:
    name: str
    text: str
    municipality: str
    language: str | None
    gold: list[GoldFact] = field(default_factory=list)


def dev_pages() -> list[Page]:
    """The development pages with gold_facts.csv (a page with no rows is scored too: all it proposes is wrong)."""
    aliases: dict[str, set[str]] = defaultdict(set)
    municipality: dict[str, str] = {}
    with (DEV / "gold_twinnings.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            municipality[row["file"]] = row["municipality"]
            aliases[row["partner_en"]] |= {row["partner_en"], *(a for a in row["aliases"].split("|") if a)}
    pages = {
        file: Page(f"dev:{file}", (DEV / file).read_text(encoding="utf-8"), name, None)
        for file, name in municipality.items()
    }
    for page in pages.values():
        page.language = page_language(page.text)
    with (DEV / "gold_facts.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            subject = row["subject"]
            if row["kind"] == "mayor":
                names, value = {row["value"]}, row["value"]
            else:
                bare = subject.split(" (")[0]
                names = aliases.get(subject, set()) | {subject, bare} if subject else set()
                value = row["value"] if row["kind"] == "document" else None
            pages[row["file"]].gold.append(GoldFact(row["kind"], names, value, row["date"] or None, row["quote"]))
    return sorted(pages.values(), key=lambda p: p.name)


def seed_pages() -> list[Page]:
    """The seed pages with the documents, mayors, events and memberships their reviewed records hold."""
    corpus = load_corpus(Layout.at(REPO))
    places = corpus.places.places
    people = corpus.people.people
    pages = []
    for rs in corpus.record_sets:
        source = corpus.sources[rs.records.source]
        records = rs.records
        page = Page(f"seed:{source.meta.file}", source.text, places[source.meta.publisher].en, source.meta.language)
        partner_names = []
        for t in records.twinnings:
            place = places[t.partner]
            names_of = {place.en, place.bg, t.partner_label, *place.local.values()}
            partner_names.append((t, {n for n in names_of if n}))
        for d in records.documents:
            names: set[str] = set()
            for t, tn in partner_names:
                quote = fold(" ".join(d.quote))
                if t.document == d.id or any(fold(n) in quote for n in tn):
                    names |= tn
                    break
            page.gold.append(GoldFact("document", names, SEED_TYPES[d.type], d.date, d.quote[0]))
        for m in records.mayors:
            person = people[m.person]
            names = {name for name, _lang in person.labels}
            page.gold.append(GoldFact("mayor", names, person.name, m.date, m.quote[0]))
        for e in records.events:
            page.gold.append(GoldFact("event", set(), None, e.date, e.quote[0]))
        for ms in records.memberships:
            page.gold.append(GoldFact("membership", set(), None, None, ms.quote[0]))
        pages.append(page)
    return pages


def _span(text: str, quote: str) -> tuple[int, int] | None:
    start = text.find(normalise(quote))
    return None if start < 0 else (start, start + len(normalise(quote)))


def _overlap(text: str, a: str, b: str) -> bool:
    sa, sb = _span(text, a), _span(text, b)
    return sa is not None and sb is not None and sa[0] < sb[1] and sb[0] < sa[1]


def _names_match(written: set[str], gold: set[str]) -> bool:
    return any(fold(w) == fold(g) or same_name(w, g) or same_name(g, w) for w in written for g in gold if w and g)


def _surname(name: str) -> str:
    return name.replace("’", "'").split("'")[0].split()[-1] if name.split() else name


def _fact_date(f: FactProposal) -> str | None:
    return getattr(f, "date", None)


def candidates(f: FactProposal, gold: list[GoldFact], text: str) -> list[GoldFact]:
    """The gold facts a proposal could be, best first."""
    same = [g for g in gold if g.kind == f.kind]
    if isinstance(f, DocumentProposal):
        named = {n for n in (f.partner, f.partner_label) if n}
        hits = [
            g
            for g in same
            if (g.names and _names_match(named, g.names)) or (not g.names and _overlap(text, f.quote, g.quote))
        ]
        return sorted(
            hits,
            key=lambda g: (g.date != f.date, g.value != f.document_kind, not _overlap(text, f.quote, g.quote)),
        )
    if isinstance(f, MayorProposal):
        hits = [g for g in same if _names_match({_surname(f.person)}, {_surname(n) for n in g.names})]
        return sorted(hits, key=lambda g: g.date != f.date)
    hits = [g for g in same if _overlap(text, f.quote, g.quote)]
    return sorted(hits, key=lambda g: g.date != _fact_date(f))


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    date_right: int = 0
    kind_right: int = 0
    kinds_scored: int = 0

    def add(self, other: "Tally") -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def row(self, title: str) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        date = f"{self.date_right}/{self.tp}" if self.tp else "-"
        kind = f"{self.kind_right}/{self.kinds_scored}" if self.kinds_scored else "-"
        return f"  {title:<48}{p:>6.2f}{r:>6.2f}{f:>6.2f}{self.tp:>5}{self.fp:>5}{self.fn:>5}{date:>9}{kind:>9}"


def score_page(page: Page, facts: list[FactProposal], verbose: bool) -> dict[str, Tally]:
    """Match a page's proposals to its gold; return a tally per kind."""
    text = normalise(page.text)
    tallies = {k: Tally() for k in KINDS}
    unmatched = list(page.gold)
    lines = []
    for f in facts:
        t = tallies[f.kind]
        hit = next((g for g in candidates(f, unmatched, text)), None)
        if hit is None:
            t.fp += 1
            lines.append(f"      wrong {f.kind}: {_show(f)}")
            continue
        unmatched.remove(hit)
        t.tp += 1
        t.date_right += _fact_date(f) == hit.date
        if _fact_date(f) != hit.date:
            lines.append(f"      date {f.kind}: {_show(f)} — gold {hit.date}")
        if isinstance(f, DocumentProposal):
            t.kinds_scored += 1
            t.kind_right += f.document_kind == hit.value
            if f.document_kind != hit.value:
                lines.append(f"      kind: {_show(f)} — gold {hit.value}")
    for g in unmatched:
        tallies[g.kind].fn += 1
        lines.append(f"      missed {g.kind}: {sorted(g.names)[:1]} {g.value} {g.date} «{g.quote[:90]}»")
    if verbose:
        print(f"    {page.name}")
        print("\n".join(lines))
    return tallies


def _show(f: FactProposal) -> str:
    fields = {k: v for k, v in f.fields().items() if v not in (None, "", False)}
    return f"{fields} «{f.quote[:90]}»"


HEADER = f"  {'':<48}{'P':>6}{'R':>6}{'F1':>6}{'TP':>5}{'FP':>5}{'FN':>5}{'date':>9}{'kind':>9}"


def run(title: str, pages: list[Page], verbose: bool, group: Callable[[Page], str] | None = None) -> Tally:
    """Read every page, print per kind (and per group of pages) and overall; return the overall tally."""
    print(title)
    per_kind = {k: Tally() for k in KINDS}
    per_group: dict[str, Tally] = defaultdict(Tally)
    for page in pages:
        twinnings = extract(page.text, page.municipality, language=page.language)
        facts = read_facts(page.text, page.municipality, page.language, twinnings)
        tallies = score_page(page, facts, verbose)
        for k, t in tallies.items():
            per_kind[k].add(t)
            if group is not None:
                per_group[group(page)].add(t)
    print(HEADER)
    overall = Tally()
    for k in KINDS:
        print(per_kind[k].row(k))
        overall.add(per_kind[k])
    print(overall.row("overall"))
    if group is not None:
        print("  by language (rules only: nothing to hold out, every page is unseen by fitting)")
        for name in sorted(per_group):
            print(per_group[name].row(name))
    print()
    return overall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list the misses, the wrong proposals and dates")
    args = parser.parse_args()
    require_dev()
    run("seed pages (data/sources vs the reviewed records)", seed_pages(), args.verbose)
    run("dev pages (gold_facts.csv)", dev_pages(), args.verbose, lambda p: p.language or "?")


if __name__ == "__main__":
    main()
