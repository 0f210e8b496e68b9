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

FIXTURE = Path(__file__).parent.parent / "fixtures" / "wikidata.ttl"
# The item a careful reviewer links for each seed place. A municipality named after its seat is linked to
# the seat's settlement (where Wikidata keeps P190); districts, provinces, regions and islands to their own
# item. Kocaeli ("град Коджаели", a city) is İzmit, the city the name stands for, not the province.
TRUTH = {  # place key -> item in FIXTURE
    "bg/asenovgrad": "Q9000070",
    "bg/kazanlak": "Q9000001",
    "cn/jinan": "Q9000114",
    "dz/blida": "Q9000115",
    "eg/alexandria": "Q9000060",
    "eg/luxor": "Q9000063",
    "fr/grasse": "Q9000091",
    "fr/saint-herblain": "Q9000090",
    "gr/didymoteicho": "Q9000078",
    "gr/kilkis": "Q9000075",
    "gr/naousa": "Q9000071",
    "gr/stenimachos": "Q9000074",
    "gr/veria": "Q9000021",
    "hu/nagykanizsa": "Q9000020",
    "id/bali": "Q9000130",
    "id/denpasar": "Q9000080",
    "ir/kashan": "Q9000117",
    "it/cazzago-san-martino": "Q9000015",
    "it/cremona": "Q9000010",
    "it/lombardy": "Q9000013",
    "it/province-of-cremona": "Q9000011",
    "jp/fukuyama": "Q9000110",
    "jp/munakata": "Q9000112",
    "kr/jungnang-gu": "Q9000041",
    "kr/seoul": "Q9000040",
    "mk/kocani": "Q9000094",
    "mk/prilep": "Q9000096",
    "ro/targoviste": "Q9000127",
    "rs/dimitrovgrad": "Q9000032",
    "ru/stary-oskol": "Q9000092",
    "ru/tolyatti": "Q9000022",
    "tr/bergama": "Q9000124",
    "tr/bursa": "Q9000120",
    "tr/kocaeli": "Q9000051",
    "tr/nilufer": "Q9000122",
    "vn/lai-chau": "Q9000100",
}


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
def wikidata_server(*fixtures: Path) -> Iterator[tuple[str, Recorder]]:
    """Serve the Turtle ``fixtures`` (FIXTURE if none) at ``http://127.0.0.1:<port>/sparql`` until the block ends."""
    store = pyoxigraph.Store()
    for fixture in fixtures or (FIXTURE,):
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
