"""World-scale benchmark: build synthetic inputs of several sizes, then time pobratim against its peers.

Run: ``make bench`` (or ``.venv/bin/python -m bench.scale --towns 200,2000``). For each size it writes
a synthetic input (``python -m bench.synth``), builds it (``pobratim build`` in a child process, for its time and
peak memory), serves it with pobratim and with rdflib-endpoint (the Python peer, from PyPI), and runs the
same query mix on pobratim's endpoint, on rdflib-endpoint and on plain rdflib in this process, and loads
both servers with one-town lookups and resource pages from wrk (Debian's package). It prints one table
and the ratio of each figure to the peer's; it is not a test.
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
from pathlib import Path
from typing import cast
from urllib.parse import urlencode, urlsplit

import requests
import yaml
from rdflib import Dataset

from bench.load import ONE_CLIENT
from pobratim import published
from pobratim.core import layout
from pobratim.oxigraph.server import rollup
from tests.support.live import free_port, serving

QUERIES = {
    "town's twins": """SELECT ?partner ?start WHERE { ?t a <https://pobratim.example/ontology#Twinning> ;
        <https://pobratim.example/ontology#party> <%(town)s>, ?partner . FILTER (?partner != <%(town)s>)
        OPTIONAL { ?t <https://pobratim.example/ontology#claim>/<https://schema.org/startDate> ?start } }""",
    "per country": """SELECT ?country (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t
        <https://pobratim.example/ontology#party> ?p . ?p <http://www.geonames.org/ontology#countryCode> ?country }
        GROUP BY ?country ORDER BY DESC(?n) LIMIT 10""",
    "twinnings.rq": (layout.QUERIES / "twinnings.rq").read_text(encoding="utf-8"),
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
LOAD_S = 5  # seconds of each wrk run
WARM_UP_S = 10  # seconds of distinct lookups before any is measured


def timed_http(url: str, query: str, repeat: int = 3) -> float:
    """Median seconds for a query over HTTP (SPARQL JSON), never from a cache; infinity past the limit."""
    times = []
    for n in range(repeat):
        # A comment of its own makes every run a new query text: no answer cache serves it.
        text = f"{query}\n# run {n} {time.time_ns()}\n"
        t = time.perf_counter()
        try:
            r = requests.post(
                url, data={"query": text}, headers={"Accept": "application/sparql-results+json"}, timeout=LIMIT_S
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


WRK_SCRIPT = Path(__file__).with_name("paths.lua")


def _ms(text: str) -> float:
    """Read one of wrk's durations (``850.00us``, ``2.34ms``, ``1.02s``) as milliseconds."""
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    raise ValueError(f"not a wrk duration: {text!r}")


def load(
    base: str, paths: list[str], accept: str, seconds: float, connections: int, unique: bool = False
) -> tuple[float, float, float]:
    """Load a server with wrk (2 threads) over ``paths``; return requests/s, p50 ms and p99 ms.

    ``unique``: the paths end in a SPARQL query; give each request's query a comment of its own.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(paths) + "\n")
    try:
        done = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                str(WRK_SCRIPT),
                "-H",
                f"Accept: {accept}",
                base,
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "WRK_PATHS": f.name, **({"WRK_UNIQUE": "1"} if unique else {})},
            timeout=seconds + 120,
        )
    finally:
        os.unlink(f.name)
    if done.returncode != 0:
        raise RuntimeError(f"wrk on {base} exited with {done.returncode}: {done.stderr.strip() or done.stdout.strip()}")
    out = done.stdout
    words = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.split()}
    rps = float(words["Requests/sec:"][0])
    if "50%" not in words:  # no request finished within the run
        return rps, float("inf"), float("inf")
    return rps, _ms(words["50%"][0]), _ms(words["99%"][0])


def lookup_path(prefix: str, town: str) -> str:
    return prefix + "?" + urlencode({"query": QUERIES["town's twins"] % {"town": town}})


def memory_mb(pid: int) -> float:
    """Memory of a process and all its descendants, in MB: their proportional set sizes summed.

    PSS counts a page shared by n processes as 1/n in each, so the graph the query workers share
    copy-on-write is counted once (summed RSS would count it once per worker).
    """
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        memory = rollup(current)
        if memory is None:
            continue
        total += memory.pss
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return total / 2**20


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


def bench_size(towns: int, work: Path, connections: int) -> dict[str, object]:
    data, dist = work / f"data-{towns}", work / f"dist-{towns}"
    py = sys.executable
    run([py, "-m", "bench.synth", "--towns", str(towns), "--seed", "1", "--out", str(data)])
    build_s, peak_kb, log = run([py, "-m", "pobratim", "build", "--data", str(data), "--out", str(dist)])
    line = next(x for x in log.splitlines() if x.startswith("published"))
    triples = int(line.split()[1])
    validate_s = float(line.split("validate ")[1].split("s")[0])
    first_page = yaml.safe_load(next((data / "sources").glob("*.yaml")).read_text(encoding="utf-8"))
    town = "https://pobratim.example/id/place/" + first_page["publisher"]
    places = sorted(yaml.safe_load((data / "records" / "places.yaml").read_text(encoding="utf-8"))["places"])
    row: dict[str, object] = {
        "towns": towns,
        "triples": triples,
        "build s": build_s,
        "validate s": validate_s,
        "peak MB": peak_kb // 1024,
    }
    trig = (dist / published.TRIG).resolve()
    parsed: list[Dataset] = []

    def in_process() -> Dataset:
        """Plain rdflib on the same dump, parsed the first time a query is worth timing there."""
        if not parsed:
            parsed.append(Dataset().parse(trig, format="trig"))
        return parsed[0]

    peer, peer_url = start_peer(py, trig)
    try:
        with serving(dist, settings=ONE_CLIENT) as live:
            row["pobratim rest MB"] = memory_mb(live.process.pid)
            for name, text in QUERIES.items():
                q = text % {"town": town} if "%(town)s" in text else text
                row[f"{name}: pobratim s"] = timed_http(live.url + "/sparql", q)
                peer_s = timed_http(peer_url, q)
                row[f"{name}: rdflib-endpoint s"] = peer_s
                # rdflib cannot be interrupted in-process: where its server gave up, so would it.
                row[f"{name}: rdflib s"] = timed_rdflib(in_process(), q) if peer_s < LIMIT_S else float("inf")
                if peer_s >= LIMIT_S:  # it is still busy with that query: restart it for the next one
                    peer.kill()
                    peer.wait(10)
                    peer, peer_url = start_peer(py, trig)
            saved = {
                p.name: timed_http(live.url + "/sparql", p.read_text(encoding="utf-8"), repeat=1)
                for p in sorted(layout.QUERIES.glob("*.rq"))
            }
            slowest = max(saved, key=lambda k: saved[k])
            row["queries/ slowest"] = f"{slowest} {saved[slowest]:.3f} s"
            # The load last: rdflib-endpoint answers one query at a time, and goes on with the requests wrk left.
            # "same": one town's lookup again and again (answered by the response cache after the first);
            # "distinct": every request a different town (the first time each is asked: no cache helps).
            json_accept = "application/sparql-results+json"
            same = [lookup_path("/sparql", town)]
            distinct = [lookup_path("/sparql", "https://pobratim.example/id/place/" + key) for key in places]
            page = [f"/id/place/{first_page['publisher']}.html"]
            # Warm up as any load test does (each web process and its threads, the OS file cache) on the
            # "same" paths only: no distinct town's answer or page is cached by it.
            load(live.url, same, json_accept, 2, connections)
            load(live.url, page, "text/html", 2, connections)
            # And on distinct lookups, whose queries each carry a comment of their own (so none is cached):
            # a query worker's first seconds of work are slower, while it takes its own copy of the pages of
            # the shared graph that its reads write to (tens of thousands of copy-on-write faults).
            load(live.url, distinct, json_accept, WARM_UP_S, connections, unique=True)
            for label, paths, accept, base in (
                ("lookup, same", same, json_accept, live.url),
                ("lookup, distinct", distinct, json_accept, live.url),
                ("page, same", page, "text/html", live.url),
                ("page, distinct", [f"/id/place/{key}.html" for key in places], "text/html", live.url),
            ):
                row[f"pobratim {label}"] = load(base, paths, accept, LOAD_S, connections, label == "lookup, distinct")
            row["pobratim loaded MB"] = memory_mb(live.process.pid)
            peer_path = "/" + urlsplit(peer_url).path.strip("/")
            for label, paths in (
                ("lookup, same", [lookup_path(peer_path, town)]),
                (
                    "lookup, distinct",
                    [lookup_path(peer_path, "https://pobratim.example/id/place/" + k) for k in places],
                ),
            ):
                row[f"rdflib-endpoint {label}"] = load(
                    peer_url.rstrip("/"), paths, json_accept, LOAD_S, connections, label == "lookup, distinct"
                )
    finally:
        peer.kill()  # it may still be evaluating a query that timed out
        peer.wait(10)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--towns", default="200,2000,10000", help="sizes, as numbers of towns (default %(default)s)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default %(default)s)")
    parser.add_argument("--keep", action="store_true", help="keep the synthetic inputs and builds")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pobratim-bench-"))
    print(f"machine: {os.cpu_count()} cores, {socket.gethostname()}, Python {sys.version.split()[0]}", flush=True)
    try:
        for n in args.towns.split(","):
            report(bench_size(int(n), work, args.connections))  # each size as soon as it is measured
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def report(row: dict[str, object]) -> None:
    """Print one size's table."""
    print(
        f"\n== {row['towns']} towns, {row['triples']} triples: build {row['build s']:.1f} s "
        f"(validation {row['validate s']:.1f} s), peak {row['peak MB']} MB (largest process); "
        f"server at rest {row['pobratim rest MB']:.0f} MB, after the load {row['pobratim loaded MB']:.0f} MB; "
        f"slowest of queries/: {row['queries/ slowest']}"
    )
    print(f"{'query':<18}{'pobratim s':>12}{'rdflib-endpoint s':>19}{'rdflib s':>10}{'peer/pobratim':>15}")
    for name in QUERIES:
        ours, peer, plain = (float(row[f"{name}: {who} s"]) for who in ("pobratim", "rdflib-endpoint", "rdflib"))  # type: ignore[arg-type]
        print(f"{name:<18}{ours:>12.4f}{peer:>19.4f}{plain:>10.4f}{peer / ours:>14.1f}x")  # inf: gave up
    print(f"{'load (wrk)':<18}{'server':<17}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}")
    for label in ("lookup, same", "lookup, distinct", "page, same", "page, distinct"):
        ours_rps, p50, p99 = cast(tuple[float, float, float], row[f"pobratim {label}"])
        print(f"{label:<18}{'pobratim':<17}{ours_rps:>9.0f}{p50:>9.1f}{p99:>9.1f}")
        if f"rdflib-endpoint {label}" in row:
            rps, p50, p99 = cast(tuple[float, float, float], row[f"rdflib-endpoint {label}"])
            ratio = f"{ours_rps / rps:>7.1f}x" if rps else "    inf"  # the peer finished no request
            print(f"{'':<18}{'rdflib-endpoint':<17}{rps:>9.0f}{p50:>9.1f}{p99:>9.1f}{ratio}")


if __name__ == "__main__":
    main()
