"""Bounds on every query and fairness between clients, on the app in-process with small limits."""

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask

from pobratim.endpoint import create_app

from .conftest import Built
from .support.inprocess import InProcess, Reply
from .support.queries import DOUBLING, ENDLESS

JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture
def app(built: Built, request: pytest.FixtureRequest) -> Iterator[Flask]:
    settings = {"DIST": str(built.dist), "QUERY_WORKERS": 2, **getattr(request, "param", {})}
    application = create_app(settings)
    yield application
    application.extensions["pobratim"].pool.close()


@pytest.mark.parametrize("app", [{"QUERY_MEMORY_MB": 100}], indirect=True)
def test_a_query_past_its_memory_bound_is_stopped_with_a_clear_error(app: Flask) -> None:
    client = InProcess(app)
    r = client.post("/sparql", data={"query": DOUBLING}, headers=JSON)
    assert r.status_code == 503 and "100 MB" in r.text
    assert client.get("/sparql", params={"query": "ASK {}"}, headers=JSON).status_code == 200


@pytest.mark.parametrize("app", [{"ANSWER_MAX_BYTES": 1000}], indirect=True)
def test_an_answer_past_the_byte_limit_is_refused(app: Flask) -> None:
    client = InProcess(app)
    big = (
        'SELECT ?x WHERE { BIND (REPLACE(STRUUID(), ".", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx") AS ?x) }'
    )
    for accept in ("application/sparql-results+json", "text/csv", "application/sparql-results+xml"):
        r = client.get("/sparql", params={"query": big}, headers={"Accept": accept})
        assert r.status_code == 400 and "1000 bytes" in r.text


@pytest.mark.parametrize("app", [{"QUERY_WORKER_QUERIES": 2, "QUERY_WORKERS": 1}], indirect=True)
def test_workers_are_recycled_after_n_queries(app: Flask) -> None:
    client, pool = InProcess(app), app.extensions["pobratim"].pool
    first = pool.pids()
    for n in range(2):
        assert client.get("/sparql", params={"query": f"ASK {{}} # {n}"}, headers=JSON).status_code == 200
    client.get("/sparql", params={"query": "ASK {} # again"}, headers=JSON)  # waits for the replacement
    assert pool.pids() and set(pool.pids()).isdisjoint(first)


def ask(app: Flask, query: str, address: str, agent: str = "script/1.0") -> Reply:
    """Ask ``query`` as the client at ``address`` (the budget's client: whatever the User-Agent says)."""
    r = app.test_client().get(
        "/sparql",
        query_string={"query": query},
        headers={**JSON, "User-Agent": agent},
        environ_base={"REMOTE_ADDR": address},
    )
    return Reply(r.status_code, r.headers, r.get_data())


def wait_for(check: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not reached in time"
        time.sleep(0.02)


@pytest.mark.parametrize("app", [{"CLIENT_QUERY_SECONDS": 0.000001}], indirect=True)
def test_a_client_over_its_query_time_gets_429_while_others_are_served(app: Flask) -> None:
    assert ask(app, "ASK { ?s ?p ?o }", "10.0.0.1").status_code == 200
    refused = ask(app, "ASK { ?s ?p ?p }", "10.0.0.1")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1 and "query time" in refused.text
    # Another User-Agent from the same address is the same client (issue 26).
    assert ask(app, "ASK { ?s ?p ?p }", "10.0.0.1", agent="another/2.0").status_code == 429
    assert ask(app, "ASK { ?s ?p ?p }", "10.0.0.2").status_code == 200
    # An answer already in the cache costs nothing: the greedy client still gets it.
    assert ask(app, "ASK { ?s ?p ?o }", "10.0.0.1").status_code == 200


def test_a_person_runs_five_queries_at_once(app: Flask) -> None:
    """A second tab, a double-clicked Run, a small threaded script (issue 29: WDQS allows 5)."""
    with ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(lambda n: ask(app, f"SELECT * {{ ?s ?p ?o }} LIMIT {n + 1}", "10.0.0.1"), range(5)))
    assert [a.status_code for a in answers] == [200] * 5


@pytest.mark.parametrize("app", [{"QUERY_TIMEOUT": 2, "QUEUE_TIMEOUT": 30, "QUEUE_LENGTH": 8}], indirect=True)
def test_a_greedy_client_gets_429_and_never_holds_every_worker(app: Flask) -> None:
    st = app.extensions["pobratim"]
    with ThreadPoolExecutor(5) as pool:
        held = [pool.submit(ask, app, f"{ENDLESS} # {n}", "10.0.0.1", f"agent/{n}") for n in range(5)]
        wait_for(lambda: st.budget.in_flight("10.0.0.1") == (5, 1))
        # Its sixth query is refused at once, whatever User-Agent it sends.
        sixth = ask(app, ENDLESS + " # 6", "10.0.0.1", "agent/6")
        assert sixth.status_code == 429 and "at once" in sixth.text
        # It holds one of the two workers at most; the others of its queries wait for their turn, and
        # another client is served meanwhile on the other worker.
        busiest = 0
        for _ in range(50):
            busiest = max(busiest, st.pool.workers()[1])
            time.sleep(0.02)
        assert busiest == 1
        assert ask(app, "ASK { ?s ?p ?o }", "10.0.0.2").status_code == 200
        outcomes = [f.result().status_code for f in held]
    # Each was stopped at the deadline in turn (503), never refused for waiting.
    assert outcomes == [503] * 5


@pytest.mark.parametrize("app", [{"QUERY_MEMORY_TOTAL_MB": 150, "QUERY_WORKERS": 1}], indirect=True)
def test_all_query_workers_together_stay_under_the_total(app: Flask) -> None:
    r = ask(app, DOUBLING, "10.0.0.1")
    assert r.status_code == 503 and "150 MB all queries may use" in r.text, r.text
    assert ask(app, "ASK {}", "10.0.0.1").status_code == 200
