"""A damaged build is refused before the server listens: a clear message naming what is damaged, no
traceback, exit status 1; and a server does not move to a damaged new build."""

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from pobratim import published

from .conftest import Built
from .support.cli import pobratim
from .support.live import free_port, serving
from .support.paths import REPO


def _copy(built: Built, tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    shutil.copytree(built.dist.resolve(), dist)
    return dist


def _serve(dist: Path) -> subprocess.CompletedProcess[str]:
    return pobratim("serve", "--dist", str(dist), "--port", str(free_port()), cwd=REPO, timeout=120)


def _largest_sst(dist: Path) -> Path:
    return max((dist / published.STORE).glob("*.sst"), key=lambda p: p.stat().st_size)


def test_a_truncated_store_file_is_refused_before_listening(built: Built, tmp_path: Path) -> None:
    dist = _copy(built, tmp_path)
    sst = _largest_sst(dist)
    with sst.open("r+b") as f:
        f.truncate(sst.stat().st_size // 2)
    out = _serve(dist)
    assert out.returncode == 1
    assert "cannot serve" in out.stderr and "is damaged" in out.stderr and sst.name in out.stderr, out.stderr
    assert "Traceback" not in out.stdout + out.stderr
    assert "serving" not in out.stdout and "Listening" not in out.stdout + out.stderr


@pytest.mark.parametrize("name", [published.TRIG, published.NTRIPLES_GZ, "queries/twinnings.rq"])
def test_a_changed_or_missing_published_file_is_refused(built: Built, tmp_path: Path, name: str) -> None:
    dist = _copy(built, tmp_path)
    path = dist / name
    if name == published.TRIG:
        path.unlink()
    else:
        with path.open("ab") as f:
            f.write(b"\n# changed by hand\n")
    out = _serve(dist)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert str(path) in out.stderr and ("checksum" in out.stderr or "cannot be read" in out.stderr), out.stderr


def test_a_running_server_stays_on_its_build_when_the_new_one_is_damaged(built: Built, tmp_path: Path) -> None:
    good = _copy(built, tmp_path)
    damaged = tmp_path / "damaged"
    shutil.copytree(good, damaged)
    sst = _largest_sst(damaged)
    with sst.open("r+b") as f:
        f.truncate(sst.stat().st_size // 2)
    link = tmp_path / "current"
    link.symlink_to(good)
    with serving(link, WEB_WORKERS="1") as live:
        before = live.get("/health").json()
        swap = tmp_path / "swap"
        swap.symlink_to(damaged)
        swap.replace(link)  # as a build publishes: one rename
        live.server.wait_for("cannot serve the new build", timeout=30)
        assert "is damaged" in live.server.output and "Traceback" not in live.server.output
        time.sleep(2)  # looked at again, and said once
        assert live.server.output.count("cannot serve the new build") == 1
        assert live.get("/health").json()["dist"] == before["dist"] == good.name
        assert live.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
