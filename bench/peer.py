"""pobratim against the Oxigraph server on the same data: lookups, resource pages, example queries, a runaway.

Run: ``make bench`` (or ``.venv/bin/python -m bench.peer`` once the world build exists: ``make
.cache/bench-world/dist/build.json``). It serves the world build (10,000 synthetic towns, about 1 M quads)
with ``pobratim serve`` and with ``oxigraph serve-read-only`` (the Rust server, PyPI's ``oxigraph``, the
engine pobratim is built on) over the very same on-disk store, loads both with wrk from Debian (2 threads,
distinct one-town lookups of two shapes that no cache can answer, with each server's CPU per lookup), times the
example queries on both, sends each a runaway query, and prints one table with the ratios. ``--lookups-only``
stops after the lookups; ``--set NAME=VALUE`` gives pobratim a setting (to compare settings in turns);
``--against DIR`` (repeatable) also serves pobratim from another source tree (a ``git worktree`` of the code
before a change), its lookups taken in the same turns, to compare code in the same run; ``--variant
NAME=VALUE[,…]`` (repeatable) serves this code again with other settings, in the same turns. With
``--build-towns N`` it first builds N synthetic towns in a child process and reports its time and peak memory.
It is not a test.
"""

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import psutil
import requests
import yaml

from bench.load import ONE_CLIENT
from bench.scale import QUERIES, WARM_UP_S, load, memory_mb, run, timed_http, wait_for
from pobratim import published
from tests.support.live import free_port, serving
from tests.support.processes import cpu_seconds

REPO = Path(__file__).resolve().parent.parent
WORLD = REPO / ".cache" / "bench-world"
OXIGRAPH = Path(sys.executable).parent / "oxigraph"
LOAD_S = 5  # seconds of each measured wrk run
ROUNDS = 3  # measured lookup runs per server, taken in turns
TIMEOUT_S = 10.0  # the query timeout both servers are given (pobratim's default QUERY_TIMEOUT)
JSON = "application/sparql-results+json"
# Three unbounded scans joined with no shared variable: ~10^18 rows to count. A server that cannot stop
# it keeps a core busy until it is killed.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# The two shapes of a one-town lookup: the bench's join of a town's twinnings and their start dates, and the
# town's own statements (a single anchored pattern: the shape the Oxigraph server answers fastest).
SHAPES = {"twins": QUERIES["town's twins"], "facts": "SELECT ?p ?o WHERE { <%(town)s> ?p ?o }"}


def shaped_path(prefix: str, shape: str, town: str) -> str:
    """The request path of one lookup of ``shape`` about ``town`` (``bench.scale.lookup_path``: its twins alone)."""
    return prefix + "?" + urlencode({"query": SHAPES[shape] % {"town": town}})


def start_oxigraph(store: Path, timeout: bool = False) -> tuple["subprocess.Popen[bytes]", str]:
    """Start the Oxigraph server read-only on ``store``, with the union default graph as pobratim's; return it
    and its query URL once it answers.

    ``timeout``: give it ``--timeout-s`` too. It starts one thread per query to watch the deadline, and under
    load that failed here ("Resource temporarily unavailable", then a panic that ended the server after
    1,900 such errors in 15 s of lookups): the load runs on the server without it, its fastest setting.
    """
    port = free_port()
    server = subprocess.Popen(
        [
            str(OXIGRAPH),
            "serve-read-only",
            "--location",
            str(store),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
            *(["--timeout-s", str(int(TIMEOUT_S))] if timeout else []),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    wait_for(url)
    return server, url


def runaway(url: str, pid: int) -> str:
    """Send the runaway query; say how it ended and whether the server still burns CPU afterwards."""
    started = time.perf_counter()
    try:
        r = requests.post(url, data={"query": RUNAWAY}, headers={"Accept": JSON}, timeout=TIMEOUT_S + 20)
        said = r.text.strip().splitlines()[0][:90] if r.text.strip() else ""
        ended = f"{r.status_code} after {time.perf_counter() - started:.1f} s ({said})"
    except requests.Timeout:
        ended = f"no answer in {TIMEOUT_S + 20:.0f} s"
    before = cpu_seconds(pid)
    time.sleep(3)
    busy = (cpu_seconds(pid) - before) / 3
    return f"{ended}; then {busy * 100:.0f} % CPU"


def example_queries(url: str, folder: Path) -> dict[str, float]:
    """Median seconds of each example query (three runs, none from a cache)."""
    return {p.stem: timed_http(url, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.rq"))}


def build(towns: int) -> str:
    """Build ``towns`` synthetic towns in child processes; return the build's time, quads and peak memory."""
    with tempfile.TemporaryDirectory(prefix="pobratim-peer-") as work:
        data, dist = Path(work) / "data", Path(work) / "dist"
        run([sys.executable, "-m", "bench.synth", "--towns", str(towns), "--seed", "1", "--out", str(data)])
        seconds, peak_kb, log = run(
            [sys.executable, "-m", "pobratim", "build", "--data", str(data), "--out", str(dist)]
        )
        quads = next(x for x in log.splitlines() if x.startswith("published")).split()[1]
        return f"{towns} towns, {quads} quads: built, gated and published in {seconds:.1f} s, peak {peak_kb >> 10} MB"


class CpuMeter:
    """CPU seconds (user + system) a process and all its descendants use while it runs, those that end during
    the run included (pobratim replaces query workers: their CPU leaves the tree with them)."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.first: dict[int, float] = {}  # pid: CPU seconds when first seen
        self.last: dict[int, float] = {}  # pid: CPU seconds when last seen
        self.sample()
        self.first = dict(self.last)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def sample(self) -> None:
        for p in [self.root, *self.root.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                self.last[p.pid] = cpu_seconds(p.pid)

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            with contextlib.suppress(psutil.NoSuchProcess):
                self.sample()

    def stop(self) -> float:
        """Stop measuring; return the CPU seconds used since the start."""
        self._stop.set()
        self._thread.join()
        with contextlib.suppress(psutil.NoSuchProcess):
            self.sample()
        return sum(cpu - self.first.get(pid, 0.0) for pid, cpu in self.last.items())


def lookup_rounds(
    servers: dict[str, tuple[str, str, int]], towns: list[str], connections: int
) -> dict[str, tuple[float, float, float, float]]:
    """Load each server with distinct lookups of each shape, rounds taken in turns; the median of each, with the
    server's CPU per lookup (all its processes; on a shared machine it moves less than the rate)."""
    rows: dict[str, tuple[float, float, float, float]] = {}
    for shape in SHAPES:
        lookups = {name: [shaped_path(path, shape, town) for town in towns] for name, (_b, path, _p) in servers.items()}
        for name, (base, _path, _pid) in servers.items():
            # Warm up as any load test does: every process, thread and page of the store that lookups touch.
            load(base, lookups[name], JSON, WARM_UP_S, connections, unique=True)
        # Rounds taken in turns, the median kept: a burst of other work on the machine hits one round, not one
        # server's every figure.
        runs: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in servers}
        for _round in range(ROUNDS):
            for name, (base, _path, pid) in servers.items():
                meter = CpuMeter(pid)
                rps, p50, p99 = load(base, lookups[name], JSON, LOAD_S, connections, unique=True)
                runs[name].append((rps, p50, p99, meter.stop() / (rps * LOAD_S) * 1e6))
        for name, measured in runs.items():
            rows[f"{name} lookups, {shape}"] = sorted(measured)[len(measured) // 2]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, default=WORLD / "dist", help="the build to serve (default %(default)s)")
    parser.add_argument("--data", type=Path, default=WORLD / "data", help="its input, for the town list")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default %(default)s)")
    parser.add_argument("--build-towns", type=int, default=0, help="also time a build of this many towns")
    parser.add_argument("--lookups-only", action="store_true", help="only the lookups: no pages, queries, runaway")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="a pobratim setting (repeatable)"
    )
    parser.add_argument(
        "--against",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="also serve pobratim from this source tree (repeatable; lookups only)",
    )
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME=VALUE[,NAME=VALUE]",
        help="also serve this pobratim with these settings (repeatable; lookups only)",
    )
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, {socket.gethostname()}, Python {sys.version.split()[0]}", flush=True)
    if args.build_towns:
        print(build(args.build_towns), flush=True)
    dist = args.dist.resolve()
    places = sorted(yaml.safe_load((args.data / "records" / "places.yaml").read_text(encoding="utf-8"))["places"])
    towns = ["https://pobratim.example/id/place/" + key for key in places]
    queries: dict[str, dict[str, float]] = {}
    stopped: dict[str, str] = {}
    settings = {**ONE_CLIENT, "QUERY_TIMEOUT": str(TIMEOUT_S), **dict(x.split("=", 1) for x in args.set)}
    oxigraph, ox_url = start_oxigraph(dist / published.STORE)
    try:
        with contextlib.ExitStack() as stack:
            live = stack.enter_context(serving(dist, settings=settings))
            servers = {"pobratim": (live.url, "/sparql", live.process.pid)}
            for tree in args.against:
                other = stack.enter_context(serving(dist, cwd=tree.resolve(), settings=settings))
                servers[f"pobratim@{tree.name}"] = (other.url, "/sparql", other.process.pid)
            for variant in args.variant:
                changed = dict(x.split("=", 1) for x in variant.split(","))
                other = stack.enter_context(serving(dist, settings={**settings, **changed}))
                servers[f"pobratim[{variant}]"] = (other.url, "/sparql", other.process.pid)
            servers["oxigraph"] = (ox_url.rsplit("/", 1)[0], "/query", oxigraph.pid)
            rows: dict[str, tuple[float, ...]] = {**lookup_rounds(servers, towns, args.connections)}
            if args.lookups_only or args.against or args.variant:
                report(rows, {}, {}, (memory_mb(live.process.pid), memory_mb(oxigraph.pid)))
                return
            for name, (base, path, _pid) in servers.items():
                queries[name] = example_queries(base + path, dist / published.QUERIES)
            pages = [f"/id/place/{key}.html" for key in places]
            load(live.url, pages[-2000:], "text/html", 2, args.connections)
            # Fewer requests than towns in the run (at ≤ 2,000/s): each page is asked once, never from a cache.
            rows["pobratim pages"] = load(live.url, pages[:-2000], "text/html", LOAD_S, args.connections)
            memory = memory_mb(live.process.pid), memory_mb(oxigraph.pid)
            pid = live.process.pid
            stopped["pobratim"] = runaway(live.url + "/sparql", pid)
    finally:
        oxigraph.kill()
        oxigraph.wait(10)
    oxigraph, ox_url = start_oxigraph(dist / published.STORE, timeout=True)
    try:
        stopped["oxigraph --timeout-s"] = runaway(ox_url, oxigraph.pid)
    finally:
        oxigraph.kill()
        oxigraph.wait(10)
    report(rows, queries, stopped, memory)


def report(
    rows: dict[str, tuple[float, ...]],
    queries: dict[str, dict[str, float]],
    stopped: dict[str, str],
    memory: tuple[float, float],
) -> None:
    """Print the table and the ratios to the Oxigraph server."""
    print(f"\n{'load (wrk, distinct)':<30}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'CPU µs/req':>12}{'vs oxigraph':>13}")
    for label, (rps, p50, p99, *cpu) in rows.items():
        peer = rows.get("oxigraph" + label[label.index(" lookups") :]) if " lookups" in label else None
        ratio = f"{rps / peer[0]:>12.2f}x" if peer else ""
        per = f"{cpu[0]:>12.0f}" if cpu else f"{'':>12}"
        print(f"{label:<30}{rps:>9.0f}{p50:>9.1f}{p99:>9.1f}{per}{ratio}")
    if queries:
        print(f"\n{'example query':<24}{'pobratim s':>12}{'oxigraph s':>12}{'pobratim/oxigraph':>19}")
        for name in queries["pobratim"]:
            ours, theirs = queries["pobratim"][name], queries["oxigraph"][name]
            print(f"{name:<24}{ours:>12.4f}{theirs:>12.4f}{ours / theirs:>18.2f}x")
        total = statistics.fmean(queries["pobratim"][n] / queries["oxigraph"][n] for n in queries["pobratim"])
        print(f"{'(mean ratio)':<24}{'':>24}{total:>18.2f}x")
    if stopped:
        print(f"\nrunaway query ({TIMEOUT_S:g} s timeout on both):")
        for name, text in stopped.items():
            print(f"  {name:<10}{text}")
    print(f"memory after the load (PSS, with children): pobratim {memory[0]:.0f} MB, oxigraph {memory[1]:.0f} MB")


if __name__ == "__main__":
    main()
