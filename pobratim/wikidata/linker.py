"""Propose a Wikidata item for every place, with the evidence, and accept only unambiguous matches.

A match is accepted without a person only when the item shares the place's GeoNames id (the one the offline
gazetteer gives for its name), carries one of its labels, lies in its country, is of the place's sort (a
human settlement for a town, not one for a district), and no other item shares that GeoNames id.
Everything else — provinces, places the gazetteer lacks or knows twice, several candidates — is proposed
for review, never accepted automatically; when two candidates weigh the same, none is named.
"""

import math
import re
from dataclasses import dataclass, field

from pobratim.core import gazetteer
from pobratim.core.vocab import WD_ENTITY
from pobratim.records.links import AUTO, Evidence, ItemCandidate, Link, LinksFile
from pobratim.records.models import PARTY_KINDS, Place
from pobratim.wikidata.client import Binding, WikidataClient, batched, literal

SETTLEMENT = "Q486972"  # human settlement
DISAMBIGUATION = "Q4167410"
MUL = "mul"  # Wikidata's label for all languages: many places carry their name only there
# The kinds a human-settlement item stands for (the ontology maps them to Q15284, Q515, Q3957, Q532); a
# municipality is linked to its seat's settlement, where Wikidata keeps its P190. Districts, provinces,
# regions and islands are administrative or natural units, not settlements.
SETTLEMENT_KINDS = frozenset({"municipality", "city", "town", "village"})
WEIGHTS = {"geonames": 0.45, "label": 0.2, "country": 0.2, "kind": 0.1, "near": 0.05}
NEAR_KM = 25.0
_POINT = re.compile(r"Point\(\s*([-0-9.eE]+)\s+([-0-9.eE]+)\s*\)")


def qid(iri: str) -> str:
    return iri.removeprefix(WD_ENTITY)


@dataclass
class ItemFacts:
    """What Wikidata says about a candidate item."""

    labels: dict[str, set[str]] = field(default_factory=dict)  # casefolded label -> languages
    label_en: str | None = None
    countries: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    geonames: set[str] = field(default_factory=set)
    points: list[tuple[float, float]] = field(default_factory=list)
    settlement: bool = False


@dataclass(frozen=True)
class PlaceKeys:
    """What we know of a place to match it: labels, country, gazetteer id and position."""

    key: str
    place: Place
    geonames: str | None  # the gazetteer's id when it knows exactly one town of this name
    known: tuple[str, ...] = ()  # every gazetteer id of a town of this name in the country
    points: tuple[tuple[float, float], ...] = ()  # their positions

    @property
    def country(self) -> str:
        return self.key[:2].upper()

    def labels(self) -> list[tuple[str, str]]:
        return self.place.labels

    def wants_settlement(self) -> bool:
        return self.place.kind in SETTLEMENT_KINDS


def spellings(text: str, lang: str) -> set[tuple[str, str]]:
    """The literals a label of ours may have in Wikidata: its language or "mul", either case of its first letter.

    Wikidata writes "province of Cremona" where we write "Province of Cremona"; labels are matched as
    literals (WDQS has no case-insensitive label index), so both are asked.
    """
    texts = {text, text[:1].swapcase() + text[1:]}
    return {(t, tag.lower()) for t in texts for tag in (lang, MUL)}


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def place_keys(places: dict[str, Place]) -> list[PlaceKeys]:
    """Look each place up in the offline gazetteer: its GeoNames id and position when unambiguous."""
    out = []
    for key, place in sorted(places.items()):
        ids = gazetteer.city_ids(place.names, key[:2].upper())
        if place.kind not in PARTY_KINDS:
            ids = []
        gid = str(ids[0]) if len(ids) == 1 else None
        points = tuple(p for p in (gazetteer.city_point(i) for i in ids) if p is not None)
        out.append(PlaceKeys(key, place, gid, tuple(map(str, ids)), points))
    return out


def _values(terms: list[str]) -> str:
    return " ".join(terms)


def country_items(client: WikidataClient, codes: set[str]) -> dict[str, str]:
    """Map ISO 3166-1 alpha-2 codes to country items (P297)."""
    found: dict[str, str] = {}
    for chunk in batched(sorted(codes)):
        q = (
            f"SELECT ?country ?code WHERE {{ VALUES ?code {{ {_values([literal(c) for c in chunk])} }} "
            f"?country wdt:P297 ?code . }}"
        )
        for row in client.select(q):
            found[row["code"]["value"]] = qid(row["country"]["value"])
    return found


def candidates(client: WikidataClient, keys: list[PlaceKeys]) -> dict[str, set[str]]:
    """Find candidate items for each place: by shared GeoNames id, or by a label or alias of ours."""
    found: dict[str, set[str]] = {k.key: set() for k in keys}
    by_gn: dict[str, set[str]] = {}
    for k in keys:
        for gid in k.known:
            by_gn.setdefault(gid, set()).add(k.key)
    for chunk in batched(sorted(by_gn)):
        q = (
            f"SELECT ?item ?gn WHERE {{ VALUES ?gn {{ {_values([literal(g) for g in chunk])} }} "
            f"?item wdt:P1566 ?gn . }}"
        )
        for row in client.select(q):
            for key in by_gn[row["gn"]["value"]]:
                found[key].add(qid(row["item"]["value"]))
    by_label: dict[tuple[str, str], set[str]] = {}
    for k in keys:
        for text, lang in k.labels():
            for spelling in spellings(text, lang):
                by_label.setdefault(spelling, set()).add(k.key)
    for chunk in batched([literal(t, lang) for t, lang in sorted(by_label)]):
        q = (
            f"SELECT ?item ?label WHERE {{ VALUES ?label {{ {_values(chunk)} }} "
            f"{{ ?item rdfs:label ?label }} UNION "
            f"{{ ?item skos:altLabel ?label }} }}"
        )
        for row in client.select(q):
            label = row["label"]
            for key in by_label.get((label["value"], label.get("xml:lang", "").lower()), set()):
                found[key].add(qid(row["item"]["value"]))
    return found


def item_facts(client: WikidataClient, items: set[str], languages: set[str]) -> dict[str, ItemFacts]:
    """Fetch country, classes, GeoNames ids, coordinates and labels of the candidate items."""
    facts = {i: ItemFacts() for i in items}
    langs = ", ".join(literal(lang.lower()) for lang in sorted(languages | {MUL}))
    for chunk in batched(sorted(items)):
        values = _values([f"<{WD_ENTITY}{i}>" for i in chunk])
        rows: list[Binding] = client.select(
            f"SELECT ?item ?p ?v WHERE {{ VALUES ?item {{ {values} }} VALUES ?p {{ "
            "wdt:P17 wdt:P31 wdt:P1566 wdt:P625 } ?item ?p ?v . }"
        )
        rows += client.select(
            f"SELECT ?item ?label ?alias WHERE {{ VALUES ?item {{ {values} }} "
            f"{{ ?item rdfs:label ?label }} UNION "
            f"{{ ?item skos:altLabel ?alias }} "
            f"FILTER (LCASE(LANG(COALESCE(?label, ?alias))) IN ({langs})) }}"
        )
        settled = client.select(
            f"SELECT DISTINCT ?item WHERE {{ VALUES ?item {{ {values} }} ?item wdt:P31/wdt:P279* wd:{SETTLEMENT} }}"
        )
        for row in settled:
            facts[qid(row["item"]["value"])].settlement = True
        for row in rows:
            f = facts[qid(row["item"]["value"])]
            text = row.get("label") or row.get("alias")
            if text is not None:
                f.labels.setdefault(text["value"].casefold(), set()).add(text.get("xml:lang", ""))
                if "label" in row and text.get("xml:lang") == "en":
                    f.label_en = text["value"]
                continue
            prop, value = row["p"]["value"].rsplit("/", 1)[-1], row["v"]["value"]
            if prop == "P17":
                f.countries.add(qid(value))
            elif prop == "P31":
                f.classes.add(qid(value))
            elif prop == "P1566":
                f.geonames.add(value)
            elif prop == "P625" and (m := _POINT.search(value)):
                f.points.append((float(m.group(1)), float(m.group(2))))
    return facts


def score(k: PlaceKeys, item: str, f: ItemFacts, country_item: str | None) -> ItemCandidate:
    """Weigh the evidence that ``item`` is the place ``k``."""
    ours = {text.casefold() for text, _lang in k.labels()}
    matched = sorted(
        f"{t}@{'/'.join(sorted(f.labels[t.casefold()]))}"
        for t in {x for x, _ in k.labels()}
        if t.casefold() in f.labels
    )
    distance = min((_km(mine, p) for mine in k.points for p in f.points), default=None)
    shared = sorted(set(k.known) & f.geonames)
    ev = Evidence(
        geonames=shared[0] if shared else None,
        labels=matched,
        country=country_item is not None and country_item in f.countries,
        settlement=f.settlement,
        classes=sorted(f.classes),
        distance_km=round(distance, 1) if distance is not None else None,
    )
    confidence = (
        WEIGHTS["geonames"] * bool(ev.geonames)
        + WEIGHTS["label"] * bool(ours & set(f.labels))
        + WEIGHTS["country"] * ev.country
        + WEIGHTS["kind"] * (ev.settlement == k.wants_settlement())
        + WEIGHTS["near"] * (distance is not None and distance <= NEAR_KM)
    )
    return ItemCandidate(item=item, label=f.label_en, confidence=round(min(confidence, 1.0), 2), evidence=ev)


def decide(k: PlaceKeys, found: list[ItemCandidate]) -> Link:
    """Accept a sure match; otherwise propose the best candidates for a person to review."""
    plausible = sorted(
        (c for c in found if c.evidence.geonames or c.evidence.country), key=lambda c: (-c.confidence, c.item)
    )
    if not plausible:
        return Link(
            status="unmatched",
            decided_by=f"{AUTO}: no candidate",
            note="no item shares a label and the country, or the GeoNames id",
        )
    best = plausible[0]
    sharing = [c for c in plausible if c.evidence.geonames]
    close = [c for c in plausible if c.confidence >= 0.4]
    fits = best.evidence.settlement == k.wants_settlement()
    sure = (
        k.geonames is not None
        and best.evidence.geonames == k.geonames
        and best.evidence.labels
        and best.evidence.country
        and fits
        and len(sharing) == 1
        and k.place.kind in PARTY_KINDS
    )
    if sure:
        return Link(
            status="accepted",
            item=best.item,
            label=best.label,
            confidence=best.confidence,
            decided_by=f"{AUTO} (auto): GeoNames id, label, country and kind agree",
            evidence=best.evidence,
        )
    reasons = []
    if not k.geonames:
        reasons.append(
            f"the offline gazetteer knows {len(k.known)} towns of this name here"
            if k.known
            else "the offline gazetteer has no GeoNames id for this place"
        )
    if len(close) > 1:
        reasons.append(f"{len(close)} items are plausible")
    tied = len(plausible) > 1 and plausible[1].confidence == best.confidence
    if tied:
        # Two items weigh the same: naming either would be a guess (the older item is not the likelier).
        reasons.append("the best candidates weigh the same: none is named")
    elif not fits:
        reasons.append(
            "the best item is not a human settlement (a district, a province?)"
            if k.wants_settlement()
            else f"the best item is a human settlement, not a {k.place.kind}"
        )
    return Link(
        status="proposed",
        item=None if tied else best.item,
        label=None if tied else best.label,
        confidence=0.0 if tied else best.confidence,
        decided_by=f"{AUTO}: needs review",
        ambiguous=len(close) > 1,
        note="; ".join(reasons) or None,
        evidence=None if tied else best.evidence,
        candidates=plausible[:5],
    )


def propose(places: dict[str, Place], client: WikidataClient, existing: LinksFile | None = None) -> LinksFile:
    """Propose links for every place; keep the decisions people made in ``existing``."""
    keys = place_keys(places)
    countries = country_items(client, {k.country for k in keys})
    found = candidates(client, keys)
    languages = {lang for k in keys for _t, lang in k.labels()}
    facts = item_facts(client, set().union(*found.values()), languages)
    links: dict[str, Link] = {}
    for k in keys:
        kept = existing.links.get(k.key) if existing else None
        if kept is not None and kept.by_person:
            links[k.key] = kept
            continue
        scored = [
            score(k, item, facts[item], countries.get(k.country))
            for item in sorted(found[k.key])
            if DISAMBIGUATION not in facts[item].classes
        ]
        links[k.key] = decide(k, scored)
    return LinksFile(endpoint=client.endpoint, links=links)
