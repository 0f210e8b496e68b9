"""The reviewed links file (data/links/wikidata.yaml): a proposal per place, and the decision on it."""

from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import Field, StringConstraints

from pobratim.records.models import PlaceKey, Strict, load_yaml

QID = Annotated[str, StringConstraints(pattern=r"^Q[1-9][0-9]*$")]
LinkStatus = Literal["accepted", "proposed", "rejected", "unmatched"]
# YAML scalars are read as text (records.load_yaml); numbers here are parsed from it.
Confidence = Annotated[float, Field(ge=0, le=1, strict=False)]
AUTO = "pobratim link"  # decisions made by the command start with this; anything else is a person's


class Evidence(Strict):
    """Why a Wikidata item may be the place."""

    geonames: str | None = None  # the GeoNames id both sides share
    labels: list[str] = Field(default_factory=list)  # our labels the item carries, as "text@lang"
    country: bool = False  # the item's P17 is the place's country
    settlement: bool = False  # the item is an instance of a human settlement (P31/P279*)
    classes: list[QID] = Field(default_factory=list)
    distance_km: Annotated[float, Field(strict=False)] | None = (
        None  # from the gazetteer's coordinates to the item's P625
    )


class ItemCandidate(Strict):
    """A Wikidata item that may be the place, as `pobratim link` scored it."""

    item: QID
    label: str | None = None
    confidence: Confidence
    evidence: Evidence


class Link(Strict):
    """The link of one place: its status, the item, who or what decided, and the evidence."""

    status: LinkStatus
    item: QID | None = None
    label: str | None = None
    confidence: Confidence = 0.0
    decided_by: str
    ambiguous: bool = False
    note: str | None = None
    evidence: Evidence | None = None
    candidates: list[ItemCandidate] = Field(default_factory=list)

    @property
    def by_person(self) -> bool:
        return not self.decided_by.startswith(AUTO)


class LinksFile(Strict):
    endpoint: str
    links: dict[PlaceKey, Link]

    def accepted(self) -> dict[str, str]:
        """Map each place key with an accepted link to its item."""
        return {k: v.item for k, v in self.links.items() if v.status == "accepted" and v.item}


HEADER = """\
# Links from pobratim's places to Wikidata items, proposed by `pobratim link` and reviewed by a person.
# Review: set `status` to accepted or rejected (and `item` to the right one when a candidate below is
# better) and put your name in `decided_by`. `pobratim link` keeps every decision not made by itself;
# `pobratim build` uses only accepted links.
"""


def load_links(path: Path) -> LinksFile | None:
    """Read the links file, or None when there is none yet."""
    if not path.exists():
        return None
    return load_yaml(path, LinksFile)


def write_links(path: Path, links: LinksFile) -> None:
    """Write the links file, places in key order, in a form people can review."""
    data = links.model_dump(exclude_defaults=True)
    data["links"] = {k: data["links"][k] for k in sorted(data["links"])}
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    path.write_text(HEADER + body, encoding="utf-8")
