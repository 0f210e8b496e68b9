"""Write a deterministic, world-scale input in the records format, for benchmarks and scale tests.

Towns are real (the offline gazetteer's cities with their real names and countries); the pages, dates,
mayors and events are synthetic, and every fact quotes a sentence of its synthetic page, so the real build
runs on it unchanged. The same ``--towns`` and ``--seed`` always give the same files.
"""

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

import pycountry
import yaml

from pobratim.core import gazetteer
from pobratim.core.ids import place_key, slug

FIRST = [
    "Anna",
    "Boris",
    "Chiara",
    "Dimitar",
    "Elena",
    "Frank",
    "Galina",
    "Hiroshi",
    "Ivan",
    "Jana",
    "Karim",
    "Lucia",
    "Marek",
    "Nadia",
    "Oleg",
    "Petra",
    "Rui",
    "Sofia",
    "Tomas",
    "Vera",
]
LAST = [
    "Petrov",
    "Rossi",
    "Novak",
    "Kovacs",
    "Ivanova",
    "Schmidt",
    "Dubois",
    "Yilmaz",
    "Tanaka",
    "Silva",
    "Popescu",
    "Nowak",
    "Georgiou",
    "Horvat",
    "Jansen",
    "Moreau",
    "Costa",
    "Berg",
    "Lindqvist",
    "Marin",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
EVENT_TYPES = ["delegation", "visit", "festival", "sports-match", "exhibition", "course"]


@dataclass(frozen=True)
class Town:
    key: str
    en: str
    bg: str
    country: str
    country_name: str


def towns(count: int, seed: int) -> list[Town]:
    """Pick ``count`` real towns from the gazetteer, deterministically."""
    cities = sorted(gazetteer._cities().values(), key=lambda c: int(str(c["geonameid"])))
    rng = random.Random(seed)
    picked = rng.sample(cities, min(count, len(cities)))
    out, used = [], set()
    for c in picked:
        country = pycountry.countries.get(alpha_2=str(c["countrycode"]))
        if country is None:
            continue
        name = str(c["name"])
        key = place_key(str(c["countrycode"]), name)
        if key in used:
            key = f"{key}-{c['geonameid']}"
        used.add(key)
        cyrillic = [a for a in c.get("alternatenames") or [] if any("\u0400" <= ch <= "\u04ff" for ch in a)]  # type: ignore[attr-defined]
        out.append(Town(key, name, str(cyrillic[0]) if cyrillic else name, str(c["countrycode"]), country.name))
    return out


def _day(rng: random.Random) -> tuple[str, str]:
    year, month, day = rng.randint(1955, 2024), rng.randint(1, 12), rng.randint(1, 28)
    return f"{year}-{month:02d}-{day:02d}", f"{day} {MONTHS[month - 1]} {year}"


def synth(count: int, seed: int, out: Path) -> dict[str, int]:
    """Write sources/, records/ and links/ for ``count`` towns into ``out``; return what was written."""
    rng = random.Random(seed)
    all_towns = towns(count, seed)
    publishers = all_towns[: max(1, len(all_towns) // 4)]
    (out / "sources").mkdir(parents=True, exist_ok=True)
    (out / "records").mkdir(parents=True, exist_ok=True)
    (out / "links").mkdir(parents=True, exist_ok=True)
    people: dict[str, dict[str, str]] = {}
    stats = {"pages": 0, "twinnings": 0, "mayors": 0, "events": 0}
    for n, town in enumerate(publishers):
        partners = rng.sample([t for t in all_towns if t.key != town.key], min(rng.randint(3, 8), len(all_towns) - 1))
        source_id = f"synth-{n:06d}-{slug(town.en)}"[:80].rstrip("-")
        lines = [f"{town.en} municipality", "Twin towns", ""]
        twinnings, mayors, events = [], [], []
        mayor_name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        mayor_key = slug(f"{mayor_name}-{source_id}")
        people[mayor_key] = {"bg": mayor_name, "latn": mayor_name}
        for i, partner in enumerate(partners):
            iso, written = _day(rng)
            heading = f"{partner.en}, {partner.country_name}"
            signed = f"The twinning agreement between {town.en} and {partner.en} was signed on {written}."
            lines += [heading, signed]
            twinnings.append(
                {
                    "id": f"{source_id}-t{i}",
                    "municipality": town.key,
                    "partner": partner.key,
                    "partner_label": partner.en,
                    "country_label": partner.country_name,
                    "kind": "twinning",
                    "start": iso,
                    "start_kind": "agreement",
                    "quote": [heading, signed],
                }
            )
            if rng.random() < 0.5:
                e_iso, e_written = _day(rng)
                kind = rng.choice(EVENT_TYPES)
                # The host is named in the event's name too: the gate reads an event's quote for plan words with
                # the names its record gives taken out, and a host such as Plant City or Bo‘ka (Slovenian "bo",
                # will) would otherwise read as a plan.
                name = f"{kind.replace('-', ' ')} from {partner.en} to {town.en}"
                sentence = f"On {e_written} the {name} took place."
                lines.append(sentence)
                events.append(
                    {
                        "id": f"{source_id}-e{i}",
                        "type": kind,
                        "name": {"en": name},  # as the page writes it: the gate checks it is in the quote
                        "date": e_iso,
                        "location": town.key,
                        "twinning": [town.key, partner.key],
                        "quote": sentence,
                    }
                )
            lines.append("")
        a_iso, a_written = _day(rng)
        attest = f"Mayor {mayor_name} welcomed the guests on {a_written}."
        lines.append(attest)
        mayors.append(
            {"id": f"{source_id}-m", "person": mayor_key, "municipality": town.key, "date": a_iso, "quote": attest}
        )
        text = "\n".join(lines) + "\n"
        file = f"{source_id}.txt"
        (out / "sources" / file).write_text(text, encoding="utf-8")
        meta = {
            "id": source_id,
            "file": file,
            "publisher": town.key,
            "publisher_name": {"en": f"{town.en} municipality"},
            "title": {"en": "Twin towns"},
            "language": "en",
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
        }
        (out / "sources" / f"{source_id}.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
        record = {"source": source_id, "twinnings": twinnings, "mayors": mayors, "events": events}
        (out / "records" / f"{source_id}.yaml").write_text(
            yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        stats["pages"] += 1
        stats["twinnings"] += len(twinnings)
        stats["mayors"] += len(mayors)
        stats["events"] += len(events)
    places = {"places": {t.key: {"en": t.en, "bg": t.bg, "kind": "city"} for t in all_towns}}
    (out / "records" / "places.yaml").write_text(yaml.safe_dump(places, allow_unicode=True), encoding="utf-8")
    (out / "records" / "people.yaml").write_text(
        yaml.safe_dump({"people": people, "organizations": {}}, allow_unicode=True), encoding="utf-8"
    )
    aliases = {"aliases": {t.country_name: t.country for t in all_towns}}
    (out / "records" / "country-aliases.yaml").write_text(yaml.safe_dump(aliases, allow_unicode=True), encoding="utf-8")
    return stats


def main() -> None:
    """``python -m bench.synth --towns N --out DIR``: write a synthetic input folder."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--towns", type=int, required=True, help="how many towns")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default %(default)s)")
    parser.add_argument("--out", type=Path, required=True, help="the data folder to write (sources/, records/, links/)")
    args = parser.parse_args()
    stats = synth(args.towns, args.seed, args.out)
    print(
        f"wrote {stats['pages']} pages with {stats['twinnings']} twinnings, {stats['events']} events and "
        f"{stats['mayors']} mayor attestations to {args.out}; build it with `pobratim build --data {args.out}`"
    )


if __name__ == "__main__":
    main()
