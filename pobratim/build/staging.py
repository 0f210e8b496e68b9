"""Publish a dataset into a fresh build folder and swap it in at once, or discard it.

A build writes into a fresh folder under ``.dist-builds/`` (``.<name>-builds/`` for another name) and then
replaces the ``dist`` symlink in one ``rename``: a failed or killed build leaves the previous ``dist/``
untouched and still served.
"""

import gc
import multiprocessing
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType

import pyoxigraph as ox

from pobratim import published
from pobratim.build.built import BuiltDataset
from pobratim.build.dumps import (
    graph_lines,
    union_lines,
    write_checksums,
    write_dumps,
    write_ontology,
    write_queries,
    write_sources,
)
from pobratim.build.void import write_void
from pobratim.core.errors import BuildError, Problem
from pobratim.core.ids import Iris
from pobratim.core.layout import Layout
from pobratim.core.locks import Busy, only_one
from pobratim.records.corpus import Corpus

KEEP_BUILDS = 3
LOCK = ".lock"  # in the builds folder: one build at a time publishes to a dist

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Published:
    """Where a build was published and what it holds."""

    folder: Path
    triples: int
    quads: int
    graphs: int


def builds_folder(dist: Path) -> Path:
    """Where the builds of ``dist`` are kept: ``.dist-builds`` beside ``dist``, one folder per published name,
    so that pruning old builds of one never deletes what another (``--out`` elsewhere) serves."""
    return dist.parent / f".{dist.name}-builds"


@contextmanager
def build_lock(dist: Path) -> Iterator[None]:
    """Hold the lock of builds publishing to ``dist``; raise BuildError at once if another build holds it.

    Under the lock, what killed builds left (staging folders without a manifest, scratch dumps) is removed:
    no other build can be writing them.
    """
    builds = builds_folder(dist)
    builds.mkdir(parents=True, exist_ok=True)
    with ExitStack() as lock:
        try:
            lock.enter_context(only_one(builds / LOCK))
        except Busy as busy:
            raise BuildError(
                [Problem(busy.path, f"another build is publishing to {dist} ({busy.holder}); wait for it to finish")]
            ) from None
        _remove_killed_builds(builds)
        yield


def _remove_killed_builds(builds: Path) -> None:
    """Remove staging folders and scratch files of builds that were killed before they completed."""
    for entry in builds.iterdir():
        if entry.name == LOCK:
            continue
        if entry.is_dir() and not (entry / published.MANIFEST).exists():
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.is_file() and entry.name.endswith(".load.trig"):
            entry.unlink(missing_ok=True)


def swap_in(folder: Path, dist: Path) -> None:
    """Point ``dist`` at ``folder`` with one atomic rename; prune old complete builds nobody reads."""
    builds = folder.parent
    if dist.exists() and not dist.is_symlink():
        # A plain dist/ from elsewhere: keep it as an older build rather than deleting it.
        dist.rename(builds / f"previous-{datetime.now().strftime('%Y%m%dT%H%M%S%f')}")
    link = dist.with_name(dist.name + ".new-link")
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(os.path.relpath(folder, dist.parent))
    os.replace(link, dist)
    current = folder.resolve()
    complete = sorted(
        (p for p in builds.iterdir() if p.is_dir() and p.resolve() != current and (p / published.MANIFEST).exists()),
        key=lambda p: p.stat().st_mtime,
    )
    # The newest few stay for servers that have not moved yet; older ones go once no process holds a lease.
    for stale in complete[: max(0, len(complete) - (KEEP_BUILDS - 1))]:
        if not published.in_use(stale):
            shutil.rmtree(stale, ignore_errors=True)


class Staging:
    """A build folder being written before the gate has spoken: nothing in it is served until ``complete``.

    Its life: made (nothing written yet), ``start`` (the files are written in the background), then
    ``complete`` (swapped in) or ``discard`` (removed). Used as a context manager it is discarded on any
    exception that leaves the block before ``complete``.

    ``start`` dumps the store as it is (fast, in the store's own order) into a scratch file beside the build
    folder and loads the on-disk Oxigraph store from it in another process (build/storeload.py), while the
    dumps are written in a canonical order with the VoID description. Both overlap the SHACL gate, which only
    reads the dataset. With ``fork`` (large builds) the dumps are written by a forked process that shares the
    dataset's memory until it ends: in a thread, the dumps' Python (the JSON-LD) and the gate's queries, which
    hold the GIL while Oxigraph evaluates, took turns on one core (at 2 M quads the gate's 48 s of CPU took 94 s
    of wall time beside the dumps' 39 s). Without it (small builds, and builds run in the review page's server
    process) a thread writes them.
    """

    def __init__(
        self, layout: Layout, ds: BuiltDataset, corpus: Corpus, base: str, built: datetime, fork: bool = False
    ) -> None:
        self.fork = fork
        self.layout = layout
        self.ds = ds
        self.corpus = corpus
        self.base = base
        self.built = built
        self.out = builds_folder(layout.dist) / f"build-{built.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        self._loader: subprocess.Popen[bytes] | None = None
        self._writer: threading.Thread | None = None
        self._process: BaseProcess | None = None
        self._result: Connection | None = None
        self._stop = threading.Event()
        self._written: int | BaseException | None = None
        self._done = False
        # The loader's input: outside the build folder, so nothing of it is published or checksummed.
        self._scratch = self.out.with_name(f".{self.out.name}.load.trig")

    def __enter__(self) -> "Staging":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if not self._done:
            self.discard()

    def start(self, progress: Progress = lambda _m: None) -> None:
        """Create the folder, write the TriG dump and start writing everything else in the background."""
        self.out.parent.mkdir(parents=True, exist_ok=True)
        if self.out.exists():
            shutil.rmtree(self.out)
        self.out.mkdir()
        self.ds.store.dump(self._scratch, format=ox.RdfFormat.TRIG)
        # It also writes the page index from the store it loaded (pobratim.page_index), on the core the gate leaves.
        store = str(self.out / published.STORE)
        loader = [sys.executable, "-m", "pobratim.build.storeload", str(self._scratch), store, self.base]
        self._loader = subprocess.Popen(loader, stderr=subprocess.PIPE)

        def steps() -> None:
            try:
                self._written = self._write_files(progress)
            except BaseException as err:  # handed to complete(), which raises it in the caller's thread
                self._written = err

        # pyoxigraph's query results may only be dropped by the thread that made them (pyo3 "unsendable"), and
        # the cycle collector runs in whichever thread allocates: a result some earlier caller of this process
        # left in cyclic garbage (a finished frame a traceback keeps: the review page runs many builds) is
        # collected here, not in the writer. The build's own queries drop theirs at once (build.built.select).
        gc.collect()
        if self.fork:
            context = multiprocessing.get_context("fork")
            self._result, send = context.Pipe(duplex=False)
            self._process = context.Process(
                target=self._write_in_child, args=(send, progress), name="pobratim-publish", daemon=True
            )
            self._process.start()
            send.close()
            return
        self._writer = threading.Thread(target=steps, name="pobratim-publish", daemon=True)
        self._writer.start()

    def _write_in_child(self, send: Connection, progress: Progress) -> None:
        """In the forked process: write the files, send back how many triples (or what went wrong)."""
        try:
            send.send(self._write_files(progress))
        except BaseException as err:
            send.send(f"{type(err).__name__}: {err}")
            raise

    def _write_files(self, progress: Progress) -> int:
        def step(message: str) -> None:
            if self._stop.is_set():
                raise _Stopped()
            progress(message)

        out = self.out
        step("ordering the graphs for the dumps")
        per_graph = graph_lines(self.ds)
        step("writing dumps (TriG, Turtle, JSON-LD, N-Triples)")
        triples = write_dumps(per_graph, union_lines(per_graph), out)
        del per_graph
        step("copying the source pages and the example queries")
        write_sources(self.corpus, out)
        write_queries(self.layout.queries, out)
        write_ontology(self.layout.ontology, out)
        step("writing VoID/DCAT description")
        write_void(self.ds, triples, self.corpus, Iris(self.base), out, self.built)
        return triples

    def _join(self) -> int:
        if (self._writer is None and self._process is None) or self._loader is None:
            raise RuntimeError("start() was not called")
        if self._process is not None:
            self._written = self._child_result()
        elif self._writer is not None:
            self._writer.join()
        if isinstance(self._written, BaseException):
            raise self._written
        assert isinstance(self._written, int)
        _out, err = self._loader.communicate()
        self._scratch.unlink(missing_ok=True)
        if self._loader.returncode != 0:
            raise OSError(f"loading the Oxigraph store failed: {err.decode('utf-8', 'replace').strip()}")
        return self._written

    def _child_result(self) -> int | BaseException:
        """Wait for the forked writer; return what it sent back (an error if it sent nothing or failed)."""
        assert self._process is not None and self._result is not None
        try:
            sent: object = self._result.recv()
        except EOFError:
            sent = "it ended without a word"
        self._process.join()
        if isinstance(sent, int) and self._process.exitcode == 0:
            return sent
        return OSError(f"writing the dumps failed ({self._process.exitcode}): {sent}")

    def discard(self) -> None:
        """Stop writing and remove the folder."""
        self._stop.set()
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
        if self._loader is not None:
            if self._loader.poll() is None:
                self._loader.kill()
            self._loader.communicate()
        if self._writer is not None:
            self._writer.join()  # it stops at its next step; a folder it still writes to cannot be removed
        shutil.rmtree(self.out, ignore_errors=True)
        self._scratch.unlink(missing_ok=True)
        self._done = True

    def complete(self, progress: Progress = lambda _m: None) -> Published:
        """Wait for the files and the store, write the manifest and checksums, then swap the folder in."""
        progress("waiting for the dumps and the Oxigraph store")
        triples = self._join()
        named = self.ds.named_graphs()
        manifest = published.Manifest(
            base=self.base,
            built=self.built.isoformat(),
            triples=triples,
            quads=len(self.ds),
            graphs=len(named),
            graph_names=tuple(g.value for g in named),
            sources=tuple(sorted(self.corpus.sources)),
        )
        manifest.write(self.out)
        write_checksums(self.out)
        swap_in(self.out, self.layout.dist)
        self._done = True
        return Published(self.out, triples, manifest.quads, manifest.graphs)


class _Stopped(Exception):
    """The build was discarded while its files were being written."""
