"""Read many pages in one process: the gazetteer, the country names and each language's dictionary are
loaded once, then each page costs a fraction of a second.

The pages are files, folders of ``*.txt`` pages, or every captured source in ``data/sources/`` that no
record file cites yet (not reviewed). Nothing is written to ``data/records/``: the proposals go to a
reviewer.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from pobratim.core.layout import Layout
from pobratim.extract.reader import Proposal, extract
from pobratim.extract.script import UnreadablePage
from pobratim.records.corpus import REGISTRY_FILES, load_sources
from pobratim.records.models import PlacesFile, load_yaml

if TYPE_CHECKING:
    from pobratim.extract.facts import FactProposal


@dataclass(frozen=True)
class Job:
    """One page to read, with what is known of it."""

    path: Path
    municipality: str | None
    language: str | None


@dataclass(frozen=True)
class Outcome:
    """What reading one page gave: its proposals, or why it was not read."""

    job: Job
    proposals: list[Proposal]
    problem: str | None = None

    def facts(self) -> "list[FactProposal]":
        """Read the page's documents, mayors, events and memberships, tied to its proposed twinnings."""
        from pobratim.extract.facts import read_facts

        if self.problem:
            return []
        job = self.job
        return read_facts(job.path.read_text(encoding="utf-8"), job.municipality, job.language, self.proposals)


def pages(paths: list[Path]) -> list[Path]:
    """The pages named: each file as given, each folder's ``*.txt`` files in name order."""
    out: list[Path] = []
    for path in paths:
        out.extend(sorted(path.glob("*.txt")) if path.is_dir() else [path])
    return out


def named(paths: list[Path], municipality: str | None, language: str | None, layout: Layout) -> list[Job]:
    """Jobs for the pages named (files, or folders of them); a page captured in data/sources/ (known by its
    checksum) is read in its metadata's language when none is given."""
    known: dict[str, str] = {}
    if language is None and layout.sources.is_dir():
        known = {s.meta.sha256: str(s.meta.language) for s in load_sources(layout.sources).values()}
    jobs = []
    for path in pages(paths):
        lang = language
        if lang is None and known and path.is_file():
            lang = known.get(hashlib.sha256(path.read_bytes()).hexdigest())
        jobs.append(Job(path, municipality, lang))
    return jobs


def _cited(layout: Layout) -> set[str]:
    """The source ids the record files cite (a cited source has been reviewed)."""
    cited = set()
    for path in sorted(layout.records.glob("*.yaml")):
        if path.name in REGISTRY_FILES:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if isinstance(data, dict) and isinstance(data.get("source"), str):
            cited.add(data["source"])
    return cited


def unreviewed(layout: Layout) -> list[Job]:
    """Every captured source that no record file cites, with its publisher and language."""
    places = load_yaml(layout.records / "places.yaml", PlacesFile).places
    cited = _cited(layout)
    jobs = []
    for source in load_sources(layout.sources).values():
        if source.meta.id in cited:
            continue
        publisher = places.get(source.meta.publisher)
        jobs.append(
            Job(layout.sources / source.meta.file, publisher.en if publisher else None, str(source.meta.language))
        )
    return jobs


def read_pages(jobs: list[Job], possible: bool = False) -> Iterator[Outcome]:
    """Read each page in turn; a page that cannot be read gives its problem, and the others are still read."""
    for job in jobs:
        try:
            text = job.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            yield Outcome(job, [], f"cannot read {job.path}: {err}")
            continue
        try:
            yield Outcome(job, extract(text, job.municipality, language=job.language, possible=possible))
        except UnreadablePage as err:
            yield Outcome(job, [], f"{job.path}: {err}")
