"""The reviewed record files and their schema; loading reports file, line, record and field."""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, get_args

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from pobratim.core.dates import PartialDate, parse_date
from pobratim.core.errors import BuildError, Problem
from pobratim.core.vocab import OPEN_LICENSES

# What a field of a record may say beyond its type, declared on the field and checked by one walk over
# every record (records.references for Ref, records.page_checks for InQuote).
RefKind = Literal["place", "person", "organization", "document", "twinning"]
QuoteKind = Literal["date", "name"]


class Ref:
    """The field names things that must exist: places, people or organisations of the registry, a document
    of the same record file, or a twinning (a pair of places) that some record states."""

    __slots__ = ("kinds",)

    def __init__(self, *kinds: RefKind) -> None:
        self.kinds = kinds

    def __repr__(self) -> str:
        return f"Ref{self.kinds!r}"


class InQuote:
    """The field's value must be written in the fact's quote: a date (as a year, month or day), or a name
    (of labels, the one in the page's language: others are translations)."""

    __slots__ = ("kind", "or_page_date")

    def __init__(self, kind: QuoteKind, *, or_page_date: bool = False) -> None:
        self.kind = kind
        self.or_page_date = or_page_date  # the page's own date (published or captured) needs no quote

    def __repr__(self) -> str:
        return f"InQuote({self.kind!r}, or_page_date={self.or_page_date})"


Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
PlaceKey = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}/[a-z0-9]+(-[a-z0-9]+)*$")]
LangTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
Labels = dict[LangTag, Annotated[str, StringConstraints(min_length=1)]]
DateText = Annotated[str, StringConstraints(pattern=r"^-?\d{4}(-\d{2}(-\d{2})?)?$")]
Pair = Annotated[list[PlaceKey], Field(min_length=2, max_length=2)]
Timestamp = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
WebAddress = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
# A page's rights as its site states them: the IRI of the licence it gives, "all rights reserved", or "unknown"
# where nobody has read them (the seeds: captured offline, their sites' terms not kept).
Rights = Literal["unknown", "all rights reserved"] | WebAddress

TwinningKind = Literal["twinning", "friendship", "partnership", "cooperation"]
StartKind = Literal["twinning", "protocol", "council_decision", "agreement", "successor", "other"]
TwinningStatus = Literal["active", "ended", "transferred"]
# The fact reader's kinds of document and event are these values (its own spelling: "letter_of_intent" is
# "letter-of-intent"); extract.proposals maps one to the other and a test checks every kind has its value.
DocumentType = Literal[
    "protocol",
    "council-decision",
    "decision",
    "cooperation-agreement",
    "twinning-agreement",
    "agreement",
    "charter",
    "memorandum",
    "letter-of-intent",
    "contract",
    "declaration",
]
EventType = Literal[
    "sports-match",
    "exhibition",
    "festival",
    "course",
    "restoration",
    "delegation",
    "visit",
    "competition",
    "ceremony",
    "unveiling",
    "anniversary",
    "concert",
    "reception",
    "meeting",
    "exchange",
    "show",
]
PlaceKind = Literal["municipality", "city", "town", "village", "district", "province", "region", "island"]
# The kinds of place that can be a party to a twinning (a town, not the region around it).
PARTY_KINDS = frozenset({"municipality", "city", "town", "village", "district"})


class Strict(BaseModel):
    """A record part: unknown fields are errors, values are never coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _check_date(value: str | None) -> str | None:
    if value is not None:
        parse_date(value)
    return value


class Review(Strict):
    """How far a proposed fact got in review (facts written by hand carry none)."""

    status: Literal["proposed", "accepted", "rejected"]
    confidence: Annotated[float, Field(ge=0, le=1, strict=False)] | None = None
    evidence: list[str] | None = None  # the words that made the extractor propose it
    by: str | None = None
    # The name, as the page writes it under the page's language, of the person or organisation a proposed
    # mayor or membership names: what review adds to people.yaml when it is accepted.
    names: Labels | None = None


class Fact(Strict):
    """A statement taken from a source page, with the words it rests on."""

    id: Slug
    quote: Annotated[list[Annotated[str, StringConstraints(min_length=3)]], Field(min_length=1)]
    review: Review | None = None

    @field_validator("quote", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class Twinning(Fact):
    municipality: Annotated[PlaceKey, Ref("place")]
    partner: Annotated[PlaceKey, Ref("place")]
    # The partner's name as the page spells it, which the quote must hold (a false partner, a word of the
    # page's menu or an article, is refused here even when a review let it through).
    partner_label: Annotated[str, InQuote("name")]
    country_label: str
    kind: TwinningKind
    start: Annotated[DateText | None, InQuote("date")] = None
    start_kind: StartKind | None = None
    end: Annotated[DateText | None, InQuote("date")] = None
    status: TwinningStatus | None = None
    document: Annotated[Slug | None, Ref("document")] = None
    replaces: Annotated[Pair | None, Ref("twinning")] = None

    _dates = field_validator("start", "end")(_check_date)


class Document(Fact):
    type: DocumentType
    date: Annotated[DateText | None, InQuote("date")] = None
    title: Annotated[Labels | None, InQuote("name")] = None
    # A document is passed by a body (a council, a municipality), proposed by a person or a body.
    passed_by: Annotated[Slug | PlaceKey | None, Ref("organization", "place")] = None
    proposed_by: Annotated[Slug | None, Ref("person", "organization")] = None
    signed_by: Annotated[list[Slug], Ref("person", "organization", "place")] = []

    _dates = field_validator("date")(_check_date)


class MayorAttestation(Fact):
    person: Annotated[Slug, Ref("person")]
    municipality: Annotated[PlaceKey, Ref("place")]
    # A page names its mayor on the day it was published and on the day it was captured.
    date: Annotated[DateText, InQuote("date", or_page_date=True)]

    _dates = field_validator("date")(_check_date)


class Participant(Strict):
    person: Annotated[Slug | None, Ref("person")] = None
    place: Annotated[PlaceKey | None, Ref("place")] = None
    organization: Annotated[Slug | None, Ref("organization")] = None
    label: Annotated[Labels | None, InQuote("name")] = None
    role: str


class Event(Fact):
    type: EventType
    name: Annotated[Labels, InQuote("name")]
    date: Annotated[DateText | None, InQuote("date")] = None
    location: Annotated[PlaceKey | None, Ref("place")] = None
    participants: list[Participant] = []
    twinning: Annotated[Pair | None, Ref("twinning")] = None
    document: Annotated[Slug | None, Ref("document")] = None

    _dates = field_validator("date")(_check_date)


class Membership(Fact):
    member: Annotated[PlaceKey, Ref("place")]
    organization: Annotated[Slug, Ref("organization")]


class PlaceFact(Fact):
    place: Annotated[PlaceKey, Ref("place")]
    contained_in: Annotated[PlaceKey | None, Ref("place")] = None
    founded: DateText | None = None
    successor_of: Annotated[PlaceKey | None, Ref("place")] = None

    _dates = field_validator("founded")(_check_date)


class OrganizationFact(Fact):
    organization: Annotated[Slug, Ref("organization")]
    founded: DateText | None = None
    location: Annotated[PlaceKey | None, Ref("place")] = None

    _dates = field_validator("founded")(_check_date)


class RecordFile(Strict):
    """The facts read from one source page."""

    source: Slug
    twinnings: list[Twinning] = []
    documents: list[Document] = []
    mayors: list[MayorAttestation] = []
    events: list[Event] = []
    memberships: list[Membership] = []
    place_facts: list[PlaceFact] = []
    organization_facts: list[OrganizationFact] = []

    def facts(self) -> list[Fact]:
        """Return every fact of the file, in file order per section."""
        return [fact for section in SECTIONS.values() for fact in getattr(self, section)]


# The section of a record file each kind of fact is written in, read from the file's model.
SECTIONS: dict[type[Fact], str] = {
    get_args(info.annotation)[0]: name
    for name, info in RecordFile.model_fields.items()
    if info.annotation is not None and get_args(info.annotation) and issubclass(get_args(info.annotation)[0], Fact)
}


Marker = TypeVar("Marker", Ref, InQuote)


@cache
def _marks(model: type[BaseModel]) -> tuple[tuple[str, tuple[Ref | InQuote, ...], bool], ...]:
    """List (name, markers, whether it may hold parts) for each field of ``model`` that has either."""
    found = []
    for name, info in model.model_fields.items():
        marks = tuple(m for m in info.metadata if isinstance(m, Ref | InQuote))
        holds_parts = any(isinstance(t, type) and issubclass(t, BaseModel) for t in get_args(info.annotation))
        if marks or holds_parts:
            found.append((name, marks, holds_parts))
    return tuple(found)


def marked(part: BaseModel, marker: type[Marker], prefix: str = "") -> Iterator[tuple[str, Any, Marker]]:
    """Yield (field path, value, marker) for each field of ``part`` (and of the parts inside it, as
    ``participants[1].person``) that carries a ``marker`` and holds a value."""
    for name, marks, holds_parts in _marks(type(part)):
        value = getattr(part, name)
        if value is None:
            continue
        for mark in marks:
            if isinstance(mark, marker):
                yield f"{prefix}{name}", value, mark
        if holds_parts and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from marked(item, marker, f"{prefix}{name}[{i}].")


class Place(Strict):
    """A reviewed place, with the names its sources give: English (the gazetteer's), Bulgarian where a
    source gives one (none is invented for a German town), and local spellings by language."""

    en: str
    bg: str | None = None
    local: Labels = {}
    kind: PlaceKind

    @property
    def labels(self) -> list[tuple[str, str]]:
        """Return (name, language) for every name the place has, Bulgarian first when it has one."""
        return [*([(self.bg, "bg")] if self.bg else []), (self.en, "en"), *((t, k) for k, t in self.local.items())]

    @property
    def names(self) -> list[str]:
        """Return every name the place has, in any language."""
        return [name for name, _lang in self.labels]

    def name(self, lang: str) -> str:
        """Return the place's name in ``lang``, else its English name."""
        return dict((k, t) for t, k in self.labels).get(lang, self.en)


class PlacesFile(Strict):
    places: dict[PlaceKey, Place]


class Person(Strict):
    """A reviewed person, named as the pages write the name: ``bg`` from a Bulgarian page, ``latn`` where a page
    writes it in Latin script, ``local`` by language for a page in another script (none is transliterated)."""

    bg: str | None = None
    latn: str | None = None
    local: Labels = {}

    @model_validator(mode="after")
    def _named(self) -> "Person":
        if not self.labels:
            raise ValueError("a person needs a name: bg, latn or local")
        return self

    @property
    def labels(self) -> list[tuple[str, str | None]]:
        """Return (name, language) for every name, Bulgarian first; a Latin name has no language."""
        return [
            *([(self.bg, "bg")] if self.bg else []),
            *([(self.latn, None)] if self.latn else []),
            *((t, k) for k, t in self.local.items()),
        ]

    @property
    def name(self) -> str:
        """Return the person's first name of ``labels`` (the Bulgarian one where there is one)."""
        return self.labels[0][0]


class Organization(Strict):
    """A reviewed organisation (a network, a council), named in the languages sources give: bg, en, local."""

    bg: str | None = None
    en: str | None = None
    local: Labels = {}

    @model_validator(mode="after")
    def _named(self) -> "Organization":
        if not self.labels:
            raise ValueError("an organisation needs a name: bg, en or local")
        return self

    @property
    def labels(self) -> list[tuple[str, str]]:
        """Return (name, language) for every name the organisation has, Bulgarian first."""
        given = [("bg", self.bg), ("en", self.en), *self.local.items()]
        return [(text, lang) for lang, text in given if text]


class PeopleFile(Strict):
    people: dict[Slug, Person]
    organizations: dict[Slug, Organization]


class SourceMeta(Strict):
    """The metadata file beside a captured page."""

    id: Slug
    file: str
    publisher: PlaceKey
    publisher_name: Labels
    site: Labels | None = None
    title: Labels
    section: Labels | None = None
    language: LangTag
    published: DateText | None = None
    # A day, or the UTC time `pobratim capture` fetched the page at (YYYY-MM-DDTHH:MM:SSZ).
    captured: DateText | Timestamp | None = None
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    # Written by `pobratim capture` (docs/capture.md); absent where a page was kept offline.
    url: WebAddress | None = None  # the address asked for
    final_url: WebAddress | None = None  # where the page was after redirects
    raw: str | None = None  # the HTML as fetched, beside the text
    etag: str | None = None  # the HTTP validators of the capture, for conditional refreshes (RFC 9110 §8.8)
    last_modified: str | None = None
    rights: Rights = "unknown"

    _dates = field_validator("published")(_check_date)

    @property
    def republishable(self) -> bool:
        """Whether the page's own licence lets pobratim publish its whole text (else only the quotes)."""
        return self.rights in OPEN_LICENSES

    @field_validator("captured")
    @classmethod
    def _check_captured(cls, value: str | None) -> str | None:
        if value is not None and "T" in value:
            datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
            return value
        return _check_date(value)

    @property
    def captured_day(self) -> str | None:
        """The day (or month, or year) the page was captured, without the time of day."""
        return None if self.captured is None else self.captured[:10]


def date_of(text: str | None) -> PartialDate | None:
    """Parse an already validated date field."""
    return None if text is None else parse_date(text)


M = TypeVar("M", bound=BaseModel)


# libyaml's parser when PyYAML has it: the same nodes and marks as the pure-Python one, several times faster.
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TextLoader(_BaseLoader):  # type: ignore[misc]
    """Read YAML scalars as text, nulls and booleans aside: ``1978`` and ``1978-05-25`` are dates to us,
    not an int and a datetime, and their validation belongs to the schema."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag.rsplit(":", 1)[-1] in {"null", "bool", "merge"}]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _line_of(node: yaml.Node, loc: Sequence[int | str]) -> int:
    """Follow a pydantic error location through the YAML node tree; return a 1-based line."""
    for step in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == step:
                    node = value
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            break
    return node.start_mark.line + 1


def _record_name(data: Any, loc: Sequence[int | str]) -> str | None:
    """Name the record an error location falls in: ``section[i] (id=…)``."""
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        section, index = loc[0], loc[1]
        try:
            ident = data[section][index].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            ident = None
        return f"{section}[{index}]" + (f" (id={ident})" if ident else "")
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], str):
        return f"{loc[0]}.{loc[1]}"
    return None


def load_yaml(path: Path, model: type[M]) -> M:
    """Parse ``path`` as YAML and validate it against ``model``; raise BuildError naming the place."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise BuildError([Problem(path, f"cannot read: {err}")]) from None
    loader = _TextLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise BuildError([Problem(path, f"malformed YAML: {err}".replace("\n", " "), line=line)]) from None
    finally:
        loader.dispose()
    if node is None:
        raise BuildError([Problem(path, "the file is empty")])
    try:
        return model.model_validate(data)
    except ValidationError as err:
        problems = []
        for e in err.errors():
            loc = e["loc"]
            field = ".".join(str(p) for p in loc[2:]) if _record_name(data, loc) else ".".join(map(str, loc))
            problems.append(
                Problem(
                    path,
                    e["msg"] + (f" (got {e['input']!r})" if e["type"] != "missing" else ""),
                    line=_line_of(node, loc),
                    record=_record_name(data, loc),
                    field=field or None,
                )
            )
        raise BuildError(problems) from None


@lru_cache(maxsize=64)
def _tree(path: Path, _stamp: tuple[int, int]) -> yaml.Node | None:
    loader = _TextLoader(path.read_text(encoding="utf-8"))
    try:
        node: yaml.Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    return node


def locate(path: Path, loc: Sequence[int | str]) -> int | None:
    """Return the 1-based line of ``loc`` (e.g. ``["events", 3, "name", "bg"]``) in a record file, None if
    the file cannot be read again. Only read when a problem is reported, so a clean build never pays for it."""
    try:
        stat = path.stat()
        node = _tree(path, (stat.st_mtime_ns, stat.st_size))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return None if node is None else _line_of(node, loc)


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


_FIELD_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _loc(fact: Fact, records: RecordFile, field: str) -> list[int | str]:
    """Return the YAML location of ``field`` (``participants[1].person``) of ``fact`` in its file."""
    section = SECTIONS[type(fact)]
    index = next(i for i, f in enumerate(getattr(records, section)) if f is fact)
    steps: list[int | str] = [section, index]
    for name, number in _FIELD_STEP.findall(field):
        steps.append(int(number) if number else name)
    return steps


def fact_problem(rs: RecordSet, fact: Fact, field: str, message: str) -> Problem:
    """Say what is wrong with ``field`` of ``fact``, naming its file, line and record."""
    line = locate(rs.path, _loc(fact, rs.records, field))
    return Problem(rs.path, message, line=line, record=f"{type(fact).__name__} {fact.id}", field=field)
