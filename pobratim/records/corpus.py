"""Load the build inputs (sources, reviewed records, the registry) and have them checked."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pobratim.core.countries import load_aliases
from pobratim.core.errors import BuildError, Problem
from pobratim.core.layout import Layout
from pobratim.core.parallel import fork_map
from pobratim.records.links import LinksFile, load_links
from pobratim.records.models import (
    PeopleFile,
    PlacesFile,
    RecordFile,
    RecordSet,
    Source,
    SourceMeta,
    load_yaml,
)
from pobratim.records.page_checks import page_problems
from pobratim.records.references import WIKIDATA_LINKS, reference_problems

REGISTRY_FILES = ("places.yaml", "people.yaml", "country-aliases.yaml")


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


def _page_problems(job: tuple[RecordSet, Source, PlacesFile]) -> list[Problem]:
    return page_problems(*job)


def check(corpus: Corpus, workers: int = 1) -> list[Problem]:
    """Check references, quotes, dates, names, countries and identifiers across the whole corpus.

    With ``workers`` > 1 and many record files, the checks against the pages run in that many processes.
    """
    c = corpus
    problems = reference_problems(c.record_sets, c.sources, c.places, c.people, c.aliases, c.links)
    jobs = [(rs, c.sources[rs.records.source], c.places) for rs in c.record_sets if rs.records.source in c.sources]
    return problems + [problem for found in fork_map(_page_problems, jobs, workers) for problem in found]
