"""A real SPARQL server on loopback holding Wikidata-shaped data, for the linking tests (no internet).

It answers the SPARQL 1.1 Protocol (GET and POST form) with SPARQL JSON from a pyoxigraph store, can be
told to answer 429 with Retry-After first, and records the User-Agent of every request.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from flask import Flask, Response, request
from werkzeug.serving import make_server

FIXTURE = Path(__file__).parent / "fixtures" / "wikidata.ttl"


@dataclass
class Recorder:
    """What the server saw, and how many 429s it still owes."""

    agents: list[str] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    throttle: int = 0
    retry_after: str = "1"


def make_app(store: pyoxigraph.Store, rec: Recorder) -> Flask:
    app = Flask(__name__)

    @app.route("/sparql", methods=["GET", "POST"])
    def sparql() -> Response:
        rec.agents.append(request.headers.get("User-Agent", ""))
        query = request.values.get("query", "")
        rec.queries.append(query)
        if rec.throttle > 0:
            rec.throttle -= 1
            return Response("Too Many Requests", 429, headers={"Retry-After": rec.retry_after})
        try:
            result = store.query(query)
        except SyntaxError as err:
            return Response(str(err), 400)
        assert isinstance(result, pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean)
        body = result.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
        return Response(body, mimetype="application/sparql-results+json")

    return app


@contextmanager
def wikidata_server(fixture: Path = FIXTURE) -> Iterator[tuple[str, Recorder]]:
    """Serve ``fixture`` at ``http://127.0.0.1:<port>/sparql`` until the block ends."""
    store = pyoxigraph.Store()
    store.load(path=str(fixture), format=pyoxigraph.RdfFormat.TURTLE)
    rec = Recorder()
    server = make_server("127.0.0.1", 0, make_app(store, rec), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/sparql", rec
    finally:
        server.shutdown()
        thread.join(10)
