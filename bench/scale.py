"""World-scale benchmark: build synthetic inputs of several sizes, then time pobratim against its peers.

Run: ``make bench`` (or ``.venv/bin/python -m bench.scale --towns 40,200,400``). For each size it writes
a synthetic input (``pobratim synth``), builds it (``pobratim build`` in a child process, for its time and
peak memory), serves it with pobratim and with rdflib-endpoint (the Python peer, from PyPI), and runs the
same query mix on pobratim's endpoint, on rdflib-endpoint and on plain rdflib in this process, then a
short load of simple lookups on both servers. It prints one table and the ratio of each figure to the
peer's; it is not a test.
"""

import argparse
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import yaml
from rdflib import Dataset

from graph.paths import DIST_FILES, Layout
from tests.live import free_port, serving

QUERIES = {
    "town's twins": """SELECT ?partner ?start WHERE { GRAPH ?g { ?t a <https://pobratim.example/ontology#Twinning> ;
        <https://pobratim.example/ontology#party> <%(town)s>, ?partner . FILTER (?partner != <%(town)s>)
        OPTIONAL { ?t <https://schema.org/startDate> ?start } } }""",
    "per country": """SELECT ?country (COUNT(DISTINCT ?t) AS ?n) WHERE { GRAPH ?g { ?t
        <https://pobratim.example/ontology#party> ?p } ?p <http://www.geonames.org/ontology#countryCode> ?country }
        GROUP BY ?country ORDER BY DESC(?n) LIMIT 10""",
    "twinnings.rq": (Layout().queries / "twinnings.rq").read_text(encoding="utf-8"),
}


def run(cmd: list[str]) -> tuple[float, int, str]:
    """Run a command; return its wall time, the peak memory of the children (kB) and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return time.perf_counter() - started, max(after, before), out.stdout + out.stderr


LIMIT_S = 120.0  # a query slower than this is reported as "inf", not waited for
SLOW_S = 5.0  # a query slower than this is timed once, not three times


def timed_http(url: str, query: str, repeat: int = 3) -> float:
    """Median seconds for a query over HTTP (SPARQL JSON); infinity past the limit."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        try:
            r = requests.post(
                url, data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=LIMIT_S
            )
        except requests.Timeout:
            return float("inf")
        r.raise_for_status()
        times.append(time.perf_counter() - t)
        if times[-1] > SLOW_S:
            break  # one run of a slow query is measurement enough
    return statistics.median(times)


def timed_rdflib(ds: Dataset, query: str, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        list(ds.query(query))
        times.append(time.perf_counter() - t)
        if times[-1] > SLOW_S:
            break
    return statistics.median(times)


def load(url: str, query: str, n: int, concurrency: int) -> tuple[float, float, float]:
    """Send ``n`` GET requests from ``concurrency`` clients; return req/s, p50 ms and p99 ms."""
    session = requests.Session()

    def one(i: int) -> float:
        t = time.perf_counter()
        # Each request asks for a different page of the answer, so no cache answers for the server.
        session.get(
            url,
            params={"query": f"{query} LIMIT 100 OFFSET {i % 50}"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=600,
        ).raise_for_status()
        return (time.perf_counter() - t) * 1000

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        times = sorted(pool.map(one, range(n)))
    return n / (time.perf_counter() - started), statistics.median(times), times[int(len(times) * 0.99) - 1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (the query workers), in MB."""
    total_kb, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total_kb += int(next(x for x in status.splitlines() if x.startswith("VmRSS:")).split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total_kb / 1024


def start_peer(py: str, trig: Path) -> tuple["subprocess.Popen[bytes]", str]:
    """Start rdflib-endpoint on the TriG dump; return it and its URL once it answers."""
    port = free_port()
    peer = subprocess.Popen(
        [str(Path(py).parent / "rdflib-endpoint"), "serve", str(trig), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    wait_for(url)
    return peer, url


def wait_for(url: str, seconds: float = 900) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
            return
        except requests.ConnectionError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up")


def bench_size(towns: int, work: Path, requests_n: int, concurrency: int) -> dict[str, float | int | str]:
    data, dist = work / f"data-{towns}", work / f"dist-{towns}"
    py = sys.executable
    run([py, "-m", "graph.cli", "synth", "--towns", str(towns), "--seed", "1", "--out", str(data)])
    build_s, peak_kb, log = run([py, "-m", "graph.cli", "build", "--data", str(data), "--out", str(dist)])
    line = next(x for x in log.splitlines() if x.startswith("published"))
    triples = int(line.split()[1])
    validate_s = float(line.split("validate ")[1].split("s")[0])
    first_page = yaml.safe_load(next((data / "sources").glob("*.yaml")).read_text(encoding="utf-8"))
    town = "https://pobratim.example/id/place/" + first_page["publisher"]
    row: dict[str, float | int | str] = {
        "towns": towns,
        "triples": triples,
        "build s": build_s,
        "validate s": validate_s,
        "peak MB": peak_kb // 1024,
    }
    trig = (dist / DIST_FILES["trig"]).resolve()
    ds = Dataset()
    ds.parse(trig, format="trig")
    peer, peer_url = start_peer(py, trig)
    try:
        with serving(dist) as live:
            row["pobratim rest MB"] = rss_mb(live.process.pid)
            # The load first: rdflib-endpoint answers one query at a time, and keeps evaluating one it timed out.
            simple = QUERIES["town's twins"] % {"town": town}
            rps, p50, p99 = load(live.url + "/sparql", simple, requests_n, concurrency)
            row.update({"pobratim req/s": rps, "pobratim p50 ms": p50, "pobratim p99 ms": p99})
            rps, p50, p99 = load(peer_url, simple, requests_n, concurrency)
            row.update({"rdflib-endpoint req/s": rps, "rdflib-endpoint p50 ms": p50, "rdflib-endpoint p99 ms": p99})
            for name, text in QUERIES.items():
                q = text % {"town": town} if "%(town)s" in text else text
                row[f"{name}: pobratim s"] = timed_http(live.url + "/sparql", q)
                peer_s = timed_http(peer_url, q)
                row[f"{name}: rdflib-endpoint s"] = peer_s
                # rdflib cannot be interrupted in-process: where its server gave up, so would it.
                row[f"{name}: rdflib s"] = timed_rdflib(ds, q) if peer_s < LIMIT_S else float("inf")
                if peer_s >= LIMIT_S:  # it is still busy with that query: restart it for the next one
                    peer.kill()
                    peer.wait(10)
                    peer, peer_url = start_peer(py, trig)
            saved = {
                p.name: timed_http(live.url + "/sparql", p.read_text(encoding="utf-8"), repeat=1)
                for p in sorted(Layout().queries.glob("*.rq"))
            }
            slowest = max(saved, key=lambda k: saved[k])
            row["queries/ slowest"] = f"{slowest} {saved[slowest]:.3f} s"
    finally:
        peer.kill()  # it may still be evaluating a query that timed out
        peer.wait(10)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--towns", default="40,200,400", help="sizes, as numbers of towns (default %(default)s)")
    parser.add_argument("--requests", type=int, default=300, help="requests per load run")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the synthetic inputs and builds")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pobratim-bench-"))
    try:
        rows = [bench_size(int(n), work, args.requests, args.concurrency) for n in args.towns.split(",")]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {os.cpu_count()} cores, {socket.gethostname()}, Python {sys.version.split()[0]}")
    for row in rows:
        print(
            f"\n== {row['towns']} towns, {row['triples']} triples: build {row['build s']:.1f} s "
            f"(validation {row['validate s']:.1f} s), peak {row['peak MB']} MB; "
            f"server at rest {float(row['pobratim rest MB']):.0f} MB; slowest of queries/: {row['queries/ slowest']}"
        )
        print(f"{'query':<16}{'pobratim s':>12}{'rdflib-endpoint s':>19}{'rdflib s':>10}{'peer/pobratim':>15}")
        for name in QUERIES:
            ours, peer, plain = (float(row[f"{name}: {who} s"]) for who in ("pobratim", "rdflib-endpoint", "rdflib"))
            print(f"{name:<16}{ours:>12.4f}{peer:>19.4f}{plain:>10.4f}{peer / ours:>14.1f}x")  # inf: gave up
        print(f"{'load':<16}{'req/s':>12}{'p50 ms':>10}{'p99 ms':>10}")
        for who in ("pobratim", "rdflib-endpoint"):
            print(
                f"{who:<16}{float(row[who + ' req/s']):>12.0f}{float(row[who + ' p50 ms']):>10.1f}"
                f"{float(row[who + ' p99 ms']):>10.1f}"
            )
        ratio = float(row["pobratim req/s"]) / float(row["rdflib-endpoint req/s"])
        print(f"throughput ratio pobratim/rdflib-endpoint: {ratio:.1f}x")


if __name__ == "__main__":
    main()
