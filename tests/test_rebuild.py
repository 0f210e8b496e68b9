"""Rebuilds beside readers: one build at a time, killed builds cleaned up, no build pruned while read,
and a live server that moves to each new build by itself."""

import os
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pobratim import published
from pobratim.build.pipeline import run_build
from pobratim.build.staging import KEEP_BUILDS, build_lock, builds_folder
from pobratim.core.errors import BuildError
from pobratim.core.ids import DEFAULT_BASE
from tests.support.cli import pobratim

from .conftest import BUILT_AT
from .support.live import serving
from .support.paths import REPO, SEED


def test_a_second_build_refuses_while_one_publishes(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    with build_lock(dist):
        out = pobratim("build", "--out", str(dist), cwd=REPO)
    assert out.returncode == 1
    assert "another build is publishing" in out.stderr and f"pid {os.getpid()}" in out.stderr
    assert not dist.exists()


def test_what_killed_builds_left_is_removed_by_the_next(tmp_path: Path) -> None:
    layout = replace(SEED, dist=tmp_path / "dist")
    builds = builds_folder(layout.dist)
    (builds / "build-20260101T000000-999999" / "store").mkdir(parents=True)  # a build killed half-way
    (builds / ".build-20260101T000000-999999.load.trig").write_text("")
    run_build(layout, DEFAULT_BASE, BUILT_AT)
    left = sorted(p.name for p in builds.iterdir())
    assert left == [".lock", layout.dist.resolve().name]


def test_no_build_anybody_reads_is_pruned(tmp_path: Path) -> None:
    layout = replace(SEED, dist=tmp_path / "dist")
    run_build(layout, DEFAULT_BASE, BUILT_AT)
    first = layout.dist.resolve()
    lease = published.lease(first)  # a server still reads the first build
    try:
        for n in range(1, KEEP_BUILDS + 2):
            run_build(layout, DEFAULT_BASE, BUILT_AT + timedelta(minutes=n))
        assert first.is_dir(), "a build a reader holds was pruned"
    finally:
        os.close(lease)
    run_build(layout, DEFAULT_BASE, BUILT_AT + timedelta(hours=1))
    assert not first.exists()
    complete = [p for p in builds_folder(layout.dist).iterdir() if (p / published.MANIFEST).exists()]
    assert len(complete) == KEEP_BUILDS


def test_a_claim_keeps_readers_off_and_a_reader_keeps_claims_off(tmp_path: Path) -> None:
    layout = replace(SEED, dist=tmp_path / "dist")
    run_build(layout, DEFAULT_BASE, BUILT_AT)
    build = layout.dist.resolve()
    # The same build by its folder and by the link: one claim, not two that would wait on each other.
    with published.claimed([build, layout.dist, tmp_path / "gone"]) as free:
        assert free
        assert published.in_use(build)  # a claim looks like a reader to other claims
    with published.claimed([build]) as free:
        assert free
        leased: list[int] = []
        reader = threading.Thread(target=lambda: leased.append(published.lease(build)))
        reader.start()
        reader.join(0.5)
        assert not leased  # a reader's lease waits while the build is claimed
    reader.join(5)
    assert len(leased) == 1  # and is taken once the claim ends
    try:
        with published.claimed([layout.dist]) as free:
            assert not free
    finally:
        os.close(leased[0])
    assert not published.in_use(build)


def test_the_server_moves_to_a_new_build_by_itself(tmp_path: Path) -> None:
    layout = replace(SEED, dist=tmp_path / "dist")
    run_build(layout, DEFAULT_BASE, BUILT_AT)
    first = layout.dist.resolve()
    with serving(layout.dist, WEB_WORKERS="1") as live:
        before = live.get("/health").json()
        run_build(layout, DEFAULT_BASE, datetime(2027, 1, 1, tzinfo=UTC))
        # During the move the old web process answers beside the new one until granian stops it (its respawn
        # interval is 3.5 s): wait until every answer for longer than that comes from the new build.
        deadline, fresh, now = time.monotonic() + 60, 0, before
        while fresh < 12:
            assert time.monotonic() < deadline, "the server did not move to the new build"
            now = live.get("/health").json()
            fresh = fresh + 1 if now["version"] != before["version"] else 0
            time.sleep(0.4)
        assert now["built"].startswith("2027-01-01") and now["dist"] == layout.dist.resolve().name
        for path in ("/", "/dumps/", "/.well-known/void", "/dumps/pobratim.ttl", "/id/place/bg/kazanlak.ttl"):
            assert live.get(path).status_code == 200, path
        assert first.is_dir()  # the previous build is kept for servers that have not moved yet


def test_a_concurrent_build_in_process_gets_a_build_error(tmp_path: Path) -> None:
    layout = replace(SEED, dist=tmp_path / "dist")
    with build_lock(layout.dist), pytest.raises(BuildError, match="another build is publishing"):
        run_build(layout, DEFAULT_BASE, BUILT_AT)
