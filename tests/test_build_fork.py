"""The dumps written in a forked process (large builds): the same files as in a thread; a failure there fails the
build and publishes nothing; a discarded build stops the process."""

from dataclasses import replace
from pathlib import Path

import pytest

from pobratim.build import staging
from pobratim.build.assemble import build, load_ontology
from pobratim.build.staging import Staging
from pobratim.core.ids import DEFAULT_BASE
from pobratim.records.corpus import load_corpus
from tests.support.paths import SEED

from .conftest import BUILT_AT
from .test_reproducible import published_files


def _publish(tmp_path: Path, name: str, fork: bool) -> Path:
    layout = replace(SEED, dist=tmp_path / name)
    corpus = load_corpus(layout)
    ds = build(corpus, load_ontology(layout.ontology), DEFAULT_BASE)
    with Staging(layout, ds, corpus, DEFAULT_BASE, BUILT_AT, fork=fork) as st:
        st.start()
        st.complete()
    return layout.dist


def test_the_forked_writer_publishes_what_the_thread_publishes(tmp_path: Path) -> None:
    forked, threaded = _publish(tmp_path, "forked", True), _publish(tmp_path, "threaded", False)
    assert published_files(forked) == published_files(threaded)


def test_a_failure_in_the_forked_writer_fails_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise ValueError("no room left for the TriG dump")

    monkeypatch.setattr(staging, "write_sources", broken)
    with pytest.raises(OSError, match="no room left for the TriG dump"):
        _publish(tmp_path, "dist", True)
    assert not (tmp_path / "dist").exists()
    assert not list((tmp_path / ".dist-builds").iterdir())  # no staging folder, no scratch dump


def test_a_discarded_build_stops_the_forked_writer(tmp_path: Path) -> None:
    layout = replace(SEED, dist=tmp_path / "dist")
    corpus = load_corpus(layout)
    ds = build(corpus, load_ontology(layout.ontology), DEFAULT_BASE)
    with (
        pytest.raises(RuntimeError, match="the gate said no"),
        Staging(layout, ds, corpus, DEFAULT_BASE, BUILT_AT, fork=True) as st,
    ):
        st.start()
        process = st._process
        raise RuntimeError("the gate said no")
    assert process is not None and not process.is_alive()
    assert not st.out.exists() and not (tmp_path / "dist").exists()
