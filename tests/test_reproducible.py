"""Two builds of one input publish byte-identical files, and the gate never writes into the dataset."""

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from pobratim import published
from pobratim.build.assemble import build, load_ontology
from pobratim.core.ids import DEFAULT_BASE
from pobratim.core.layout import Layout
from pobratim.records.corpus import load_corpus
from pobratim.shacl.gate import validate
from pobratim.shacl.report import load_shapes
from tests.support.paths import SEED


def published_files(dist: Path) -> dict[str, bytes]:
    folder = dist.resolve()
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and published.STORE not in p.relative_to(folder).parts
    }


def test_two_builds_publish_identical_files(tmp_path: Path) -> None:
    """At 200 towns (50 record files; the parallel paths forced on), each build in its own process (its own
    string hashing), with one SOURCE_DATE_EPOCH."""
    data = tmp_path / "data"
    subprocess.run(
        [sys.executable, "-m", "bench.synth", "--towns", "200", "--out", str(data)],
        check=True,
        capture_output=True,
        cwd=Path(__file__).parent.parent,
    )
    program = (
        "import sys; from pobratim.core import parallel; parallel.PARALLEL_FROM = 2; "
        "from pobratim.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    dumps = []
    for n in (1, 2):
        out = tmp_path / f"dist{n}"
        subprocess.run(
            [sys.executable, "-c", program, "build", "--data", str(data), "--out", str(out)],
            check=True,
            capture_output=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": str(n)},
            cwd=Path(__file__).parent.parent,
        )
        dumps.append(published_files(out))
    first, second = dumps
    assert sorted(first) == sorted(second)
    assert {name for name in first if first[name] != second[name]} == set()
    # Nothing of the gate's work is published.
    assert b"validation-group" not in b"".join(first.values())
    graphs = {q.graph_name for q in ox.parse(first[published.TRIG], format=ox.RdfFormat.TRIG)}
    assert all(isinstance(g, ox.DefaultGraph) or g.value.startswith(DEFAULT_BASE) for g in graphs), graphs


class ReadOnlyStore:
    """A store that answers queries and refuses every write."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store

    def __len__(self) -> int:
        return len(self._store)

    def __getattr__(self, name: str) -> Any:
        if name in {"update", "add", "extend", "bulk_extend", "load", "bulk_load", "remove", "clear", "clear_graph"}:
            raise AssertionError(f"the gate called store.{name}")
        return getattr(self._store, name)


def test_the_gate_only_reads() -> None:
    layout: Layout = replace(SEED)
    corpus = load_corpus(layout)
    ds = build(corpus, load_ontology(layout.ontology), DEFAULT_BASE)
    before = len(ds)
    ds.store = ReadOnlyStore(ds.store)  # type: ignore[assignment]
    report = validate(ds, load_shapes(layout.shapes))
    assert report.conforms and report.graphs_checked == len(ds.named_graphs())
    assert len(ds) == before
