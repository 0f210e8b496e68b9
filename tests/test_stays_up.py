"""A server that stays up: web processes and query workers killed under load are replaced, the others answer
meanwhile, and no more is lost than what the killed processes held in flight."""

import contextlib
import functools
import os
import signal
import threading
import time

import requests

from .conftest import Built
from .support.live import Live, serving
from .support.load import CLIENTS, JSON, Load
from .support.processes import gone, query_workers, wait_until, web_processes
from .support.queries import ENDLESS


def healthy(live: Live) -> bool:
    try:
        return live.get("/health").status_code == 200
    except requests.RequestException:
        return False


def _replaced(live: Live, first: list[int], count: int) -> bool:
    """Whether ``count`` web processes not among ``first`` run now."""
    return len(set(web_processes(live)) - set(first)) == count


def test_killed_web_processes_and_query_workers_are_replaced_under_load(built: Built) -> None:
    with serving(built.dist, WEB_WORKERS="2", QUERY_WORKERS="2", CLIENT_MAX_QUERIES="4") as live:
        first = web_processes(live)
        assert len(first) == 2
        load = Load(live.url)
        try:
            time.sleep(1.5)
            for killed, victim in enumerate(
                first, start=1
            ):  # each web process once (granian calls two deaths of one within 5.5 s a crash loop)
                os.kill(victim, signal.SIGKILL)
                killed_at = time.monotonic()
                assert wait_until(functools.partial(_replaced, live, first, killed), 15), live.server.output
                replaced_at = time.monotonic()
                assert replaced_at - killed_at < 10
                # The other web process answered while the killed one was being replaced.
                assert any(killed_at < t < replaced_at for t in load.answered) or replaced_at - killed_at < 0.5
                assert wait_until(lambda: healthy(live), 10)
                workers = query_workers(live)
                assert workers
                os.kill(workers[0], signal.SIGKILL)
                time.sleep(1.5)
            before = len(load.answered)
            time.sleep(1.5)
            assert len(load.answered) > before, "the server stopped answering after the kills"
        finally:
            load.finish()
        output = live.server.output
        assert output.count("was killed by SIGKILL") == 2
        # What was lost is at most what the killed processes held: each client has one request in flight, and
        # a killed query worker held one query.
        assert len(load.lost) <= 2 * CLIENTS + 2, load.lost
        assert all("refused" not in lost for lost in load.lost), load.lost
        print(f"answered {len(load.answered)}, told to retry {load.shed}, lost {len(load.lost)}: {load.lost}")


def test_a_query_left_running_by_a_dead_web_process_is_stopped(built: Built) -> None:
    with serving(built.dist, WEB_WORKERS="1", QUERY_WORKERS="1", QUERY_TIMEOUT="600") as live:

        def ask() -> None:
            with contextlib.suppress(requests.RequestException):  # its web process is killed under it
                requests.get(live.url + "/sparql", params={"query": ENDLESS}, headers=JSON, timeout=60)

        threading.Thread(target=ask, daemon=True).start()
        assert wait_until(lambda: live.get("/health").json()["query_workers"]["busy"] == 1, 20)
        busy = query_workers(live)
        assert len(busy) == 1
        [web] = web_processes(live)
        os.kill(web, signal.SIGKILL)
        # Without the watchdog's look at its connection, the worker would evaluate for ever.
        assert wait_until(lambda: gone(busy[0]), 3)
        assert wait_until(lambda: healthy(live), 15), live.server.output


def test_one_address_runs_one_query_per_web_process_whatever_its_user_agents(built: Built) -> None:
    """Query memory per address (issue 26): four endless queries from one address, each with its own User-Agent
    and connection, run at most ``WEB_WORKERS`` × max(1, ``QUERY_WORKERS`` − 1) = 2 at once across the web
    processes (so at most twice ``QUERY_MEMORY_MB``); the others wait their turn, and another address is served
    meanwhile. Keyed on the User-Agent, as before, all four ran at once."""
    timeout = 2.0
    settings = {"WEB_WORKERS": "2", "QUERY_WORKERS": "2", "QUERY_TIMEOUT": str(timeout), "QUEUE_TIMEOUT": "10"}
    with serving(built.dist, settings=settings, TRUST_PROXY="true") as live:
        started = time.monotonic()
        finished: list[tuple[float, int]] = []

        def ask(n: int) -> None:
            headers = {**JSON, "X-Forwarded-For": "192.0.2.7", "User-Agent": f"agent/{n}"}
            r = requests.get(live.url + "/sparql", params={"query": f"{ENDLESS} # {n}"}, headers=headers, timeout=60)
            finished.append((time.monotonic() - started, r.status_code))

        threads = [threading.Thread(target=ask, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        other = live.get(
            "/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={**JSON, "X-Forwarded-For": "192.0.2.8"}
        )
        assert other.status_code == 200 and other.elapsed.total_seconds() < timeout
        for t in threads:
            t.join(60)
        # Each was stopped at QUERY_TIMEOUT (503): the first two together, the others only after them.
        assert sorted(status for _, status in finished) == [503] * 4, finished
        first_wave = [at for at, _ in finished if at < 2 * timeout - 0.3]
        assert 1 <= len(first_wave) <= 2, finished
