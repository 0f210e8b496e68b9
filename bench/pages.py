"""Distinct resource pages (HTML) a second, against another checkout of pobratim serving the same build.

Run: ``.venv/bin/python -m bench.pages --against DIR`` once the world build exists (``make
.cache/bench-world/dist/build.json``); DIR is a checkout of an earlier pobratim (``git archive REV | tar -x -C
DIR``), served on the very same build folder from the same interpreter, so that both figures come from one run
on one machine. Each server is warmed up on pages the measured runs never ask for, then loaded with wrk (2
threads, 8 connections) over every town's page in turn, in alternating rounds, the median kept: no page is
asked twice in a run, so no cache answers one. It also times the parts of a page in this process (the WSGI
application called directly) and, with ``--against``, the CPU of a whole page in each checkout, in turns on the
same pages (``bench/page_cpu.py``). It is not a test.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from flask import render_template

from bench.load import ONE_CLIENT
from bench.scale import load
from tests.support.live import Live, serving

Row = tuple[float, float, float]  # requests/s, p50 ms, p99 ms
WORLD = Path(__file__).resolve().parent.parent / ".cache" / "bench-world"
LOAD_S = 3  # seconds of each measured wrk run
ROUNDS = 2  # measured runs per server, taken in turns; the medians are printed
WARM_PAGES = 1500  # pages for warming up, never asked in a measured run
LANGUAGES = ("en", "bg")  # each town's page in each language: 20,000 distinct pages at 10,000 towns
CPU_PAGES = 250  # distinct pages of a paired CPU round, in each checkout
CPU_ROUNDS = 12


def parts(dist: Path, paths: list[str]) -> dict[str, float]:
    """Mean CPU µs of each part of a page, and of a whole request, in this process (no HTTP)."""
    from pobratim.endpoint import create_app
    from pobratim.endpoint.page_model import resource_page
    from pobratim.endpoint.routes.resources import jsonld_of, page_data
    from pobratim.endpoint.state import state
    from pobratim.page_index import read

    app = create_app({"DIST": str(dist)})
    st = state(app)
    names = [p.removeprefix("/").removesuffix(".html") for p in paths]

    def cpu(step: object, items: list[str]) -> float:
        started = time.process_time()
        for name in items:
            step(name)  # type: ignore[operator]
        return (time.process_time() - started) / len(items) * 1e6

    with app.test_request_context("/"):
        for name in names:
            page_data(name)  # the index's pages in the cache, as on a server that has run a while
        data = {n: page_data(n) for n in names}
        jsonld = {n: jsonld_of(data[n].description) for n in names}
        page = {n: resource_page(st, n, data[n], jsonld[n]) for n in names}
        found = {
            "index read": cpu(page_data, names),
            "store reads (as before the index)": cpu(lambda n: read(st.store, st.base + n), names),
            "embedded JSON-LD": cpu(lambda n: jsonld_of(data[n].description), names),
            "page model": cpu(lambda n: resource_page(st, n, data[n], jsonld[n]), names),
            "template": cpu(lambda n: render_template("resource.html", page=page[n], st=st, lang="en"), names),
        }
    client = app.test_client()
    found["whole request (test client)"] = cpu(lambda n: client.get(f"/{n}.html"), names)
    st.pool.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, default=WORLD / "dist", help="the build to serve (default %(default)s)")
    parser.add_argument("--data", type=Path, default=WORLD / "data", help="its input, for the town list")
    parser.add_argument("--against", type=Path, help="a checkout of another pobratim to serve the same build with")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default %(default)s)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}", flush=True)
    places = sorted(yaml.safe_load((args.data / "records" / "places.yaml").read_text(encoding="utf-8"))["places"])
    # A page's document is cached by path and language: each (town, language) is a page of its own.
    pages = [f"/id/place/{key}.html?lang={lang}" for lang in LANGUAGES for key in places]
    warm, measured = pages[:WARM_PAGES], pages[WARM_PAGES:]
    runs: dict[str, list[Row]] = {}
    with serving(args.dist.resolve(), settings=ONE_CLIENT) as ours:
        live = {"this checkout": ours}
        if args.against:
            command = ["env", f"PYTHONPATH={args.against.resolve()}", sys.executable, "-m", "pobratim"]
            with serving(args.dist.resolve(), settings=ONE_CLIENT, command=command, cwd=args.against) as theirs:
                live[str(args.against)] = theirs
                measure(live, warm, measured, args.connections, runs)
        else:
            measure(live, warm, measured, args.connections, runs)
    print(f"\n{'distinct town pages (wrk, 2 threads)':<40}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}")
    first = statistics.median(r[0] for r in runs["this checkout"])
    for name, found in runs.items():
        rps, p50, p99 = (statistics.median(r[i] for r in found) for i in range(3))
        print(f"{name[-40:]:<40}{rps:>9.0f}{p50:>9.1f}{p99:>9.1f}{rps / first:>7.2f}x")
        print(f"{'':<40}rounds: {', '.join(f'{r[0]:.0f}' for r in found)}")
    print("\nin-process CPU per page (this checkout, 300 towns), µs:")
    towns = [p.partition("?")[0] for p in measured[:300]]
    for name, us in parts(args.dist.resolve(), towns).items():
        print(f"  {name:<36}{us:>8.0f}")
    if args.against:
        cpu = paired_cpu(args.dist.resolve(), args.against, pages)
        print(f"\nCPU µs a distinct town page, whole WSGI application, {CPU_ROUNDS} rounds of {CPU_PAGES} in turns:")
        first_cpu = statistics.median(cpu["this checkout"])
        for name, times in cpu.items():
            print(f"{name[-40:]:<40}{statistics.median(times):>9.0f}{statistics.median(times) / first_cpu:>7.2f}x")
            print(f"{'':<40}rounds: {', '.join(f'{us:.0f}' for us in times)}")


def paired_cpu(dist: Path, against: Path, pages: list[str]) -> dict[str, list[float]]:
    """CPU µs a page through the whole WSGI application of this checkout and of ``against``, each in a process
    of its own (``bench/page_cpu.py``), given the same distinct pages in turns: a pair a round, whatever the
    machine's load then."""
    script = Path(__file__).resolve().with_name("page_cpu.py")
    checkouts = {"this checkout": Path(__file__).resolve().parent.parent, str(against): against.resolve()}
    found: dict[str, list[float]] = {name: [] for name in checkouts}
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as listed:
        listed.write("\n".join(pages) + "\n")
        listed.flush()
        workers = {
            name: subprocess.Popen(
                [sys.executable, str(script), str(dist), listed.name],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env={**os.environ, "PYTHONPATH": str(checkout)},
                cwd=checkout,
            )
            for name, checkout in checkouts.items()
        }
        try:

            def ask(name: str, first: int, last: int) -> float:
                worker = workers[name]
                assert worker.stdin is not None and worker.stdout is not None
                worker.stdin.write(f"{first} {last}\n")
                worker.stdin.flush()
                return float(worker.stdout.readline())

            for name, worker in workers.items():
                assert worker.stdout is not None and worker.stdout.readline().strip() == "ready", name
                ask(name, 0, WARM_PAGES // 5)
            at = WARM_PAGES // 5
            for round_ in range(CPU_ROUNDS):
                # Each round both serve the same pages, first one then the other, which goes first in turn.
                for name in list(checkouts)[:: 1 if round_ % 2 == 0 else -1]:
                    found[name].append(ask(name, at, at + CPU_PAGES))
                at += CPU_PAGES
        finally:
            for worker in workers.values():  # its input ends: it closes its query server and exits
                assert worker.stdin is not None
                worker.stdin.close()
            for worker in workers.values():
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
    return found


def measure(
    live: dict[str, Live], warm: list[str], measured: list[str], connections: int, runs: dict[str, list[Row]]
) -> None:
    """Warm each server up, then load them in turns, each round on pages no earlier round asked."""
    for server in live.values():
        load(server.url, warm, "text/html", 3, connections)
    per_run = len(measured) // (ROUNDS * len(live))
    at = 0
    for _round in range(ROUNDS):
        for name, server in live.items():
            found = load(server.url, measured[at : at + per_run], "text/html", LOAD_S, connections)
            runs.setdefault(name, []).append(found)
            if found[0] * LOAD_S > per_run:  # the list wrapped: some pages came from the cache
                print(f"  {name}: {found[0] * LOAD_S:.0f} requests over {per_run} pages: some were cached")
            at += per_run


if __name__ == "__main__":
    main()
