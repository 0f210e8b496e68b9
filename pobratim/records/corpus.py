"""Load the build inputs (sources, reviewed records) and check them against each other."""

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pobratim.core.countries import country_code, is_alpha2, load_aliases
from pobratim.core.errors import BuildError, Problem
from pobratim.core.layout import Layout
from pobratim.core.parallel import fork_map
from pobratim.core.quotes import anchor
from pobratim.records.checks import date_in_quotes, name_in_quotes, other_places, place_names
from pobratim.records.links import LinksFile, load_links
from pobratim.records.models import (
    Document,
    Event,
    Fact,
    MayorAttestation,
    Membership,
    OrganizationFact,
    PeopleFile,
    PlaceFact,
    PlacesFile,
    RecordFile,
    SourceMeta,
    Twinning,
    load_yaml,
    locate,
)

REGISTRY_FILES = ("places.yaml", "people.yaml", "country-aliases.yaml")
SECTIONS: dict[type[Fact], str] = {
    Twinning: "twinnings",
    Document: "documents",
    MayorAttestation: "mayors",
    Event: "events",
    Membership: "memberships",
    PlaceFact: "place_facts",
    OrganizationFact: "organization_facts",
}
_FIELD_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
WIKIDATA_LINKS = "wikidata.yaml"


@dataclass(frozen=True)
class Source:
    """A captured page: its metadata, its text and where both are."""

    meta: SourceMeta
    text: str
    path: Path


@dataclass(frozen=True)
class RecordSet:
    """One record file, as validated."""

    path: Path
    records: RecordFile


@dataclass(frozen=True)
class Corpus:
    """Everything a build reads."""

    sources: dict[str, Source]
    places: PlacesFile
    people: PeopleFile
    record_sets: list[RecordSet]
    aliases: dict[str, str]
    links: LinksFile | None = None


def load_sources(folder: Path) -> dict[str, Source]:
    """Read every ``*.yaml`` metadata file in ``folder`` and the text it names; check the checksum."""
    sources: dict[str, Source] = {}
    problems: list[Problem] = []
    for meta_path in sorted(folder.glob("*.yaml")):
        try:
            meta = load_yaml(meta_path, SourceMeta)
        except BuildError as err:
            problems.extend(err.problems)
            continue
        text_path = folder / meta.file
        try:
            raw = text_path.read_bytes()
        except OSError as err:
            problems.append(Problem(meta_path, f"cannot read the page text: {err}", field="file"))
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest != meta.sha256:
            problems.append(
                Problem(
                    text_path,
                    f"checksum changed: the text hashes to {digest}, its metadata {meta_path.name} "
                    f"pins {meta.sha256}; a source's text is never edited",
                    field="sha256",
                )
            )
            continue
        if meta.id in sources:
            problems.append(Problem(meta_path, f"source id {meta.id!r} is used twice", field="id"))
            continue
        sources[meta.id] = Source(meta, raw.decode("utf-8"), text_path)
    if problems:
        raise BuildError(problems)
    return sources


def _load_record_file(path: Path) -> RecordSet | list[Problem]:
    try:
        return RecordSet(path, load_yaml(path, RecordFile))
    except BuildError as err:
        return err.problems


def load_corpus(layout: Layout, workers: int = 1) -> Corpus:
    """Load and cross-check all inputs; raise one BuildError listing every problem found.

    With ``workers`` > 1 and many record files, the files are parsed in that many forked processes.
    """
    problems: list[Problem] = []
    sources: dict[str, Source] = {}
    try:
        sources = load_sources(layout.sources)
    except BuildError as err:
        problems.extend(err.problems)
    places = people = None
    try:
        places = load_yaml(layout.records / "places.yaml", PlacesFile)
    except BuildError as err:
        problems.extend(err.problems)
    try:
        people = load_yaml(layout.records / "people.yaml", PeopleFile)
    except BuildError as err:
        problems.extend(err.problems)
    record_sets = []
    paths = [path for path in sorted(layout.records.glob("*.yaml")) if path.name not in REGISTRY_FILES]
    for loaded in fork_map(_load_record_file, paths, workers):
        if isinstance(loaded, RecordSet):
            record_sets.append(loaded)
        else:
            problems.extend(loaded)
    aliases = load_aliases(layout.records / "country-aliases.yaml")
    links = None
    try:
        links = load_links(layout.links / WIKIDATA_LINKS)
    except BuildError as err:
        problems.extend(err.problems)
    if problems or places is None or people is None:
        raise BuildError(problems)
    corpus = Corpus(sources, places, people, record_sets, aliases, links)
    problems = check(corpus, workers)
    if problems:
        raise BuildError(problems)
    return corpus


def _loc(fact: Fact, records: RecordFile, field: str) -> list[int | str]:
    """Return the YAML location of ``field`` (``participants[1].person``) of ``fact`` in its file."""
    section = SECTIONS[type(fact)]
    index = next(i for i, f in enumerate(getattr(records, section)) if f is fact)
    steps: list[int | str] = [section, index]
    for name, number in _FIELD_STEP.findall(field):
        steps.append(int(number) if number else name)
    return steps


def _what(key: str, corpus: Corpus, kinds: dict[str, str]) -> str:
    """Say what ``key`` names, for a message about a reference that names the wrong kind of thing."""
    found = []
    if key in corpus.people.people:
        found.append("a person (people.yaml)")
    if key in corpus.people.organizations:
        found.append("an organisation (people.yaml)")
    if key in corpus.places.places:
        found.append(f"a place, a {corpus.places.places[key].kind} (places.yaml)")
    if key in kinds:
        found.append(f"a record ({kinds[key]})")
    return " and ".join(found) or "nothing known"


def _problem(rs: RecordSet, fact: Fact, field: str, message: str) -> Problem:
    line = locate(rs.path, _loc(fact, rs.records, field))
    return Problem(rs.path, message, line=line, record=f"{type(fact).__name__} {fact.id}", field=field)


def page_problems(rs: RecordSet, source: Source) -> list[Problem]:
    """Check one record file against its page: quotes in the page, dates and names in their quotes."""
    problems: list[Problem] = []
    lang = source.meta.language

    def need_date(fact: Fact, field: str, value: str | None, also: tuple[str | None, ...] = ()) -> None:
        if value is not None and value not in also and not date_in_quotes(value, fact.quote):
            message = f"the date {value} is not in the record's quote (as a year, month or day)"
            problems.append(_problem(rs, fact, field, message))

    def need_named(fact: Fact, field: str, labels: dict[str, str] | None) -> None:
        # Only the name in the page's own language can be in its quote; others are translations.
        if labels and lang in labels and not name_in_quotes(labels[lang], fact.quote):
            problems.append(_problem(rs, fact, f"{field}.{lang}", f"{labels[lang]!r} is not in the record's quote"))

    for fact in rs.records.facts():
        for i, quote in enumerate(fact.quote):
            if anchor(quote, source.text) is None:
                message = f"quote not found in {source.path.name}: {quote!r}"
                problems.append(_problem(rs, fact, f"quote[{i}]", message))
        if isinstance(fact, Twinning):
            need_date(fact, "start", fact.start)
            need_date(fact, "end", fact.end)
        elif isinstance(fact, Document):
            need_date(fact, "date", fact.date)
            need_named(fact, "title", fact.title)
        elif isinstance(fact, MayorAttestation):
            # A page names its mayor on the day it was published and on the day it was captured.
            need_date(fact, "date", fact.date, (source.meta.published, source.meta.captured_day))
        elif isinstance(fact, Event):
            need_date(fact, "date", fact.date)
            need_named(fact, "name", fact.name)
            for i, p in enumerate(fact.participants):
                need_named(fact, f"participants[{i}].label", p.label)
    return problems


def _page_problems(job: tuple[RecordSet, Source]) -> list[Problem]:
    return page_problems(*job)


def _all_page_problems(corpus: Corpus, workers: int) -> list[Problem]:
    """Check every record file against its page, in forked worker processes when there are many."""
    jobs = [(rs, corpus.sources[rs.records.source]) for rs in corpus.record_sets if rs.records.source in corpus.sources]
    return [problem for problems in fork_map(_page_problems, jobs, workers) for problem in problems]


def check(corpus: Corpus, workers: int = 1) -> list[Problem]:
    """Check references, quotes, dates, names, countries and identifiers across the whole corpus.

    With ``workers`` > 1 and many record files, the checks against the pages run in that many processes.
    """
    problems: list[Problem] = []
    places = corpus.places.places
    people = corpus.people.people
    orgs = corpus.people.organizations
    names = place_names(corpus.places)
    seen_ids: dict[str, Path] = {}
    kinds = {fact.id: type(fact).__name__ for rs in corpus.record_sets for fact in rs.records.facts()}
    # The pairs some record states a twinning of: what an event's twinning and a successor's replaces name.
    pairs = {frozenset((t.municipality, t.partner)) for rs in corpus.record_sets for t in rs.records.twinnings}
    for key in places:
        if not is_alpha2(key[:2].upper()):
            problems.append(Problem("places.yaml", f"{key[:2]!r} is not an ISO 3166-1 code", record=key))
    for key, link in corpus.links.links.items() if corpus.links else []:
        if key not in places:
            problems.append(Problem(f"links/{WIKIDATA_LINKS}", f"unknown place {key!r}", record=key))
        if link.status == "accepted" and link.item is None:
            problems.append(
                Problem(f"links/{WIKIDATA_LINKS}", "an accepted link needs an item", record=key, field="item")
            )

    for rs in corpus.record_sets:
        rec = rs.records
        path = rs.path
        source = corpus.sources.get(rec.source)
        if source is None:
            problems.append(Problem(path, f"unknown source {rec.source!r}", field="source"))
        documents = {d.id for d in rec.documents}

        def bad(fact: Fact, field: str, message: str, rs: RecordSet = rs) -> None:
            problems.append(_problem(rs, fact, field, message))

        def need(fact: Fact, field: str, key: str | None, wanted: str, registries: list[Mapping[str, object]]) -> None:
            if key is not None and not any(key in registry for registry in registries):
                bad(fact, field, f"{key!r} should name {wanted}; it names {_what(key, corpus, kinds)}")

        def need_place(fact: Fact, field: str, key: str | None) -> None:
            need(fact, field, key, "a place of places.yaml", [places])

        def need_person(fact: Fact, field: str, key: str | None) -> None:
            need(fact, field, key, "a person of people.yaml", [people])

        def need_org(fact: Fact, field: str, key: str | None) -> None:
            need(fact, field, key, "an organisation of people.yaml", [orgs])

        def need_document(fact: Fact, field: str, key: str | None, documents: set[str] = documents) -> None:
            if key is not None and key not in documents:
                bad(fact, field, f"{key!r} should name a document of this file; it names {_what(key, corpus, kinds)}")

        def need_twinning(fact: Fact, field: str, pair: list[str] | None) -> None:
            for i, key in enumerate(pair or []):
                need_place(fact, f"{field}[{i}]", key)
            if pair is not None and frozenset(pair) not in pairs:
                bad(fact, field, f"{pair[0]} and {pair[1]} are not a twinning any record states")

        for fact in rec.facts():
            if fact.review is not None and fact.review.status != "accepted":
                bad(
                    fact,
                    "review",
                    f"the fact is {fact.review.status}, not reviewed: accept it with `pobratim "
                    "review` (or delete it) before it can be published",
                )
            if fact.id in seen_ids:
                bad(fact, "id", f"id {fact.id!r} is already used in {seen_ids[fact.id].name}")
            seen_ids[fact.id] = path
            if isinstance(fact, Twinning):
                need_place(fact, "municipality", fact.municipality)
                need_place(fact, "partner", fact.partner)
                if fact.municipality == fact.partner:
                    bad(fact, "partner", "a town cannot be twinned with itself")
                for spelling, key in other_places(fact.partner_label, fact.partner, names):
                    bad(
                        fact,
                        "partner_label",
                        f"{spelling!r} names {key} ({places[key].en}), not the partner {fact.partner}: "
                        "the page spelling is the partner's own name only",
                    )
                code = country_code(fact.country_label, corpus.aliases)
                if code is None:
                    bad(fact, "country_label", f"unknown country {fact.country_label!r}")
                elif code.lower() != fact.partner[:2]:
                    bad(
                        fact,
                        "country_label",
                        f"{fact.country_label!r} is {code}, the partner is in {fact.partner[:2].upper()}",
                    )
                need_document(fact, "document", fact.document)
                need_twinning(fact, "replaces", fact.replaces)
            elif isinstance(fact, Document):
                # A document is passed by a body (a council, a municipality), proposed by a person or a body.
                need(fact, "passed_by", fact.passed_by, "an organisation or a place", [orgs, places])
                need(fact, "proposed_by", fact.proposed_by, "a person or an organisation", [people, orgs])
                for i, key in enumerate(fact.signed_by):
                    need(fact, f"signed_by[{i}]", key, "a person, an organisation or a place", [people, orgs, places])
            elif isinstance(fact, MayorAttestation):
                need_place(fact, "municipality", fact.municipality)
                need_person(fact, "person", fact.person)
            elif isinstance(fact, Event):
                need_place(fact, "location", fact.location)
                need_twinning(fact, "twinning", fact.twinning)
                need_document(fact, "document", fact.document)
                for i, p in enumerate(fact.participants):
                    if sum(x is not None for x in (p.person, p.place, p.label)) != 1:
                        bad(fact, f"participants[{i}]", "name exactly one of person, place, label")
                    need_person(fact, f"participants[{i}].person", p.person)
                    need_place(fact, f"participants[{i}].place", p.place)
                    need_org(fact, f"participants[{i}].organization", p.organization)
            elif isinstance(fact, Membership):
                need_place(fact, "member", fact.member)
                need_org(fact, "organization", fact.organization)
            elif isinstance(fact, PlaceFact):
                need_place(fact, "place", fact.place)
                need_place(fact, "contained_in", fact.contained_in)
                need_place(fact, "successor_of", fact.successor_of)
            elif isinstance(fact, OrganizationFact):
                need_org(fact, "organization", fact.organization)
                need_place(fact, "location", fact.location)
    return problems + _all_page_problems(corpus, workers)
