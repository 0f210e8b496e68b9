"""What a query costs the web process that hands it to a query worker, against a bare round trip to a process.

Run: ``.venv/bin/python -m bench.pool --dist DIR --data DIR`` on a world build (``bench.peer``'s). It starts
the query server and a pool as a web process does, hands it distinct one-town lookups (``bench.peer``'s
shapes) and ``ASK {}``, one at a time from one thread, and prints the CPU the calling process spends per query
(the worker's own CPU is not counted), beside a pickled round trip over a Unix socket to a forked process that
answers at once: the floor of any channel to a worker. It is not a test.
"""

import argparse
import os
import socket
import time
from multiprocessing.connection import Connection
from pathlib import Path

import yaml

from bench.peer import SHAPES
from pobratim.oxigraph.backend import open_pool
from pobratim.settings import Settings
from pobratim.sparql.answers import Answer, Outcome, QueryJob

RUNS = 2000


def bare_round_trip(job: QueryJob, answer: Answer) -> float:
    """CPU µs the caller spends per pickled round trip to a forked process that answers ``answer`` at once."""
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        ours.close()
        conn = Connection(theirs.detach())
        while True:
            try:
                conn.recv()
            except EOFError:
                os._exit(0)
            conn.send(answer)
    theirs.close()
    conn = Connection(ours.detach())
    started = time.process_time()
    for _ in range(RUNS):
        conn.send(job)
        conn.poll(10)
        conn.recv()
    used = time.process_time() - started
    conn.close()
    os.waitpid(pid, 0)
    return used / RUNS * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, required=True, help="a world build")
    parser.add_argument("--data", type=Path, required=True, help="its input, for the town list")
    args = parser.parse_args()
    dist = args.dist.resolve()
    places = sorted(yaml.safe_load((args.data / "records" / "places.yaml").read_text(encoding="utf-8"))["places"])

    def jobs(text: str, round_: int) -> list[QueryJob]:
        towns = ("https://pobratim.example/id/place/" + places[(i * 7 + round_) % len(places)] for i in range(RUNS))
        return [
            QueryJob(text % {"town": town} + f"\n# {round_}", results_format="json", rdf_format=None, limit=10_000)
            for town in towns
        ]

    pool = open_pool(Settings(dist=dist), dist)
    try:
        cases = {**{f"lookup, {name}": text for name, text in SHAPES.items()}, "ASK {}": "ASK {} # %(town)s"}
        for text in cases.values():
            for job in jobs(text, 0):  # warm up: the workers copy the pages their reads touch
                pool.run(job, 10, 5)
        print(f"{'handed to a query worker (pool.run)':<40}{'CPU µs in the caller':>22}{'wall µs':>10}")
        last = None
        for label, text in cases.items():
            todo = jobs(text, 1)
            cpu, wall = time.process_time(), time.perf_counter()
            for job in todo:
                last = pool.run(job, 10, 5)
                assert last.outcome is Outcome.ANSWERED, last.message
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(f"{label:<40}{cpu / RUNS * 1e6:>22.0f}{wall / RUNS * 1e6:>10.0f}")
    finally:
        pool.close()
    assert last is not None
    print(f"{'bare pickled round trip (the floor)':<40}{bare_round_trip(jobs('ASK {}', 2)[0], last):>22.0f}")


if __name__ == "__main__":
    main()
