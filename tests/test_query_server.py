"""The query server: workers read one copy of the graph, in memory or on disk, with the same answers."""

import contextlib
import os
import shutil
import signal
import time
from pathlib import Path

import psutil
import pytest
from flask import Flask

from pobratim import published
from pobratim.endpoint import create_app
from pobratim.endpoint.state import load_queries
from pobratim.oxigraph.backend import start_query_server
from pobratim.oxigraph.pool import QueryPool
from pobratim.oxigraph.server import QueryServer, rollup
from pobratim.settings import load
from pobratim.sparql.answers import Outcome, QueryJob
from tests.support.paths import SEED

from .conftest import Built
from .support.live import ServerProcess, free_port, serving
from .support.processes import gone, wait_until


def _answers(app: Flask) -> dict[str, set[tuple[tuple[str, str], ...]]]:
    """Every saved query's rows through the app's SPARQL endpoint, as comparable sets."""
    client = app.test_client()
    found = {}
    for name, saved in load_queries(SEED.queries).items():
        response = client.post(
            "/sparql", data={"query": saved.text}, headers={"Accept": "application/sparql-results+json"}
        )
        assert response.status_code == 200, (name, response.text)
        body = response.json
        assert body is not None
        found[name] = {tuple(sorted((k, v["value"]) for k, v in row.items())) for row in body["results"]["bindings"]}
    return found


def _close(app: Flask) -> None:
    app.extensions["pobratim"].pool.close()


def test_memory_and_disk_workers_give_the_same_answers(built: Built) -> None:
    memory = create_app({"DIST": str(built.dist), "QUERY_STORE": "memory", "QUERY_WORKERS": 1})
    disk = create_app({"DIST": str(built.dist), "QUERY_STORE": "disk", "QUERY_WORKERS": 1})
    try:
        in_memory, on_disk = _answers(memory), _answers(disk)
    finally:
        _close(memory)
        _close(disk)
    assert in_memory == on_disk
    assert all(in_memory[name] for name in ("twinnings", "mayors", "networks"))


def test_web_processes_share_one_query_server(built: Built) -> None:
    cfg = load({"DIST": str(built.dist)}, environ={})
    server = start_query_server(cfg, built.dist)
    apps = [create_app({"DIST": str(built.dist), "QUERY_SOCKET": server.address, "QUERY_WORKERS": 1}) for _ in range(2)]
    try:
        first, second = (_answers(app) for app in apps)
        assert first == second and first["twinnings"]
        _close(apps[0])  # one app closing its workers leaves the shared server serving the other
        assert server.process.is_alive()
        assert _answers(apps[1]) == first
    finally:
        _close(apps[1])
        server.close()
    assert not server.process.is_alive()


def test_bad_store_settings_are_named(built: Built, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="QUERY_STORE='ram' is not accepted: QUERY_STORE takes one of memory, disk"):
        create_app({"DIST": str(built.dist), "QUERY_STORE": "ram"})
    with pytest.raises(RuntimeError, match="cannot reach the query server at /nonexistent"):
        create_app({"DIST": str(built.dist), "QUERY_SOCKET": "/nonexistent/workers.sock"})
    # A published folder whose dump is gone cannot be served from memory: said at start, with the file.
    broken = tmp_path / "dist"
    shutil.copytree(built.dist, broken)
    (broken / published.TRIG).unlink()
    with pytest.raises(RuntimeError, match=f"cannot load {broken.resolve() / published.TRIG}"):
        create_app({"DIST": str(broken), "QUERY_STORE": "memory"})


def _all_gone(server: ServerProcess, timeout: float = 15) -> list[int]:
    """Wait for every process of ``server`` to end; return those still running after ``timeout``."""
    deadline = time.monotonic() + timeout
    while (left := server.processes()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def test_stopping_the_server_stops_the_query_server_and_its_workers(built: Built) -> None:
    with serving(built.dist) as live:
        assert live.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
        # the main process, its web processes, the query server, its workers
        assert len(live.server.processes()) >= 6
    assert live.process.returncode == 0, live.server.output
    assert not _all_gone(live.server), f"processes left running after the server stopped:\n{live.server.output}"


def test_a_stop_while_starting_stops_everything(built: Built) -> None:
    # A web process that is still building its app when the stop comes must end too (the server waited
    # on it forever: the stop reached a copy of the main process's signal handler).
    server = ServerProcess(built.dist, free_port(), {"WEB_WORKERS": "2"})
    server.wait_for("Spawning worker-2")  # the main process has just forked it
    started = time.monotonic()
    server.stop(timeout=30)
    # Promptly: not by granian killing a web process that ignored the stop (after QUEUE_TIMEOUT +
    # QUERY_TIMEOUT + 5 = 20 s by default).
    assert time.monotonic() - started < 10, server.output
    assert server.popen.returncode == 0, server.output
    assert not _all_gone(server), f"processes left running:\n{server.output}"


def test_a_killed_server_leaves_no_process_behind(built: Built) -> None:
    # SIGKILL gives the main process no chance to stop anything: its web processes learn of its death from
    # the kernel, the query server from its lifeline, the query workers from their closed connections.
    server = ServerProcess(built.dist, free_port(), {"WEB_WORKERS": "2"})
    try:
        server.wait_for("Started worker-1")
        server.wait_for("Started worker-2")
    finally:
        server.popen.kill()
        server.popen.wait()
    assert not _all_gone(server), f"processes left running after the main process was killed:\n{server.output}"


def test_health_reports_the_query_workers(built: Built) -> None:
    app = create_app({"DIST": str(built.dist), "QUERY_WORKERS": 2})
    client = app.test_client()
    try:
        health = client.get("/health")
        assert health.status_code == 200 and health.json is not None
        assert health.json["query_workers"] == {"total": 2, "busy": 0}
    finally:
        _close(app)
    # With its workers gone the endpoint cannot answer SPARQL: a load balancer must hear so.
    gone = client.get("/health")
    assert gone.status_code == 503 and gone.json is not None
    assert gone.json["status"] == "no query workers" and gone.json["query_workers"]["total"] == 0


def _count_job() -> QueryJob:
    return QueryJob("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "json", None, limit=10)


@pytest.fixture
def big_graph(tmp_path: Path) -> Path:
    """A TriG dump of 200,000 statements: ~80 MB in memory, pages enough for a scan to copy many."""
    dump = tmp_path / "graph.trig"
    with dump.open("w", encoding="utf-8") as f:
        f.write("<https://example.org/g> {\n")
        for i in range(200_000):
            f.write(f'<https://example.org/s{i}> <https://example.org/p{i % 50}> "value {i}" .\n')
        f.write("}\n")
    return dump


def test_a_worker_holding_more_than_its_own_bound_is_replaced(big_graph: Path) -> None:
    server = QueryServer(str(big_graph.parent / "store"), "memory", str(big_graph), own=8 << 20)
    pool = QueryPool(server.address, 1, owned=server)
    try:
        (first,) = pool.pids()
        resident = psutil.Process(first).memory_info().rss
        answer = pool.run(_count_job(), timeout=60, queue_timeout=60)
        assert answer.outcome is Outcome.ANSWERED and b'"200000"' in answer.body
        # The scan copied pages of the graph it shares with the query server: its resident memory, which the
        # bound on a query looks at, hardly grew.
        assert psutil.Process(first).memory_info().rss - resident < 8 << 20
        # Idle, the worker leaves once the query server has seen its private memory, and its pool starts
        # another before any query asks: one that shares the graph again.
        assert wait_until(lambda: gone(first), 30)
        assert wait_until(lambda: len(pool.pids()) == 1 and first not in pool.pids(), 30)
        again = pool.run(_count_job(), timeout=60, queue_timeout=60)
        assert again.outcome is Outcome.ANSWERED and again.body == answer.body
    finally:
        pool.close()


def test_a_worker_told_to_leave_loses_no_query(big_graph: Path) -> None:
    # The query server's SIGUSR2 may reach an idle worker just as a job is sent to it: the worker says it
    # leaves before reading any job, and the pool sends that job to another worker.
    server = QueryServer(str(big_graph.parent / "store"), "memory", str(big_graph))
    pool = QueryPool(server.address, 2, owned=server)
    try:
        for _ in range(20):
            with contextlib.suppress(ProcessLookupError):  # one that left is replaced when next taken
                os.kill(pool.pids()[0], signal.SIGUSR2)
            answer = pool.run(_count_job(), timeout=60, queue_timeout=60)
            assert answer.outcome is Outcome.ANSWERED and b'"200000"' in answer.body
    finally:
        pool.close()


def test_a_light_load_keeps_one_worker_and_the_others_share_the_graph(big_graph: Path) -> None:
    # One query at a time goes to the worker given back last: only its memory grows with the pages its reads
    # copy; the other keeps sharing the graph as forked.
    server = QueryServer(str(big_graph.parent / "store"), "memory", str(big_graph))
    pool = QueryPool(server.address, 2, owned=server)
    try:
        for _ in range(3):
            assert pool.run(_count_job(), timeout=60, queue_timeout=60).outcome is Outcome.ANSWERED
        held = sorted(memory.private for pid in pool.pids() if (memory := rollup(pid)) is not None)
        assert len(held) == 2 and held[0] < 10 << 20 < 30 << 20 < held[1], held
    finally:
        pool.close()
