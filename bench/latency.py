"""Measure the endpoint's latency on loopback: a simple SELECT and a resource page (p50/p99, req/s).

Run: ``.venv/bin/python -m bench.latency [--requests N] [--concurrency C]`` after ``pobratim build``.
It starts the real server (granian) on a free port and prints one table; it is not a test.
"""

import argparse
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from bench.load import ONE_CLIENT
from pobratim.core.layout import Layout
from tests.support.live import serving

REPO = Path(__file__).resolve().parent.parent

SIMPLE = (
    "SELECT ?partner WHERE { ?t <https://pobratim.example/ontology#party> "
    "<https://pobratim.example/id/place/bg/kazanlak>, ?partner }"
)
CASES = {
    "simple SELECT (JSON)": ("/sparql", {"query": SIMPLE}, {"Accept": "application/sparql-results+json"}),
    "resource page (HTML)": ("/id/place/bg/kazanlak.html", {}, {}),
    "resource data (Turtle)": ("/id/place/bg/kazanlak.ttl", {}, {}),
}


def measure(url: str, params: dict[str, str], headers: dict[str, str], n: int, concurrency: int) -> dict[str, float]:
    session = requests.Session()

    def one(_i: int) -> float:
        t = time.perf_counter()
        r = session.get(url, params=params, headers=headers, timeout=60)
        r.raise_for_status()
        return (time.perf_counter() - t) * 1000

    for i in range(10):
        one(i)  # warm up
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        times = sorted(pool.map(one, range(n)))
    wall = time.perf_counter() - started
    return {"p50": statistics.median(times), "p99": times[int(len(times) * 0.99) - 1], "rps": n / wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--dist", type=Path, default=Layout.at(REPO).dist)
    args = parser.parse_args()
    with serving(args.dist, settings=ONE_CLIENT) as live:
        print(f"{args.requests} requests per case, concurrency {args.concurrency}, loopback, granian")
        print(f"{'case':<26}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>9}")
        for name, (path, params, headers) in CASES.items():
            m = measure(live.url + path, params, headers, args.requests, args.concurrency)
            print(f"{name:<26}{m['p50']:>9.1f}{m['p99']:>9.1f}{m['rps']:>9.0f}")


if __name__ == "__main__":
    main()
