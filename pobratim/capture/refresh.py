"""Fetch every captured address again; keep each new capture beside the old; name the facts it leaves behind.

A refresh never changes a capture: reviewed facts cite the capture they were read from by its id, and
the build keeps publishing them against it until a person reviews them on the new one.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from pobratim.capture.capture import CaptureError, Publisher, capture_answer
from pobratim.capture.fetch import Fetcher, FetchError
from pobratim.capture.store import Stored, captures
from pobratim.core.errors import BuildError
from pobratim.core.quotes import anchor
from pobratim.records.models import RecordFile, SourceMeta, load_yaml


@dataclass(frozen=True)
class Stale:
    """A reviewed fact whose quote is not on the new capture of its page."""

    records: Path
    fact: str
    source: str  # the capture it cites
    quote: str


@dataclass
class Outcome:
    """What a refresh found at one address."""

    url: str
    latest: SourceMeta  # the newest capture before this refresh
    new: SourceMeta | None = None  # the new capture, when the page changed
    error: str | None = None
    not_modified: bool = False  # the server said so (304) rather than sending the same text again
    earlier: bool = False  # the page is back to the text of an earlier capture (``new`` is that capture)
    stale: list[Stale] = field(default_factory=list)


def by_address(sources: Path) -> dict[str, list[Stored]]:
    """Group the captures of ``sources`` by the address asked for, oldest first."""
    found: dict[str, list[Stored]] = {}
    for stored in captures(sources):
        if stored.meta.url is not None:
            found.setdefault(stored.meta.url, []).append(stored)
    for versions in found.values():
        versions.sort(key=lambda s: s.meta.captured or "")
    return found


def _record_files(records: Path, cited: set[str]) -> Iterator[tuple[Path, RecordFile]]:
    """Yield the record files that cite one of the ``cited`` sources."""
    for path in sorted(records.glob("*.yaml")):
        try:
            head = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(head, dict) and head.get("source") in cited:
            try:
                yield path, load_yaml(path, RecordFile)
            except BuildError:
                continue


def stale_facts(records: Path, cited: set[str], text: str) -> list[Stale]:
    """List the reviewed facts citing ``cited`` sources whose quotes ``text`` no longer holds.

    Reviewed: accepted in review, or written by hand (no review); proposals are not facts yet.
    """
    stale: list[Stale] = []
    for path, record_file in _record_files(records, cited):
        for fact in record_file.facts():
            if fact.review is not None and fact.review.status != "accepted":
                continue
            stale.extend(
                Stale(path, fact.id, record_file.source, quote) for quote in fact.quote if anchor(quote, text) is None
            )
    return stale


def refresh(sources: Path, records: Path, fetcher: Fetcher, now: datetime) -> list[Outcome]:
    """Fetch each captured address again with its validators; capture what changed."""
    outcomes: list[Outcome] = []
    for url, versions in by_address(sources).items():
        latest = versions[-1].meta
        outcome = Outcome(url, latest)
        outcomes.append(outcome)
        try:
            answer = fetcher.get(url, etag=latest.etag, last_modified=latest.last_modified)
        except FetchError as err:
            outcome.error = str(err)
            continue
        if answer.not_modified:
            outcome.not_modified = True
            continue
        who = Publisher(latest.publisher, dict(latest.publisher_name))
        try:
            captured = capture_answer(answer, sources, who, now, next(iter(latest.title.values())))
        except CaptureError as err:
            outcome.error = str(err)
            continue
        if captured.meta.id == latest.id or captured.meta.sha256 == latest.sha256:
            continue
        outcome.new, outcome.earlier = captured.meta, not captured.new
        text = (sources / captured.meta.file).read_text(encoding="utf-8")
        older = {v.meta.id for v in versions} - {captured.meta.id}
        outcome.stale = stale_facts(records, older, text)
    return outcomes
