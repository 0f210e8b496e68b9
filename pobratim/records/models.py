"""The reviewed record files and their schema; loading reports file, line, record and field."""

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from pobratim.core.dates import PartialDate, parse_date
from pobratim.core.errors import BuildError, Problem

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
PlaceKey = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}/[a-z0-9]+(-[a-z0-9]+)*$")]
LangTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
Labels = dict[LangTag, Annotated[str, StringConstraints(min_length=1)]]
DateText = Annotated[str, StringConstraints(pattern=r"^-?\d{4}(-\d{2}(-\d{2})?)?$")]
Timestamp = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
WebAddress = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]

TwinningKind = Literal["twinning", "friendship", "partnership", "cooperation"]
StartKind = Literal["twinning", "protocol", "council_decision", "agreement", "successor", "other"]
Status = Literal["active", "ended", "transferred"]
DocumentType = Literal["protocol", "council-decision", "decision", "cooperation-agreement", "twinning-agreement"]
EventType = Literal[
    "sports-match", "exhibition", "festival", "course", "restoration", "delegation", "visit", "competition"
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
    municipality: PlaceKey
    partner: PlaceKey
    partner_label: str
    country_label: str
    kind: TwinningKind
    start: DateText | None = None
    start_kind: StartKind | None = None
    end: DateText | None = None
    status: Status | None = None
    document: Slug | None = None
    replaces: Annotated[list[PlaceKey], Field(min_length=2, max_length=2)] | None = None

    _dates = field_validator("start", "end")(_check_date)


class Document(Fact):
    type: DocumentType
    date: DateText | None = None
    title: Labels | None = None
    passed_by: Slug | PlaceKey | None = None
    proposed_by: Slug | None = None
    signed_by: list[Slug] = []

    _dates = field_validator("date")(_check_date)


class MayorAttestation(Fact):
    person: Slug
    municipality: PlaceKey
    date: DateText

    _dates = field_validator("date")(_check_date)


class Participant(Strict):
    person: Slug | None = None
    place: PlaceKey | None = None
    organization: Slug | None = None
    label: Labels | None = None
    role: str


class Event(Fact):
    type: EventType
    name: Labels
    date: DateText | None = None
    location: PlaceKey | None = None
    participants: list[Participant] = []
    twinning: Annotated[list[PlaceKey], Field(min_length=2, max_length=2)] | None = None
    document: Slug | None = None

    _dates = field_validator("date")(_check_date)


class Membership(Fact):
    member: PlaceKey
    organization: Slug


class PlaceFact(Fact):
    place: PlaceKey
    contained_in: PlaceKey | None = None
    founded: DateText | None = None
    successor_of: PlaceKey | None = None

    _dates = field_validator("founded")(_check_date)


class OrganizationFact(Fact):
    organization: Slug
    founded: DateText | None = None
    location: PlaceKey | None = None

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
        return [
            *self.twinnings,
            *self.documents,
            *self.mayors,
            *self.events,
            *self.memberships,
            *self.place_facts,
            *self.organization_facts,
        ]


class Place(Strict):
    en: str
    bg: str
    local: Labels = {}
    kind: PlaceKind


class PlacesFile(Strict):
    places: dict[PlaceKey, Place]


class Person(Strict):
    bg: str
    latn: str | None = None


class Organization(Strict):
    bg: str
    en: str


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

    _dates = field_validator("published")(_check_date)

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
