"""Virtuoso behind pobratim: builds loaded beside the served one (blue/green), a wrong build refused, the
same pages on both stores, and what never reaches Virtuoso."""

import hashlib
import json
import os
import shutil
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from pobratim import published, settings
from pobratim.core.locks import only_one
from pobratim.settings import Settings
from pobratim.virtuoso import names
from pobratim.virtuoso.config import Ports
from pobratim.virtuoso.errors import VirtuosoError
from pobratim.virtuoso.instance import Instance
from pobratim.virtuoso.loader import LOCK, Loaded, held, load, new_stamp, stamp

from .conftest import Built
from .support.cli import pobratim
from .support.inprocess import InProcess
from .support.live import free_port, serving
from .support.virtuoso import BUFFERS, Running, installed, not_installed_warning

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JSON_RESULTS = "application/sparql-results+json"


def ask_virtuoso(url: str, query: str) -> tuple[int, bytes]:
    """Send ``query`` to Virtuoso itself, as an anonymous client would (no pobratim in between)."""
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, body, {"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def select(url: str, query: str) -> list[dict[str, Any]]:
    status, body = ask_virtuoso(url, query)
    assert status == 200, body
    bindings: list[dict[str, Any]] = json.loads(body)["results"]["bindings"]
    return bindings


def count(url: str) -> int:
    return int(select(url, COUNT)[0]["n"]["value"])


@dataclass(frozen=True)
class Pair:
    """Two Virtuoso databases of this module's own (blue/green), which its tests load builds into."""

    instances: list[Instance]
    config: Settings

    @property
    def setting(self) -> str:
        return ",".join(i.url for i in self.instances)

    def load(self, dist: Path, wait: float = 0.0) -> Loaded:
        return load(self.instances, dist, self.config, wait=wait)

    def holding(self) -> dict[str, str | None]:
        """Say which build each database holds whole, by URL."""
        return {i.url: (h.version if (h := held(i)) else None) for i in self.instances}


def other_build(built: Built, folder: Path, extra: str, triples: int = 1) -> Path:
    """A copy of the session's build with ``triples`` more triples in its default graph (a new version)."""
    dist = folder / extra
    shutil.copytree(built.dist, dist)
    store = ox.Store(str(dist / published.STORE))
    for n in range(triples):
        store.add(ox.Quad(ox.NamedNode("urn:x:test"), ox.NamedNode("urn:x:says"), ox.Literal(f"{extra} {n}")))
    store.flush()
    del store
    manifest = json.loads((dist / published.MANIFEST).read_text())
    manifest["quads"] += triples
    (dist / published.MANIFEST).write_text(json.dumps(manifest))
    # The version follows the checksum list, which a server checks every file against: the changed manifest's
    # sum, and a file naming the copy, so that each copy is a version of its own.
    (dist / "copy.txt").write_text(extra)
    sums = [
        line
        for line in (dist / published.CHECKSUMS).read_text().splitlines()
        if not line.endswith(f"  {published.MANIFEST}")
    ]
    for name in (published.MANIFEST, "copy.txt"):
        sums.append(f"{hashlib.sha256((dist / name).read_bytes()).hexdigest()}  {name}")
    (dist / published.CHECKSUMS).write_text("\n".join(sums) + "\n")
    return dist


@pytest.fixture(scope="module")
def pair(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """Two databases, the first holding a copy of the session's build that no other test's server reads."""
    if not installed():
        pytest.skip(not_installed_warning())
    folder = tmp_path_factory.mktemp("pair")
    config = settings.load({"VIRTUOSO_BUFFERS": BUFFERS}, environ={})
    both = Pair([Instance(folder / str(n), Ports(free_port(), free_port())) for n in (1, 2)], config)
    try:
        both.load(other_build(built, folder, "first"))
        yield both
    finally:
        for instance in both.instances:
            instance.stop()


def test_a_new_build_is_loaded_beside_the_served_one_which_readers_keep_reading(
    pair: Pair, built: Built, tmp_path: Path
) -> None:
    served = next(i for i in pair.instances if held(i) is not None)
    reading = held(served)
    assert reading is not None
    before = count(served.url)
    new = other_build(built, tmp_path, "new", triples=2)
    seen: list[int] = []
    stop = threading.Event()

    failed: list[str] = []

    def read() -> None:
        try:
            while not stop.is_set():
                seen.append(count(served.url))
        except Exception as err:  # a reader that fails is a finding: said below
            failed.append(repr(err))

    lease = published.lease(reading.folder)  # a server reads the served build
    reader = threading.Thread(target=read)
    reader.start()
    try:
        loaded = pair.load(new)
    finally:
        stop.set()
        reader.join()
        os.close(lease)
    assert not failed
    assert loaded.fresh and loaded.url != served.url
    # The served database was never touched: every answer is the old build, whole.
    assert seen and set(seen) == {before}
    assert held(served) == reading
    more = published.Manifest.read(new).quads - published.Manifest.read(reading.folder).quads
    assert count(loaded.url) == before + more
    graphs = {b["g"]["value"] for b in select(loaded.url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert {g for g in graphs if g.startswith(names.DEFAULT_GRAPH)} == {names.default_graph(published.version(new))}
    # A build a database holds already is not loaded again.
    assert not pair.load(new).fresh
    assert pair.holding()[loaded.url] == published.version(new)


def test_a_load_replaces_the_older_build_never_one_a_server_reads_and_a_failed_one_is_never_read(
    pair: Pair, built: Built, tmp_path: Path
) -> None:
    older, newer = other_build(built, tmp_path, "older"), other_build(built, tmp_path, "newer")
    pair.load(older)
    pair.load(newer)
    database = {version: url for url, version in pair.holding().items()}
    third = other_build(built, tmp_path, "third")
    assert pair.load(third).url == database[published.version(older)]  # both free: the older build goes
    leases = {dist: published.lease(dist) for dist in (newer, third)}  # servers reading both builds
    try:
        with pytest.raises(VirtuosoError, match="which a server reads"):
            pair.load(other_build(built, tmp_path, "fourth"), wait=1.0)
        assert set(pair.holding().values()) == {published.version(newer), published.version(third)}
        os.close(leases.pop(newer))  # the servers have moved to the third build
        broken = other_build(built, tmp_path, "broken")
        manifest = json.loads((broken / published.MANIFEST).read_text())
        manifest["quads"] += 5  # the load finds fewer quads than the build says it has
        (broken / published.MANIFEST).write_text(json.dumps(manifest))
        with pytest.raises(VirtuosoError, match="quads"):
            pair.load(broken)
        holding = pair.holding()
        assert sorted(holding.values(), key=str) == sorted([None, published.version(third)], key=str)
        failed = next(url for url, version in holding.items() if version is None)
        assert count(failed) == 0  # loaded, but never made readable
        assert pair.load(older).url == failed  # and the next load goes there
    finally:
        for lease in leases.values():
            os.close(lease)


def test_a_build_published_again_in_another_folder_is_still_known_to_be_read(
    pair: Pair, built: Built, tmp_path: Path
) -> None:
    first, second = other_build(built, tmp_path, "a"), other_build(built, tmp_path, "b")
    pair.load(first)
    pair.load(second)
    again = tmp_path / "a-again"  # a reproducible rebuild: the same version in a new folder
    shutil.copytree(first, again)
    assert published.version(again) == published.version(first)
    loaded = pair.load(again)
    assert not loaded.fresh
    database = next(i for i in pair.instances if i.url == loaded.url)
    assert (found := held(database)) is not None and found.folder == again.resolve()  # now read from there
    also = tmp_path / "a-also"  # published once more, and never given to a load
    shutil.copytree(first, also)
    leases = [published.lease(also), published.lease(second)]  # servers read it from that folder
    try:
        with pytest.raises(VirtuosoError, match="which a server reads"):
            pair.load(other_build(built, tmp_path, "c"), wait=0.5)
    finally:
        for lease in leases:
            os.close(lease)


def test_the_build_being_replaced_stays_claimed_until_its_database_is_emptied(
    pair: Pair, built: Built, tmp_path: Path
) -> None:
    pair.load(other_build(built, tmp_path, "one"))
    pair.load(other_build(built, tmp_path, "two"))
    oldest = min((h for i in pair.instances if (h := held(i)) is not None), key=lambda h: h.loaded)
    read_meanwhile: dict[str, bool] = {}

    def progress(message: str) -> None:
        if message.startswith("made the database"):
            read_meanwhile["claimed"] = published.in_use(oldest.folder)

    load(pair.instances, other_build(built, tmp_path, "three"), pair.config, progress)
    assert read_meanwhile == {"claimed": True}  # no server could have started reading it in between
    assert not published.in_use(oldest.folder)  # and the claim is gone once it was emptied


def test_a_stopped_database_is_started_again_never_taken_for_an_empty_one(
    pair: Pair, built: Built, tmp_path: Path
) -> None:
    pair.load(other_build(built, tmp_path, "before"))
    pair.load(other_build(built, tmp_path, "last"))
    serving_db = max(pair.instances, key=lambda i: h.loaded if (h := held(i)) else "")
    served = held(serving_db)
    assert served is not None
    lease = published.lease(served.folder)  # servers read it
    try:
        serving_db.stop()  # it crashed, say
        assert not serving_db.answering()
        loaded = pair.load(other_build(built, tmp_path, "after-crash"))
        assert loaded.url != serving_db.url
        assert held(serving_db) == served  # started again, holding the build it held
    finally:
        os.close(lease)


def test_virtuoso_runs_in_utc(pair: Pair) -> None:
    # NOW() comes back from Virtuoso without a time zone; pobratim tells it from the clock (normalise.zone),
    # and its own Virtuoso runs in UTC so that the time is the UTC one.
    [row] = select(pair.instances[0].url, "SELECT (NOW() AS ?now) WHERE {}")
    now = datetime.fromisoformat(row["now"]["value"])
    assert now.tzinfo is None
    assert abs((now - datetime.now(UTC).replace(tzinfo=None)).total_seconds()) < 60


def test_a_password_beginning_with_a_dash_still_reaches_the_database(pair: Pair) -> None:
    # A URL-safe password once began with "-H…", which isql took for a host name: every load failed.
    instance = next(i for i in pair.instances if i.answering())
    password_file = instance.folder / "dba-password"
    made = password_file.read_text(encoding="utf-8").strip()
    dashed = "-H" + made
    instance.sql(f"USER_SET_PASSWORD ('dba', '{dashed}');\n", 60)
    password_file.write_text(dashed + "\n", encoding="utf-8")
    try:
        assert "reached" in instance.sql("select 'reached';\n", 60)
    finally:
        instance.sql(f"USER_SET_PASSWORD ('dba', '{made}');\n", 60)
        password_file.write_text(made + "\n", encoding="utf-8")


def test_loads_are_ordered_by_when_they_finished_whatever_pobratim_stamped_them() -> None:
    before = stamp("2026-11-24 13:19:51.250000")  # a database an older pobratim loaded: Virtuoso's datetime
    assert before == f"{int(datetime(2026, 11, 24, 13, 19, 51, tzinfo=UTC).timestamp()) * 10**9 + 250_000_000:020d}"
    assert stamp("garbled") < before < new_stamp()


def test_one_load_at_a_time(pair: Pair, built: Built, tmp_path: Path) -> None:
    with only_one(pair.instances[0].folder.parent / LOCK):  # another load is running (here: this process)
        before = pair.holding()
        with pytest.raises(VirtuosoError, match=rf"another `pobratim virtuoso load` is running \(pid {os.getpid()},"):
            pair.load(other_build(built, tmp_path, "meanwhile"))
        assert pair.holding() == before


def test_a_server_moves_to_the_other_database_and_every_answer_is_one_whole_build(
    pair: Pair, built: Built, tmp_path: Path
) -> None:
    first = other_build(built, tmp_path, "served")
    pair.load(first)
    dist = tmp_path / "dist"
    dist.symlink_to(first)
    quads = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    answers: list[tuple[int, int]] = []
    with serving(dist, STORE="virtuoso", VIRTUOSO_URL=pair.setting, WEB_WORKERS="1", QUERY_TIMEOUT="2") as live:
        stop = threading.Event()
        failed: list[str] = []
        reading, polling = live.client(), live.client()

        def read() -> None:
            try:
                while not stop.is_set():
                    r = reading.get(
                        live.url + "/sparql", params={"query": quads}, headers={"Accept": JSON_RESULTS}, timeout=60
                    )
                    answers.append((r.status_code, int(r.json()["results"]["bindings"][0]["n"]["value"])))
            except Exception as err:  # a request lost even when sent again is a finding
                failed.append(repr(err))

        def version() -> str:
            return str(polling.get(live.url + "/health", timeout=60).json()["version"])

        reader = threading.Thread(target=read)
        reader.start()
        try:
            second = other_build(built, tmp_path, "next", triples=2)
            link = tmp_path / "dist.new"
            link.symlink_to(second)
            os.replace(link, dist)  # published: dist names the new build, which no database holds yet
            time.sleep(2.5)
            health = polling.get(live.url + "/health", timeout=60).json()
            assert health["version"] == published.version(first) and health["store"] == "virtuoso"  # the old one
            pair.load(second, wait=30)
            deadline, fresh = time.monotonic() + 60, 0
            while fresh < 12:
                assert time.monotonic() < deadline, "the server did not move to the new build"
                fresh = fresh + 1 if version() == published.version(second) else 0
                time.sleep(0.4)
        finally:
            stop.set()
            reader.join()
    deadline = time.monotonic() + 30
    while published.in_use(first) or published.in_use(second):  # every process of the server gone
        assert time.monotonic() < deadline, "a process of the stopped server still reads a build"
        time.sleep(0.2)
    assert not failed, "a request was dropped while the server moved"
    assert answers and all(status == 200 for status, _n in answers)
    old, new = answers[0][1], answers[-1][1]
    assert new == old + 1  # the second build has one triple more than the first
    # Never a half-loaded build: each answer counts the old build whole or the new one whole.
    assert {n for _status, n in answers} == {old, new}


def test_serve_refuses_virtuosos_holding_another_build(pair: Pair, built: Built, tmp_path: Path) -> None:
    other = other_build(built, tmp_path, "unloaded")
    done = pobratim(
        "serve",
        "--dist",
        str(other),
        "--port",
        str(free_port()),
        env={"POBRATIM_STORE": "virtuoso", "POBRATIM_VIRTUOSO_URL": pair.setting},
        timeout=60,
    )
    assert done.returncode == 1
    assert "no Virtuoso holds the build" in done.stderr and "pobratim virtuoso load" in done.stderr
    assert all(instance.url in done.stderr for instance in pair.instances)  # what each holds, or that it is down


def test_virtuoso_itself_is_read_only_for_anonymous_clients(virtuoso: Running) -> None:
    status, body = ask_virtuoso(virtuoso.url, "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> <urn:x:o> } }")
    assert status != 200 and b"permission" in body.lower()
    status, _body = ask_virtuoso(virtuoso.url, "SELECT * WHERE { GRAPH <urn:x:g> { ?s ?p ?o } }")
    assert b"urn:x:s" not in _body


@pytest.fixture(scope="module")
def on_virtuoso(built: Built, virtuoso: Running) -> Iterator[InProcess]:
    from pobratim.endpoint import create_app

    app = create_app({"DIST": str(built.dist), "STORE": "virtuoso", "VIRTUOSO_URL": virtuoso.url})
    yield InProcess(app)


@pytest.mark.parametrize(
    "query",
    [
        'PREFIX bif: <bif:> SELECT * WHERE { ?s bif:contains "Kazanlak" }',
        "SELECT * WHERE { ?s <bif:contains> ?o }",
        "SELECT * WHERE { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s <\\u0062if:contains> ?o }",
    ],
)
def test_virtuoso_extensions_never_reach_it(on_virtuoso: InProcess, query: str) -> None:
    r = on_virtuoso.get("/sparql", params={"query": query})
    assert r.status_code == 400 and "not allowed" in r.text


def test_virtuoso_own_syntax_is_refused_with_the_parsers_position(on_virtuoso: InProcess) -> None:
    for query in ['DEFINE input:inference "x" SELECT * { ?s ?p ?o }', "SPARQL SELECT * { ?s ?p ?o }"]:
        r = on_virtuoso.get("/sparql", params={"query": query})
        assert r.status_code == 400 and "syntax error" in r.text.lower()


def test_only_the_builds_graphs_are_read(on_virtuoso: InProcess, built: Built) -> None:
    r = on_virtuoso.get(
        "/sparql", params={"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"}
    )
    graphs = {b["g"]["value"] for b in r.json()["results"]["bindings"]}
    manifest = published.Manifest.read(built.dist)
    # The build's graphs: neither the one holding its default graph nor any of Virtuoso's own.
    assert graphs == set(manifest.graph_names)


@pytest.mark.parametrize("path", ["/id/place/bg/kazanlak", "/id/place/bg/asenovgrad", "/graph/asenovgrad-twin-towns"])
def test_resource_pages_and_documents_are_the_same_on_both_stores(
    on_virtuoso: InProcess, server: InProcess, path: str
) -> None:
    for document in (f"{path}.html", f"{path}.ttl"):
        embedded, virtuoso = server.get(document), on_virtuoso.get(document)
        assert embedded.status_code == virtuoso.status_code == 200
        assert virtuoso.text == embedded.text, f"{document} differs between the stores"


def test_an_ask_multiplying_its_own_values_is_stopped_at_the_deadline(built: Built, virtuoso: Running) -> None:
    # Checking its syntax must not run it: on an empty Oxigraph store in the web process, nothing would stop
    # its billion rows. Virtuoso runs it and stops it at the deadline.
    from pobratim.endpoint import create_app

    app = create_app({"DIST": str(built.dist), "STORE": "virtuoso", "VIRTUOSO_URL": virtuoso.url, "QUERY_TIMEOUT": 2})
    values = " ".join(str(n) for n in range(1000))
    query = f"ASK {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} VALUES ?c {{ {values} }} FILTER(?a < 0) }}"
    started = time.monotonic()
    r = InProcess(app).get("/sparql", params={"query": query})
    assert time.monotonic() - started < 10
    assert r.status_code == 503 and "time" in r.text.lower(), r.text
