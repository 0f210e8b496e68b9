"""Embedded Oxigraph against Virtuoso on the same build, and reads scaled with web processes over one Virtuoso.

Run: ``make bench`` (or ``.venv/bin/python -m bench.virtuoso --dist .cache/bench-world/dist``) on the 1 M-quad
world (``make .cache/bench-world/dist/build.json``). It starts a Virtuoso of its own (free loopback ports, a
temporary folder), loads the build (timing each step), then a second build into a second database beside it
(blue/green, as `pobratim virtuoso load` does; ``--no-reload`` skips it), serves the build with pobratim on
each store and measures, in one run: the example queries (``queries/*.rq``) and a runaway query on both;
distinct one-town lookups with wrk (Debian's package) on both; then the lookups with N = 1, 2, 4 web processes
over the one Virtuoso. It prints one table; it is not a test. Everything runs on loopback, each load is
bounded.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import requests

from bench.load import ONE_CLIENT
from bench.scale import load, lookup_path
from pobratim import published, settings
from pobratim.virtuoso.config import Ports
from pobratim.virtuoso.instance import Instance
from pobratim.virtuoso.loader import load as load_build
from tests.support.live import free_port, serving
from tests.support.processes import cpu_seconds
from tests.support.queries import ENDLESS

PLACE = "https://schema.org/Place"
JSON = "application/sparql-results+json"
WEB_PROCESSES = (1, 2, 4)


def towns(dist: Path, limit: int = 5000) -> list[str]:
    """The first ``limit`` places of the build, for distinct lookups."""
    store = ox.Store.read_only(str(dist / published.STORE))
    quads = store.quads_for_pattern(None, None, ox.NamedNode(PLACE), ox.DefaultGraph())
    found = [q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)]
    return sorted(found)[:limit]


def timed(url: str, query: str, timeout: float) -> tuple[float, int]:
    """Seconds and status of one POSTed query (a comment of its own: never from the answer cache)."""
    text = f"{query}\n# {time.time_ns()}\n"
    t = time.perf_counter()
    r = requests.post(url, data={"query": text}, headers={"Accept": JSON}, timeout=timeout)
    return time.perf_counter() - t, r.status_code


def runaway(url: str, timeout: float, virtuoso_pid: int | None) -> str:
    """Run the runaway query; say how it ended and, on Virtuoso, how soon after its CPU was idle."""
    seconds, status = timed(url, ENDLESS, timeout + 30)
    note = f"{status} after {seconds:.1f} s"
    if virtuoso_pid is not None:
        for second in range(1, 31):
            before = cpu_seconds(virtuoso_pid)
            time.sleep(1)
            if cpu_seconds(virtuoso_pid) - before < 0.05:
                return note + f"; Virtuoso idle within {second} s"
        note += "; Virtuoso still busy 30 s later"
    return note


def renamed_copy(dist: Path, folder: Path) -> Path:
    """The same build under another version (links to its files, one more line in its checksum list)."""
    copy = folder / "dist-again"
    copy.mkdir()
    for entry in dist.iterdir():
        if entry.name != published.CHECKSUMS:
            (copy / entry.name).symlink_to(entry)
    text = (dist / published.CHECKSUMS).read_text(encoding="utf-8")
    (copy / published.CHECKSUMS).write_text(text + "0  bench-reload\n", encoding="utf-8")
    return copy


def lookups(base: str, paths: list[str], seconds: int, connections: int) -> tuple[float, float, float]:
    load(base, paths, JSON, 2, connections, unique=True)  # warm up: web processes, connections, caches
    return load(base, paths, JSON, seconds, connections, unique=True)


class Rows(list[tuple[str, str, str]]):
    """The table's rows, each also printed as it is measured (a later failure loses none)."""

    def append(self, row: tuple[str, str, str]) -> None:
        print("  ".join(row), file=sys.stderr, flush=True)
        super().append(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, default=Path(".cache/bench-world/dist"))
    parser.add_argument("--seconds", type=int, default=5, help="seconds of each wrk run (default %(default)s)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default %(default)s)")
    parser.add_argument(
        "--reload",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="time a second build's load into the other database (blue/green)",
    )
    args = parser.parse_args()
    dist = args.dist.resolve()
    manifest = published.Manifest.read(dist)
    config = settings.load(environ={})
    timeout = config.query_timeout
    paths = [lookup_path("/sparql", town) for town in towns(dist)]
    queries = {p.stem: p.read_text(encoding="utf-8") for p in sorted((dist / published.QUERIES).glob("*.rq"))}
    rows = Rows()

    with tempfile.TemporaryDirectory(prefix="bench-virtuoso-") as folder:
        pair = [Instance(Path(folder) / str(n), Ports(free_port(), free_port())) for n in (1, 2)]
        started = time.perf_counter()
        pair[0].start(config)
        try:
            rows.append(("Virtuoso start (new database)", f"{time.perf_counter() - started:.1f} s", ""))
            loaded = load_build(pair[:1], dist, config)
            steps = ", ".join(f"{k} {v:.1f} s" for k, v in loaded.timings.items())
            rows.append((f"load {manifest.quads:,} quads", f"{sum(loaded.timings.values()):.1f} s", steps))
            serving_url = loaded.url
            if args.reload:
                dist = renamed_copy(dist, Path(folder))  # served from here on: the build Virtuoso then holds
                again = load_build(pair, dist, config)
                steps = ", ".join(f"{k} {v:.1f} s" for k, v in again.timings.items())
                rows.append(("load a new build beside it", f"{sum(again.timings.values()):.1f} s", steps))
                serving_url = again.url
            instance = next(i for i in pair if i.url == serving_url)
            virtuoso = {**ONE_CLIENT, "STORE": "virtuoso", "VIRTUOSO_URL": ",".join(i.url for i in pair)}
            for store, extra in (("embedded", dict(ONE_CLIENT)), ("virtuoso", virtuoso)):
                with serving(dist, settings=extra) as live:
                    url = live.url + "/sparql"
                    for name, text in queries.items():
                        seconds, status = timed(url, text, timeout + 30)
                        rows.append((f"{name} ({store})", f"{seconds * 1000:.0f} ms", str(status)))
                    pid = instance.pid() if store == "virtuoso" else None
                    rows.append((f"runaway query ({store})", runaway(url, timeout, pid), ""))
                    rps, p50, p99 = lookups(live.url, paths, args.seconds, args.connections)
                    rows.append(
                        (
                            f"distinct lookups ({store}, 2 web)",
                            f"{rps:.0f} req/s",
                            f"p50 {p50:.1f} ms, p99 {p99:.1f} ms",
                        )
                    )
            for n in WEB_PROCESSES:
                with serving(dist, settings={**virtuoso, "WEB_WORKERS": str(n), "QUERY_WORKERS": "4"}) as live:
                    rps, p50, p99 = lookups(live.url, paths, args.seconds, args.connections)
                    rows.append(
                        (
                            f"replicas: {n} web over 1 Virtuoso",
                            f"{rps:.0f} req/s",
                            f"p50 {p50:.1f} ms, p99 {p99:.1f} ms",
                        )
                    )
        finally:
            for one in pair:
                one.stop()

    print(
        f"{manifest.quads:,} quads in {manifest.graphs:,} graphs; wrk {args.connections} connections, "
        f"{args.seconds:g} s a run, loopback, {os.cpu_count()} cores; QUERY_TIMEOUT {timeout:g} s"
    )
    width = max(len(r[0]) for r in rows) + 2
    for what, figure, note in rows:
        print(f"{what:<{width}}{figure:>16}  {note}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
