"""The per-request floor of granian's interfaces (WSGI, RSGI, ASGI) and of Flask on WSGI, by threading setting.

Run: ``.venv/bin/python -m bench.floor`` (wrk from Debian). Each configuration serves a minimal application
(``bench.floor_apps``) from one granian web process on loopback, is loaded by wrk (2 threads, 8 connections)
for a few seconds, and prints requests/s, p99 and the server's CPU per request (user + system, all its
threads, over the run): on a shared machine the CPU per request moves less than the rate. Configurations are
taken in turns, ``--rounds`` times, and the median of each kept. With ``--dist DIR --data DIR``, it measures
instead distinct one-town lookups (``bench.peer``'s *facts* shape) answered from that build's on-disk store by a
bare WSGI handler (in the web process, no check, no worker) and by the Oxigraph server. It is not a test.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil
import requests
import yaml

from bench.peer import OXIGRAPH, shaped_path
from bench.scale import load
from pobratim import published
from tests.support.live import free_port
from tests.support.processes import cpu_seconds

GRANIAN = Path(sys.executable).parent / "granian"
# name: (interface, application, extra granian options)
CONFIGS: dict[str, tuple[str, str, list[str]]] = {
    "wsgi, 16 threads": ("wsgi", "bench.floor_apps:wsgi", ["--blocking-threads", "16"]),
    "wsgi, 1 thread": ("wsgi", "bench.floor_apps:wsgi", ["--blocking-threads", "1"]),
    "wsgi, 16 threads, backpressure 1": (
        "wsgi",
        "bench.floor_apps:wsgi",
        ["--blocking-threads", "16", "--backpressure", "1"],
    ),
    "wsgi, st runtime": ("wsgi", "bench.floor_apps:wsgi", ["--blocking-threads", "16", "--runtime-mode", "st"]),
    "flask on wsgi, 16 threads": ("wsgi", "bench.floor_apps:flask", ["--blocking-threads", "16"]),
    "flask on wsgi, 1 thread": ("wsgi", "bench.floor_apps:flask", ["--blocking-threads", "1"]),
    "rsgi": ("rsgi", "bench.floor_apps:rsgi", []),
    "asgi": ("asgi", "bench.floor_apps:asgi", []),
}
# With --dist: the facts lookup answered from the on-disk store, by the least a WSGI handler can do (in the web
# process, no check, no worker) and by the Oxigraph server on the same store.
LOOKUPS: dict[str, tuple[str, str, list[str]]] = {
    "oxigraph server, lookups": ("oxigraph", "", []),
    "bare wsgi lookup, 16 threads": ("wsgi", "bench.floor_apps:lookup", ["--blocking-threads", "16"]),
    "bare wsgi lookup, 2 threads": ("wsgi", "bench.floor_apps:lookup", ["--blocking-threads", "2"]),
    "bare wsgi lookup, 2 processes": ("wsgi", "bench.floor_apps:lookup", ["--blocking-threads", "8", "--workers", "2"]),
}


def cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its children."""
    proc = psutil.Process(pid)
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        total += cpu_seconds(p.pid)
    return total


def measure(
    interface: str, app: str, options: list[str], seconds: int, paths: list[str] | None = None
) -> tuple[float, float, float]:
    """Serve ``app`` on ``interface`` (``oxigraph``: the Oxigraph server on ``FLOOR_STORE``); return requests/s,
    p99 ms and CPU µs per request. ``paths``: distinct lookups to ask (each with a comment of its own)."""
    port = free_port()
    if interface == "oxigraph":
        command = [str(OXIGRAPH), "serve-read-only", "--location", os.environ["FLOOR_STORE"], "--union-default-graph"]
        command += ["--bind", f"127.0.0.1:{port}"]
    else:
        command = [str(GRANIAN), "--interface", interface, "--port", str(port), "--workers", "1", "--no-ws"]
        command += [*options, app]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(base + "/", timeout=2)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        asked = paths or ["/"]
        load(base, asked, "application/sparql-results+json", 3, 8, unique=bool(paths))  # warm up
        before = cpu(server.pid)
        rps, _p50, p99 = load(base, asked, "application/sparql-results+json", seconds, 8, unique=bool(paths))
        used = cpu(server.pid) - before
        return rps, p99, used / (rps * seconds) * 1e6
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="configurations to run (default: all)")
    parser.add_argument("--dist", type=Path, help="also: distinct lookups on this build's store, no checks at all")
    parser.add_argument("--data", type=Path, help="the build's input, for the town list (with --dist)")
    args = parser.parse_args()
    configs, paths = dict(CONFIGS), None
    if args.dist:
        os.environ["FLOOR_STORE"] = str(args.dist.resolve() / published.STORE)
        places = yaml.safe_load((args.data / "records" / "places.yaml").read_text(encoding="utf-8"))["places"]
        paths = [shaped_path("/query", "facts", "https://pobratim.example/id/place/" + key) for key in sorted(places)]
        configs = dict(LOOKUPS)
    chosen = {k: v for k, v in configs.items() if not args.only or k in args.only}
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in chosen}
    for _ in range(args.rounds):
        for name, (interface, app, options) in chosen.items():
            runs[name].append(measure(interface, app, options, args.seconds, paths))
    reference = statistics.median(r[0] for r in runs[next(iter(runs))])
    title = "lookups, facts" if args.dist else "granian, one web process"
    print(f"{title:<36}{'req/s':>9}{'p99 ms':>9}{'CPU µs/req':>12}{'vs first':>10}")
    for name, measured in runs.items():
        rps = statistics.median(r[0] for r in measured)
        p99 = statistics.median(r[1] for r in measured)
        per = statistics.median(r[2] for r in measured)
        print(f"{name:<36}{rps:>9.0f}{p99:>9.1f}{per:>12.0f}{rps / reference:>9.2f}x")


if __name__ == "__main__":
    main()
