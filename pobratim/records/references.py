"""Check the record files against each other and the registry: every reference names what it should.

What a field refers to is declared on the record model (``Ref``); this walks every fact once. The few
rules that are about one kind of fact alone (a twinning's partner and country) follow the walk.
"""

from collections.abc import Callable, Mapping

from pobratim.core.countries import country_code, is_alpha2
from pobratim.core.errors import Problem
from pobratim.records.links import LinksFile
from pobratim.records.models import (
    Event,
    Fact,
    PeopleFile,
    PlacesFile,
    RecordSet,
    Ref,
    RefKind,
    Twinning,
    fact_problem,
    marked,
)
from pobratim.records.page_checks import other_places, place_names

WIKIDATA_LINKS = "wikidata.yaml"

# What a reference to each kind of thing should name, alone and among others.
_WANTED_ALONE: dict[RefKind, str] = {
    "place": "a place of places.yaml",
    "person": "a person of people.yaml",
    "organization": "an organisation of people.yaml",
    "document": "a document of this file",
}
_WANTED_AMONG: dict[RefKind, str] = {"place": "a place", "person": "a person", "organization": "an organisation"}


def _wanted(kinds: tuple[RefKind, ...]) -> str:
    if len(kinds) == 1:
        return _WANTED_ALONE[kinds[0]]
    names = [_WANTED_AMONG[kind] for kind in kinds]
    return ", ".join(names[:-1]) + " or " + names[-1]


class _Registry:
    """What the references of the record files may name."""

    def __init__(
        self, places: PlacesFile, people: PeopleFile, record_sets: list[RecordSet], aliases: dict[str, str]
    ) -> None:
        self.places = places.places
        self.people = people.people
        self.orgs = people.organizations
        self.aliases = aliases
        self.names = place_names(places)
        self.kinds = {fact.id: type(fact).__name__ for rs in record_sets for fact in rs.records.facts()}
        # The pairs some record states a twinning of: what an event's twinning and a successor's replaces name.
        self.pairs = {frozenset((t.municipality, t.partner)) for rs in record_sets for t in rs.records.twinnings}
        self.of_kind: dict[RefKind, Mapping[str, object]] = {
            "place": self.places,
            "person": self.people,
            "organization": self.orgs,
        }

    def what(self, key: str) -> str:
        """Say what ``key`` names, for a message about a reference that names the wrong kind of thing."""
        found = []
        if key in self.people:
            found.append("a person (people.yaml)")
        if key in self.orgs:
            found.append("an organisation (people.yaml)")
        if key in self.places:
            found.append(f"a place, a {self.places[key].kind} (places.yaml)")
        if key in self.kinds:
            found.append(f"a record ({self.kinds[key]})")
        return " and ".join(found) or "nothing known"


Bad = Callable[[str, str], None]


def _check_reference(
    registry: _Registry, documents: set[str], field: str, key: str, kinds: tuple[RefKind, ...], bad: Bad
) -> None:
    if key not in documents if "document" in kinds else not any(key in registry.of_kind[k] for k in kinds):
        bad(field, f"{key!r} should name {_wanted(kinds)}; it names {registry.what(key)}")


def _check_references(registry: _Registry, documents: set[str], fact: Fact, bad: Bad) -> None:
    """Check every field of ``fact`` that the model marks as a reference."""
    for field, value, ref in marked(fact, Ref):
        if ref.kinds == ("twinning",):
            for i, key in enumerate(value):
                _check_reference(registry, documents, f"{field}[{i}]", key, ("place",), bad)
            if frozenset(value) not in registry.pairs:
                bad(field, f"{value[0]} and {value[1]} are not a twinning any record states")
        elif isinstance(value, list):
            for i, key in enumerate(value):
                _check_reference(registry, documents, f"{field}[{i}]", key, ref.kinds, bad)
        else:
            _check_reference(registry, documents, field, value, ref.kinds, bad)


def _twinning_rules(registry: _Registry, fact: Twinning, bad: Bad) -> None:
    if fact.municipality == fact.partner:
        bad("partner", "a town cannot be twinned with itself")
    for spelling, key in other_places(fact.partner_label, fact.partner, registry.names):
        bad(
            "partner_label",
            f"{spelling!r} names {key} ({registry.places[key].en}), not the partner {fact.partner}: "
            "the page spelling is the partner's own name only",
        )
    code = country_code(fact.country_label, registry.aliases)
    if code is None:
        bad("country_label", f"unknown country {fact.country_label!r}")
    elif code.lower() != fact.partner[:2]:
        bad("country_label", f"{fact.country_label!r} is {code}, the partner is in {fact.partner[:2].upper()}")


def _event_rules(registry: _Registry, fact: Event, bad: Bad) -> None:
    for i, p in enumerate(fact.participants):
        if sum(x is not None for x in (p.person, p.place, p.label)) != 1:
            bad(f"participants[{i}]", "name exactly one of person, place, label")


def _registry_problems(places: PlacesFile, links: LinksFile | None) -> list[Problem]:
    problems: list[Problem] = []
    for key in places.places:
        if not is_alpha2(key[:2].upper()):
            problems.append(Problem("places.yaml", f"{key[:2]!r} is not an ISO 3166-1 code", record=key))
    for key, link in links.links.items() if links else []:
        if key not in places.places:
            problems.append(Problem(f"links/{WIKIDATA_LINKS}", f"unknown place {key!r}", record=key))
        if link.status == "accepted" and link.item is None:
            problems.append(
                Problem(f"links/{WIKIDATA_LINKS}", "an accepted link needs an item", record=key, field="item")
            )
    return problems


def reference_problems(
    record_sets: list[RecordSet],
    sources: Mapping[str, object],
    places: PlacesFile,
    people: PeopleFile,
    aliases: dict[str, str],
    links: LinksFile | None,
) -> list[Problem]:
    """Check sources, identifiers, review states, references, names and countries across all record files."""
    problems = _registry_problems(places, links)
    registry = _Registry(places, people, record_sets, aliases)
    seen_ids: dict[str, str] = {}
    for rs in record_sets:
        rec = rs.records
        if rec.source not in sources:
            problems.append(Problem(rs.path, f"unknown source {rec.source!r}", field="source"))
        documents = {d.id for d in rec.documents}
        for fact in rec.facts():

            def bad(field: str, message: str, rs: RecordSet = rs, fact: Fact = fact) -> None:
                problems.append(fact_problem(rs, fact, field, message))

            if fact.review is not None and fact.review.status != "accepted":
                bad(
                    "review",
                    f"the fact is {fact.review.status}, not reviewed: accept it with `pobratim "
                    "review` (or delete it) before it can be published",
                )
            if fact.id in seen_ids:
                bad("id", f"id {fact.id!r} is already used in {seen_ids[fact.id]}")
            seen_ids[fact.id] = rs.path.name
            _check_references(registry, documents, fact, bad)
            if isinstance(fact, Twinning):
                _twinning_rules(registry, fact, bad)
            elif isinstance(fact, Event):
                _event_rules(registry, fact, bad)
    return problems
