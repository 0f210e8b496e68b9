"""Attack the endpoint on loopback, as the hardening issue lists, and print one table of what held.

Run: ``make stress`` (or ``.venv/bin/python -m bench.stress``) after ``pobratim build``. Every request goes
to a server this script starts on 127.0.0.1; every loop is bounded in count and time (about four minutes
in all). Not a test: ``make`` runs the quick versions as tests.
"""

import argparse
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from urllib.parse import quote

import requests

from pobratim import published
from pobratim.endpoint.header_limit import HEADER_BYTES
from tests.support import fuzz
from tests.support.live import Live, serving
from tests.support.load import Load
from tests.support.processes import query_workers, resident_mb, wait_until, web_processes
from tests.support.queries import DOUBLING, ENDLESS

REPO = Path(__file__).resolve().parent.parent
CHEAP = "ASK { <https://pobratim.example/id/place/bg/kazanlak> ?p ?o }"
JSON = {"Accept": "application/sparql-results+json"}
BYSTANDER = {**JSON, "X-Forwarded-For": "203.0.113.1"}


def timed(call: Callable[[], requests.Response]) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        status = call().status_code
    except requests.RequestException:
        status = 0
    return (time.perf_counter() - started) * 1000, status


def cheap_latencies(live: Live, seconds: float) -> list[tuple[float, int]]:
    """Health checks, a cached page and a cheap query from a client of their own, for ``seconds``."""
    out = []
    until = time.monotonic() + seconds
    n = 0
    while time.monotonic() < until:
        n += 1
        out.append(timed(lambda: live.get("/health")))
        out.append(timed(lambda: live.get("/id/place/bg/kazanlak.ttl")))
        out.append(timed(partial(live.get, "/sparql", params={"query": f"{CHEAP} # {n}"}, headers=BYSTANDER)))
        time.sleep(0.1)
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def fuzzing(live: Live, count: int, seed: int) -> Counter[int]:
    statuses: Counter[int] = Counter()
    session = requests.Session()
    for n, req in enumerate(fuzz.requests(seed, count)):
        path = "/".join(quote(part, safe="%:@!$&'()*+,;=~-._") for part in req.path.split("/"))
        try:
            r = session.request(
                req.method,
                live.url + path,
                params=req.params,
                headers={**req.headers, "X-Forwarded-For": f"192.0.2.{n % 50 + 1}"},
                data=req.body,
                timeout=30,
                allow_redirects=False,
            )
            ok = fuzz.acceptable(r.status_code, dict(r.headers))
            statuses[r.status_code if ok else -r.status_code] += 1
        except requests.RequestException as err:
            print(f"fuzz request {n} failed: {err!r:.300}", file=sys.stderr)
            statuses[0] += 1
    return statuses


def expensive(live: Live, clients: int, seconds: float) -> tuple[Counter[int], list[tuple[float, int]]]:
    """``clients`` attackers run runaway queries while a bystander measures cheap requests."""
    statuses: Counter[int] = Counter()
    until = time.monotonic() + seconds

    def attack(n: int) -> None:
        # Each attacker a client of its own (an address), so that together they can hold every query worker;
        # each honours Retry-After, as a client that is told to wait would.
        headers = {**JSON, "X-Forwarded-For": f"198.51.100.{n + 1}"}
        while time.monotonic() < until:
            try:
                r = live.get("/sparql", params={"query": f"{ENDLESS} # {n} {time.time_ns()}"}, headers=headers)
            except requests.RequestException:
                statuses[0] += 1
                continue
            statuses[r.status_code] += 1
            time.sleep(float(r.headers.get("Retry-After", 0)))

    threads = [threading.Thread(target=attack, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    cheap = cheap_latencies(live, seconds - 1)
    for t in threads:
        t.join()
    return statuses, cheap


def slow_clients(live: Live, count: int, seconds: float) -> list[tuple[float, int]]:
    port = live.port
    until = time.monotonic() + seconds

    def trickle() -> None:
        try:
            with socket.create_connection(("127.0.0.1", port)) as s:
                s.sendall(b"POST /sparql HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n")
                while time.monotonic() < until:
                    s.sendall(b"q")
                    time.sleep(1)
        except OSError:
            return

    threads = [threading.Thread(target=trickle) for _ in range(count)]
    for t in threads:
        t.start()
    cheap = cheap_latencies(live, seconds - 1)
    for t in threads:
        t.join()
    return cheap


def greedy(live: Live, seconds: float) -> Counter[int]:
    """One client sending uncached queries as fast as it can, from four threads."""
    statuses: Counter[int] = Counter()
    until = time.monotonic() + seconds

    def send(n: int) -> None:
        session = requests.Session()
        session.headers["X-Forwarded-For"] = "203.0.113.66"
        k = 0
        while time.monotonic() < until:
            k += 1
            r = session.get(live.url + "/sparql", params={"query": f"{CHEAP} # {n}-{k}"}, headers=JSON, timeout=30)
            statuses[r.status_code] += 1

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def wrk(live: Live, seconds: int, connections: int) -> str:
    if shutil.which("wrk") is None:
        return "wrk not installed"
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", live.url + "/id/place/bg/kazanlak.ttl"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    rps = next((line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")), "?")
    errors = next((line.strip() for line in out.splitlines() if "Non-2xx" in line or "Socket errors" in line), "none")
    return f"{rps} req/s at {connections} connections; errors: {errors}"


def killed_builds(times: int) -> tuple[int, int]:
    """Kill -9 builds at random moments; return (builds killed, times dist was not a complete build)."""
    work = Path(tempfile.mkdtemp(prefix="pobratim-stress-"))
    py = sys.executable
    subprocess.run(
        [py, "-m", "pobratim", "build", "--out", str(work / "dist")], cwd=REPO, check=True, capture_output=True
    )
    rng = random.Random(7)
    broken = 0
    for _ in range(times):
        build = subprocess.Popen(
            [py, "-m", "pobratim", "build", "--out", str(work / "dist")],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.1, 3.0))
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
        try:
            published.Manifest.read((work / "dist").resolve())
        except published.NotABuild:
            broken += 1
    shutil.rmtree(work, ignore_errors=True)
    return times, broken


def rebuilds_under_load(times: int) -> tuple[int, int, int]:
    """Serve a build, rebuild it ``times`` times under load; return (requests, failed, builds followed)."""
    work = Path(tempfile.mkdtemp(prefix="pobratim-stress-"))
    py = sys.executable
    subprocess.run(
        [py, "-m", "pobratim", "build", "--out", str(work / "dist")], cwd=REPO, check=True, capture_output=True
    )
    sent, failed, followed = [0], [0], 0
    with serving(work / "dist") as live:
        stop = threading.Event()

        def load(n: int) -> None:
            session = requests.Session()
            while not stop.is_set():
                sent[0] += 1
                try:
                    r = session.get(live.url + "/id/place/bg/kazanlak.ttl", headers={"User-Agent": f"l{n}"}, timeout=30)
                    failed[0] += r.status_code != 200
                except requests.RequestException:
                    failed[0] += 1

        threads = [threading.Thread(target=load, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for n in range(times):
            env = {**os.environ, "SOURCE_DATE_EPOCH": str(1_800_000_000 + n)}
            subprocess.run(
                [py, "-m", "pobratim", "build", "--out", str(work / "dist")], cwd=REPO, env=env, capture_output=True
            )
            expected = (work / "dist").resolve().name
            # Moved when every answer for longer than granian's respawn interval (3.5 s a web process) comes
            # from the new build: old web processes answer beside new ones until they are stopped.
            deadline, fresh = time.monotonic() + 60, 0
            while fresh < 25 and time.monotonic() < deadline:
                fresh = fresh + 1 if live.get("/health").json()["dist"] == expected else 0
                time.sleep(0.4)
            followed += fresh >= 25
        stop.set()
        for t in threads:
            t.join()
    shutil.rmtree(work, ignore_errors=True)
    return sent[0], failed[0], followed


def _replaced(live: Live, victim: int, count: int) -> bool:
    running = web_processes(live)
    return victim not in running and len(running) == count


def killed_processes(live: Live) -> list[tuple[str, str]]:
    """kill -9 each web process and a query worker under load (4 clients); count what was lost."""
    load = Load(live.url)
    respawn = []
    try:
        time.sleep(1.5)
        first = web_processes(live)
        for victim in first:
            os.kill(victim, signal.SIGKILL)
            killed = time.monotonic()
            wait_until(partial(_replaced, live, victim, len(first)), 15)
            respawn.append(time.monotonic() - killed)
            workers = query_workers(live)
            if workers:
                os.kill(workers[0], signal.SIGKILL)
            time.sleep(1.5)
    finally:
        load.finish()
    return [
        ("web processes / query workers killed (SIGKILL)", f"{len(respawn)} / {len(respawn)}"),
        ("  a new web process started within", ", ".join(f"{t:.1f} s" for t in respawn)),
        ("  answered / told to retry / lost", f"{len(load.answered)} / {load.shed} / {len(load.lost)}"),
    ]


def huge_accepts(live: Live, seconds: float) -> list[tuple[str, str]]:
    """16 clients sending a 60 kB Accept of 20,000 media ranges, while health checks are timed."""
    accept = ",".join(f"application/x-{n};q=0.5" for n in range(20_000))[:60_000]
    statuses: Counter[int] = Counter()
    until = time.monotonic() + seconds

    def send() -> None:
        with requests.Session() as session:
            while time.monotonic() < until:
                r = session.get(live.url + "/sparql", params={"query": CHEAP}, headers={"Accept": accept}, timeout=30)
                statuses[r.status_code] += 1

    threads = [threading.Thread(target=send) for _ in range(16)]
    for t in threads:
        t.start()
    health = []
    while time.monotonic() < until:
        health.append(timed(lambda: live.get("/health"))[0])
        time.sleep(0.2)
    for t in threads:
        t.join()
    return [
        ("huge Accept (16 clients): answers", ", ".join(f"{s}×{n}" for s, n in sorted(statuses.items()))),
        ("  health p50/max meanwhile", f"{statistics.median(health):.0f} / {max(health):.0f} ms"),
    ]


def varied_languages(live: Live, count: int) -> list[tuple[str, str]]:
    """``count`` page requests, each with its own Accept-Language at the bound (8 kB): the cache holds keys."""
    before = resident_mb(live.server.processes())
    statuses: Counter[int] = Counter()
    with requests.Session() as session:
        for n in range(count):
            language = f"bg;q=0.{n % 9 + 1}, en;q=0.1, x-{n:06d};q=0.01, " + "a" * (HEADER_BYTES - 60)
            r = session.get(live.url + "/", headers={"Accept-Language": language[:HEADER_BYTES]}, timeout=30)
            statuses[r.status_code] += 1
    return [
        (
            f"{count} pages, each its own 8 kB Accept-Language",
            ", ".join(f"{s}×{n}" for s, n in sorted(statuses.items())),
        ),
        ("  server memory before/after", f"{before:.0f} / {resident_mb(live.server.processes()):.0f} MB"),
    ]


def rotating_agents(live: Live) -> list[tuple[str, str]]:
    """One address, four User-Agents, four memory-hungry queries at once (issue 26: 2.57 GB)."""
    statuses: Counter[int] = Counter()
    peak = resident_mb(live.server.processes())
    headers = {**JSON, "X-Forwarded-For": "192.0.2.77"}

    def send(n: int) -> None:
        r = live.get("/sparql", params={"query": f"{DOUBLING} # {n}"}, headers={**headers, "User-Agent": f"ua/{n}"})
        statuses[r.status_code] += 1

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        peak = max(peak, resident_mb(live.server.processes()))
        time.sleep(0.05)
    return [
        ("one address, 4 User-Agents, 4 hungry queries", ", ".join(f"{s}×{n}" for s, n in sorted(statuses.items()))),
        ("  server memory peak", f"{peak:.0f} MB"),
    ]


def asking_too_much(live: Live) -> list[tuple[str, str]]:
    """A multi-range, a chunked body announcing 2^64-1 bytes, 5,000 q parameters."""
    port = live.port
    ranged = live.get(f"/dumps/{published.TURTLE}", headers={"Range": "bytes=0-0,1-1,2-2"}).status_code
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\nASK")
        status = s.recv(100).split(b" ")[1].decode()
        while s.recv(4096):
            pass
    closed = time.monotonic() - started
    page = live.get("/search", params=[("q", "Kazanlak")] + [("q", f"q{n}") for n in range(5000)])
    return [
        ("multi-range Range: status", str(ranged)),
        ("chunked FFFFFFFFFFFFFFFF body: status / closed after", f"{status} / {closed * 1000:.0f} ms"),
        ("/search with 5,000 q: page size / echoed q", f"{len(page.content)} B / {page.text.count('q4999')}"),
    ]


def stays_up(dist: Path) -> list[tuple[str, str]]:
    """The attacks of issue 26, each against a fresh server on loopback."""
    rows: list[tuple[str, str]] = []
    with serving(dist, TRUST_PROXY="true") as live:
        rows += killed_processes(live)
    with serving(dist, TRUST_PROXY="true") as live:
        rows += huge_accepts(live, 5)
        rows += varied_languages(live, 800)
        rows += rotating_agents(live)
        rows += asking_too_much(live)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, default=REPO / "dist")
    parser.add_argument("--fuzz", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stays-up", action="store_true", help="only the attacks of issue 26 (a minute)")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    if args.stays_up:
        show(stays_up(args.dist))
        return
    with serving(args.dist, TRUST_PROXY="true") as live:  # clients told apart by X-Forwarded-For
        before = resident_mb(live.server.processes())
        statuses = fuzzing(live, args.fuzz, args.seed)
        bad = sum(n for s, n in statuses.items() if s < 0 or s == 0)
        rows.append(("fuzz: requests tried", f"{sum(statuses.values())} (seed {args.seed})"))
        rows.append(("fuzz: 5xx without Retry-After / failed", str(bad)))
        rows.append(("fuzz: statuses", ", ".join(f"{s}×{n}" for s, n in sorted(statuses.items()))))
        attack, cheap = expensive(live, clients=8, seconds=25)
        ms = [m for n, (m, _s) in enumerate(cheap) if n % 3 != 2]  # health checks and cached pages
        rows.append(("expensive queries: answers", ", ".join(f"{s}×{n}" for s, n in sorted(attack.items()))))
        rows.append(("  timeouts enforced (503)", str(attack[503])))
        rows.append(
            (
                "  health and cached pages under attack p50/p99",
                f"{statistics.median(ms):.0f} / {percentile(ms, 0.99):.0f} ms",
            )
        )
        # Every third cheap request is a query of a bystander's own: with every worker held by attackers it
        # may be told to come back (503 with Retry-After); health checks and cached pages never wait.
        queries = Counter(s for n, (_m, s) in enumerate(cheap) if n % 3 == 2)
        pages = [s for n, (_m, s) in enumerate(cheap) if n % 3 != 2]
        rows.append(("  health checks and cached pages failed", f"{sum(s != 200 for s in pages)} of {len(pages)}"))
        rows.append(("  a bystander's cheap queries", ", ".join(f"{s}×{n}" for s, n in sorted(queries.items()))))
        slow = [m for m, _s in slow_clients(live, 16, 12)]
        rows.append(
            ("slow clients (16): cheap p50/p99", f"{statistics.median(slow):.0f} / {percentile(slow, 0.99):.0f} ms")
        )
        greedy_statuses = greedy(live, 5)
        rows.append(("greedy client: answers", ", ".join(f"{s}×{n}" for s, n in sorted(greedy_statuses.items()))))
        rows.append(("load (wrk, cached page)", wrk(live, 20, 100)))
        rows.append(("server memory before/after", f"{before:.0f} / {resident_mb(live.server.processes()):.0f} MB"))
    killed, broken = killed_builds(8)
    rows.append(("builds killed with SIGKILL / dist broken", f"{killed} / {broken}"))
    sent, failed, followed = rebuilds_under_load(3)
    rows.append(("rebuilds under load: requests / failed", f"{sent} / {failed}"))
    rows.append(("  builds the server moved to", f"{followed} of 3"))
    rows += stays_up(args.dist)
    show(rows)


def show(rows: list[tuple[str, str]]) -> None:
    width = max(len(k) for k, _v in rows)
    print(f"{'what':<{width}}  figure")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
