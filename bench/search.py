"""Measure place search: how long the index takes to build and each kind of lookup takes (p50/p99).

Run on a world-scale build::

    .venv/bin/python -m bench.synth --towns 10000 --out /tmp/w
    .venv/bin/pobratim build --data /tmp/w --out /tmp/wd
    .venv/bin/python -m bench.search --dist /tmp/wd [--http]

The queries are the build's own labels, deterministically sampled, as people type them: exact, upper case,
a three-letter prefix, one letter wrong, and words that name no place. It prints one table; not a test.
"""

import argparse
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from pobratim import published
from pobratim.endpoint import create_app
from pobratim.endpoint.search_index import SearchIndex, search_index
from pobratim.endpoint.state import state


def typo(text: str, rng: random.Random) -> str:
    """Change one letter of ``text`` (not the first: people get the first one right)."""
    letters = [i for i, c in enumerate(text) if c.isalpha()][1:]
    if not letters:
        return text
    at = rng.choice(letters)
    return text[:at] + ("a" if text[at] != "a" else "e") + text[at + 1 :]


KINDS: dict[str, Callable[[str, random.Random], str]] = {
    "exact label": lambda label, _rng: label,
    "upper case": lambda label, _rng: label.upper(),
    "prefix (3 letters)": lambda label, _rng: label[:3],
    "one letter wrong": typo,
    "no such place": lambda label, rng: f"qz{rng.randrange(10**6)}xv",
}


def percentile(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def measure(index: SearchIndex, queries: list[str]) -> list[float]:
    times = []
    for q in queries:
        t = time.perf_counter()
        index.lookup(q)
        times.append((time.perf_counter() - t) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, default=Path("dist"), help="a published build (default %(default)s)")
    parser.add_argument("--queries", type=int, default=2000, help="lookups of each kind (default %(default)s)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--http", action="store_true", help="also time GET /search through the app, in process")
    args = parser.parse_args()
    store = ox.Store.read_only(str(args.dist / published.STORE))
    t = time.perf_counter()
    index = search_index(store)
    built = time.perf_counter() - t
    quads = len(store)
    rng = random.Random(args.seed)
    sample = [rng.choice(index.labels) for _ in range(args.queries)]
    print(f"{quads:,} quads, {len(index.iris):,} places, {len(index.labels):,} labels; index built in {built:.2f} s")
    print(f"{'lookup':<20} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    everything: list[float] = []
    for name, make in KINDS.items():
        times = measure(index, [make(label, rng) for label in sample])
        everything += times
        row(name, times)
    row("all", everything)
    if args.http:
        # The whole request in process (routing, negotiation, labels, JSON), without the network.
        app = create_app({"DIST": str(args.dist)})
        client = app.test_client()
        queries = [make(label, rng) for label in sample for make in KINDS.values()]
        times = []
        try:
            for q in queries:
                t = time.perf_counter()
                response = client.get("/search", query_string={"q": q}, headers={"Accept": "application/json"})
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200
        finally:
            state(app).pool.close()
        row("GET /search (JSON)", times)


def row(name: str, times: list[float]) -> None:
    print(f"{name:<20} {statistics.median(times):8.3f} {percentile(times, 0.99):8.3f} {max(times):8.3f}")


if __name__ == "__main__":
    main()
