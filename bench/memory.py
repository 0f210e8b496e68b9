"""The server's memory at three moments: at rest, after distinct lookups, after the example queries.

Run: ``.venv/bin/python -m bench.memory`` once the world build exists (``make
.cache/bench-world/dist/build.json``, 10,000 synthetic towns, about 1 M quads). It serves the build with
``pobratim serve`` (default settings, the per-client budget raised as ``bench.load`` does) and prints the
proportional set sizes (PSS) of all its processes summed, and by role, at rest, after ``--lookup-s``
seconds of distinct lookups of each of ``bench.peer``'s two shapes, and after each example query run three
times (each of the last two also ``SETTLE_S`` seconds later). ``--against DIR`` (repeatable) does the same
for another source tree (a ``git worktree`` of the code before a change), the servers taken in turns, one
at a time, ``--rounds`` times; ``--set NAME=VALUE`` gives every server a setting. It is not a test.
"""

import argparse
import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import yaml

from bench.load import ONE_CLIENT
from bench.peer import JSON, SHAPES, TIMEOUT_S, WORLD, example_queries, shaped_path
from bench.scale import load
from pobratim import published
from pobratim.oxigraph.server import rollup
from tests.support.live import serving

SETTLE_S = 5  # seconds after a load: what the server holds once its query workers have been looked at
MOMENTS = ("at rest", "after lookups", f"{SETTLE_S} s later", "after examples", f"{SETTLE_S} s later")


@dataclass(frozen=True)
class Seen:
    """One process's memory at one moment, in MB."""

    role: str
    pss: float
    private: float


def _cmdline(process: psutil.Process) -> str:
    with contextlib.suppress(psutil.Error):
        return " ".join(process.cmdline())
    return ""


def _roles(root: int) -> Iterator[tuple[int, str]]:
    """Every process of the server whose main process is ``root``, with its role."""
    main = psutil.Process(root)
    yield root, "serve"
    for child in main.children(recursive=True):
        line = _cmdline(child)
        try:
            parent = child.parent()
            grandparent = parent.parent() if parent else None
        except psutil.Error:
            continue  # a query worker that has just ended
        # Forked processes keep the forkserver's command line: a worker is its grandchild, the query server its child.
        if grandparent and "multiprocessing.forkserver" in _cmdline(grandparent):
            yield child.pid, "query worker"
        elif parent and "multiprocessing.forkserver" in _cmdline(parent):
            yield child.pid, "query server"
        elif "multiprocessing.forkserver" in line:
            yield child.pid, "forkserver"
        elif " serve " in line and "multiprocessing" not in line:
            yield child.pid, "web process"
        else:
            yield child.pid, "other"


def measure(root: int) -> list[Seen]:
    """The PSS and private memory of every process of the server whose main process is ``root``."""
    seen = []
    for pid, role in _roles(root):
        memory = rollup(pid)
        if memory is not None:
            seen.append(Seen(role, memory.pss / 2**20, memory.private / 2**20))
    return seen


def describe(seen: list[Seen]) -> str:
    """One line: the total PSS, then each role's (its processes' PSS, and private memory where it differs)."""
    parts = [f"{sum(s.pss for s in seen):6.0f} MB in all"]
    for role in ("serve", "web process", "query server", "query worker", "forkserver", "other"):
        mine = [s for s in seen if s.role == role]
        if mine:
            private = role == "query worker"  # the rest share little but code
            each = ", ".join(f"{s.pss:.0f}" + (f" ({s.private:.0f} private)" if private else "") for s in mine)
            parts.append(f"{role}: {each}")
    return " | ".join(parts)


def moments(dist: Path, towns: list[str], settings: dict[str, str], cwd: Path | None, lookup_s: float) -> list[str]:
    """Serve ``dist`` from ``cwd`` (this tree by default); describe its memory at each moment, with the rates."""
    lines = []
    with serving(dist, cwd=cwd, settings=settings) as live:
        time.sleep(3)  # let the query workers start and the web processes settle
        lines.append(describe(measure(live.process.pid)))
        rates = []
        for shape in SHAPES:
            paths = [shaped_path("/sparql", shape, town) for town in towns]
            rps, _p50, p99 = load(live.url, paths, JSON, lookup_s, 8, unique=True)
            rates.append(f"{shape} {rps:.0f}/s p99 {p99:.0f} ms")
        lines.append(describe(measure(live.process.pid)) + " | " + ", ".join(rates))
        time.sleep(SETTLE_S)
        lines.append(describe(measure(live.process.pid)))
        took = example_queries(live.url + "/sparql", dist / published.QUERIES)
        lines.append(describe(measure(live.process.pid)) + f" | examples {sum(took.values()):.2f} s (medians summed)")
        time.sleep(SETTLE_S)
        lines.append(describe(measure(live.process.pid)))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, default=WORLD / "dist", help="the build to serve (default %(default)s)")
    parser.add_argument("--data", type=Path, default=WORLD / "data", help="its input, for the town list")
    parser.add_argument("--lookup-s", type=float, default=8, help="seconds of lookups of each shape (default 8)")
    parser.add_argument("--rounds", type=int, default=1, help="servers taken in turns this many times")
    parser.add_argument("--against", type=Path, action="append", default=[], metavar="DIR", help="another tree")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a setting (repeatable)")
    args = parser.parse_args()
    dist = args.dist.resolve()
    places = sorted(yaml.safe_load((args.data / "records" / "places.yaml").read_text(encoding="utf-8"))["places"])
    towns = ["https://pobratim.example/id/place/" + key for key in places]
    settings = {**ONE_CLIENT, "QUERY_TIMEOUT": str(TIMEOUT_S), **dict(x.split("=", 1) for x in args.set)}
    trees: dict[str, Path | None] = {"pobratim": None, **{f"pobratim@{t.name}": t.resolve() for t in args.against}}
    for turn in range(1, args.rounds + 1):
        for name, tree in trees.items():
            load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"\n{name}, round {turn} (load average {load_average}):", flush=True)
            for moment, line in zip(MOMENTS, moments(dist, towns, settings, tree, args.lookup_s), strict=True):
                print(f"  {moment:<15}{line}", flush=True)


if __name__ == "__main__":
    main()
