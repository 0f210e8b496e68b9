"""Bounds on every query and fairness between clients, on the app in-process with small limits."""

import threading
from collections.abc import Iterator

import pytest
from flask import Flask

from pobratim.endpoint import create_app

from .conftest import Built
from .inprocess import InProcess

JSON = {"Accept": "application/sparql-results+json"}
# Doubles a string 27 times: a one-line query that asks for gigabytes.
DOUBLING = (
    'SELECT (STRLEN(?v27) AS ?n) WHERE { BIND ("aaaaaaaaaa" AS ?v0) '
    + " ".join(f"BIND (CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(27))
    + " }"
)
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


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


@pytest.mark.parametrize("app", [{"CLIENT_QUERY_SECONDS": 0.000001}], indirect=True)
def test_a_client_over_its_query_time_gets_429_while_others_are_served(app: Flask) -> None:
    client = InProcess(app)
    greedy = {**JSON, "User-Agent": "greedy/1.0"}
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=greedy).status_code == 200
    refused = client.get("/sparql", params={"query": "ASK { ?s ?p ?p }"}, headers=greedy)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1 and "query time" in refused.text
    other = {**JSON, "User-Agent": "polite/1.0"}
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?p }"}, headers=other).status_code == 200
    # An answer already in the cache costs nothing: the greedy client still gets it.
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=greedy).status_code == 200


@pytest.mark.parametrize("app", [{"QUERY_TIMEOUT": 3, "QUEUE_TIMEOUT": 10}], indirect=True)
def test_one_client_cannot_hold_every_worker(app: Flask) -> None:
    greedy = {**JSON, "User-Agent": "greedy/1.0"}
    started = threading.Event()

    def hold() -> None:
        started.set()
        InProcess(app).post("/sparql", data={"query": SLOW}, headers=greedy)

    holder = threading.Thread(target=hold)
    holder.start()
    started.wait()
    client = InProcess(app)
    for _ in range(50):  # until the slow query is running
        if app.extensions["pobratim"].pool.workers()[1]:
            break
        threading.Event().wait(0.05)
    second = client.post("/sparql", data={"query": SLOW + " # again"}, headers=greedy)
    assert second.status_code == 429 and "at once" in second.text
    assert client.get("/sparql", params={"query": "ASK {}"}, headers={**JSON, "User-Agent": "other"}).status_code == 200
    holder.join()
