"""The whole build: load and check the inputs, build the dataset, gate it with SHACL, publish it."""

import gc
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pobratim.build.assemble import build, load_ontology
from pobratim.build.staging import Progress, Published, Staging, build_lock
from pobratim.core.errors import BuildError, Problem
from pobratim.core.layout import Layout
from pobratim.core.parallel import worth_forking
from pobratim.core.vocab import DEFAULT_LICENSE
from pobratim.records.corpus import Corpus, load_corpus
from pobratim.shacl.gate import validate
from pobratim.shacl.report import Report, load_shapes


@dataclass(frozen=True)
class BuildResult:
    """What a successful build published, and how long each step took (seconds)."""

    published: Published
    report: Report
    timings: dict[str, float]


def _record_files(corpus: Corpus) -> dict[str, Path]:
    """Map each record id to the file it is written in."""
    return {fact.id: rs.path for rs in corpus.record_sets for fact in rs.records.facts()}


def _problems(report: Report, corpus: Corpus) -> list[Problem]:
    """Name, for each violation, the record file (or graph) it came from."""
    files = _record_files(corpus)
    return [
        Problem(
            files.get(v.record or "", f"graph <{v.graph}>"),
            f"<{v.focus}>{' ' + v.path if v.path else ''}: {v.message}",
            record=v.record,
            field=f"shape {v.shape}",
        )
        for v in report.violations
        if v.severity == "Violation"
    ]


def run_build(
    layout: Layout,
    base: str,
    built: datetime,
    progress: Progress = lambda _m: None,
    workers: int | None = None,
    license: str = DEFAULT_LICENSE,
) -> BuildResult:
    """Build and publish; raise BuildError (and leave ``layout.dist`` as it was) on any problem.

    ``workers``: processes for parsing and building large inputs (default: one per core); ``license``: the IRI
    of the graph's licence (the LICENSE setting).
    """
    with build_lock(layout.dist), _no_cycle_collection():
        return _run_build(layout, base, built, progress, workers or os.cpu_count() or 1, license)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, here and in the processes forked meanwhile, until the block ends.

    A build makes millions of objects that live until it ends (the records, the builder's terms, the dumps'
    lines) and next to no cycles; each of the collector's full passes walked all of them. At 2 M quads the load
    and build steps took 77.3 -> 64.7 s of CPU over their processes without it, the largest process the same
    1.3 GB. Cycles made meanwhile are collected once it runs again (a review page's server builds many times).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run_build(
    layout: Layout, base: str, built: datetime, progress: Progress, workers: int, license: str
) -> BuildResult:
    timings: dict[str, float] = {}
    t = time.perf_counter()
    progress(f"reading sources and records from {layout.data}")
    corpus = load_corpus(layout, workers)
    timings["load"] = time.perf_counter() - t

    t = time.perf_counter()
    progress("building the dataset")
    ds = build(corpus, load_ontology(layout.ontology), base, workers, license)
    timings["build"] = time.perf_counter() - t

    # The dumps in a forked process where the build's own parts were built in forked processes (large inputs).
    with Staging(layout, ds, corpus, base, built, fork=worth_forking(len(corpus.record_sets), workers)) as staging:
        t = time.perf_counter()
        staging.start(progress)  # alongside the gate, which only reads the dataset
        timings["stage"] = time.perf_counter() - t

        t = time.perf_counter()
        progress(f"validating {len(ds.named_graphs())} graphs ({len(ds)} quads) against {layout.shapes}")
        report = validate(ds, load_shapes(layout.shapes), progress)
        timings["validate"] = time.perf_counter() - t
        if not report.conforms:
            raise BuildError(_problems(report, corpus))  # leaving the block discards the staging folder

        t = time.perf_counter()
        published = staging.complete(progress)
        timings["publish"] = time.perf_counter() - t
    return BuildResult(published, report, timings)


__all__ = ["BuildError", "BuildResult", "run_build"]
