"""SPARQL evaluation in worker processes that a deadline can kill.

pyoxigraph evaluates a query to the end whatever the caller does (it cannot be cancelled), so every user
query runs in a separate process. The request thread waits for the answer until the query timeout; past
it, the worker is killed (its CPU really freed) and replaced, and the client gets a 503. Other requests
keep being answered by the other workers meanwhile.

The workers are forked by one *query server* process. In ``memory`` mode it loads the published dump
into an in-memory Oxigraph store once, and the workers start out sharing those pages copy-on-write: reads
on the on-disk store go through RocksDB and its string table for every term (≈ 30 µs per joined row at
1 M quads), the in-memory store answers the same queries 4-6× faster. Oxigraph's reads write into the
store's pages, so each worker comes to hold its own copy of the pages its queries touch (measured: a full
scan in a fresh worker copied 311 of 397 MB, and took 1.4 s against 0.9 s once copied). In ``disk`` mode
each worker opens the on-disk store read-only after the fork (RocksDB must not cross a fork).
"""

import contextlib
import gc
import logging
import multiprocessing
import os
import queue
import select
import shutil
import signal
import socket
import tempfile
import threading
import time
import traceback
import weakref
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph

from .formats import BY_NAME
from .results_io import write_boolean, write_solutions, write_triples

log = logging.getLogger(__name__)
# forkserver: the query server forks from a clean single-threaded process (forking the threaded web
# server itself is unsafe) and, unlike spawn, does not re-run the parent's __main__.
_CTX = multiprocessing.get_context("forkserver")
STORE_MODES = ("memory", "disk")
# The owners' ends of the query servers' lifelines. A process forked from an owner (a web server process)
# must not hold one: the query server stops when its owner's end closes, not when the last copy does.
_LIFELINES: "weakref.WeakSet[Connection]" = weakref.WeakSet()


def _drop_lifelines() -> None:
    for lifeline in list(_LIFELINES):
        lifeline.close()


os.register_at_fork(after_in_child=_drop_lifelines)


@dataclass(frozen=True)
class QueryJob:
    """What a worker needs to answer one query."""

    query: str
    results_format: str | None  # format name for SELECT/ASK, None when nothing acceptable
    rdf_format: str | None  # format name for CONSTRUCT/DESCRIBE, None when nothing acceptable
    limit: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """A worker's reply: a body, or an error status with a message."""

    status: int
    body: bytes = b""
    format_name: str | None = None
    truncated: bool = False
    rows: int = 0
    message: str = ""
    query_form: str = ""


class QueryTimeout(Exception):
    """The query ran past its deadline; its worker was killed."""


class PoolBusy(Exception):
    """No worker became free in time."""


def _graph_terms(iris: tuple[str, ...]) -> list[pyoxigraph.NamedNode] | None:
    return [pyoxigraph.NamedNode(i) for i in iris] if iris else None


def _results_format(name: str) -> pyoxigraph.QueryResultsFormat:
    fmt = BY_NAME[name].oxigraph
    assert isinstance(fmt, pyoxigraph.QueryResultsFormat)
    return fmt


def evaluate(store: pyoxigraph.Store, job: QueryJob) -> Answer:
    """Run one query on the store and write its answer, cut at ``job.limit``."""
    kwargs: dict[str, Any] = {}
    if job.default_graphs:
        kwargs["default_graph"] = _graph_terms(job.default_graphs)
    if job.named_graphs:
        kwargs["named_graphs"] = _graph_terms(job.named_graphs)
    try:
        result = store.query(job.query, **kwargs)
    except SyntaxError as err:
        return Answer(400, message=f"SPARQL syntax error: {err}")
    try:
        if isinstance(result, pyoxigraph.QueryBoolean):
            if job.results_format is None:
                return Answer(
                    406,
                    message="an ASK answer is a SPARQL result; the Accept header allows none of JSON, XML, CSV, TSV",
                    query_form="ASK",
                )
            body = write_boolean(result, _results_format(job.results_format))
            return Answer(200, body, job.results_format, rows=1, query_form="ASK")
        if isinstance(result, pyoxigraph.QuerySolutions):
            if job.results_format is None:
                return Answer(
                    406,
                    message="a SELECT answer is a SPARQL result; the Accept header allows none of JSON, XML, CSV, TSV",
                    query_form="SELECT",
                )
            body, rows, truncated = write_solutions(result, _results_format(job.results_format), job.limit)
            return Answer(200, body, job.results_format, truncated, rows, query_form="SELECT")
        if job.rdf_format is None:
            return Answer(
                406,
                message="a CONSTRUCT/DESCRIBE answer is RDF; the Accept header allows no RDF format",
                query_form="CONSTRUCT",
            )
        fmt = BY_NAME[job.rdf_format].oxigraph
        assert isinstance(fmt, pyoxigraph.RdfFormat)
        body, count, truncated = write_triples(result, fmt, job.limit)
        return Answer(200, body, job.rdf_format, truncated, count, query_form="CONSTRUCT")
    except OSError as err:
        # SERVICE calls surface network failures here (SPARQL 1.1 Federated Query §4: a failed SERVICE is an error).
        return Answer(502, message=f"a SERVICE call failed: {err}")
    except SyntaxError as err:
        return Answer(400, message=f"SPARQL error: {err}")


def _worker_main(conn: Connection, store: pyoxigraph.Store | None, store_path: str) -> None:
    try:
        opened = store if store is not None else pyoxigraph.Store.read_only(store_path)
    except OSError as err:
        conn.send(("error", f"cannot open the store {store_path}: {err}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            answer = evaluate(opened, job)
        except Exception:  # a bug, not the user's fault: 500 with a log line, and keep serving
            answer = Answer(500, message="internal error while evaluating the query\n" + traceback.format_exc())
        conn.send(answer)


def _memory_store(dump_path: str) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.bulk_load(path=dump_path, format=pyoxigraph.RdfFormat.TRIG)
    return store


def _server_main(address: str, store_path: str, dump_path: str | None, lifeline: Connection) -> None:
    """Hold the graph; fork one worker per connection to ``address``; stop when ``lifeline`` closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the web server's to handle
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # killed workers are reaped by the kernel
    try:
        store = _memory_store(dump_path) if dump_path else None
    except (OSError, SyntaxError) as err:
        lifeline.send(("error", f"cannot load {dump_path} into memory: {err}"))
        return
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(64)
    gc.freeze()  # keep the collector from writing to (and so copying) the pages the workers share
    lifeline.send(("ready", os.getpid()))
    while True:
        readable, _, _ = select.select([listener.fileno(), lifeline.fileno()], [], [])
        if lifeline.fileno() in readable:
            return  # the owner closed its end (or died)
        client, _ = listener.accept()
        pid = os.fork()
        if pid == 0:
            listener.close()
            lifeline.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            try:
                _worker_main(Connection(client.detach()), store, store_path)
            finally:
                os._exit(0)
        client.close()


class QueryServer:
    """The process that holds the graph (``memory`` mode) and forks query workers on request."""

    def __init__(self, store_path: str, mode: str, dump_path: str | None = None, timeout: float = 600):
        if mode not in STORE_MODES:
            raise ValueError(f"QUERY_STORE must be one of {', '.join(STORE_MODES)}, not {mode!r}")
        if mode == "memory" and not dump_path:
            raise ValueError("QUERY_STORE=memory needs the TriG dump to load")
        self._folder = tempfile.mkdtemp(prefix="pobratim-queries-")  # 0700: only this user can connect
        self.address = os.path.join(self._folder, "workers.sock")
        self._lifeline, child = _CTX.Pipe()
        _LIFELINES.add(self._lifeline)
        args = (self.address, store_path, dump_path if mode == "memory" else None, child)
        self.process = _CTX.Process(target=_server_main, args=args, daemon=True, name="pobratim-queries")
        self.process.start()
        child.close()
        try:
            status, detail = self._lifeline.recv() if self._lifeline.poll(timeout) else ("error", "no answer")
        except EOFError:
            status, detail = "error", "it exited"
        if status != "ready":
            self.close()
            raise RuntimeError(f"the query server could not start: {detail}")

    def close(self) -> None:
        self._lifeline.close()
        self.process.kill()
        self.process.join(5)
        shutil.rmtree(self._folder, ignore_errors=True)


@dataclass
class _Worker:
    pid: int
    conn: Connection
    query: str | None = None
    since: float = 0.0


class QueryPool:
    """A fixed set of query processes; each request borrows one and returns or replaces it."""

    def __init__(self, address: str, size: int, owned: QueryServer | None = None):
        if size < 1:
            raise ValueError("QUERY_WORKERS must be at least 1")
        self.address = address
        self._owned = owned  # the query server this pool started, closed with it
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(self.address)
        except OSError as err:
            sock.close()
            raise RuntimeError(f"cannot reach the query server at {self.address}: {err}") from err
        conn = Connection(sock.detach())
        try:
            status, detail = conn.recv() if conn.poll(60) else ("error", "no answer in 60 s")
        except (EOFError, OSError):
            status, detail = "error", "the worker exited"
        if status != "ready":
            conn.close()
            raise RuntimeError(f"a query worker could not start: {detail}")
        worker = _Worker(int(detail), conn)
        with self._lock:
            self._all.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        worker.conn.close()
        with self._lock:
            self._all = [w for w in self._all if w is not worker]

    def run(self, job: QueryJob, timeout: float, queue_timeout: float) -> Answer:
        """Answer ``job`` within ``timeout`` seconds or raise QueryTimeout (the worker is then replaced)."""
        try:
            worker = self._idle.get(timeout=queue_timeout)
        except queue.Empty:
            raise PoolBusy() from None
        worker.query, worker.since = job.query, time.monotonic()
        try:
            worker.conn.send(job)
            if worker.conn.poll(timeout):
                answer: Answer = worker.conn.recv()
                if answer.status == 500:
                    log.error("query failed: %s\nquery: %s", answer.message, job.query)
                    answer = Answer(500, message="internal error while evaluating the query (logged)")
                worker.query = None
                self._idle.put(worker)
                return answer
        except (EOFError, OSError, BrokenPipeError):
            log.error("a query worker died; replacing it. query: %s", job.query)
            self._retire(worker)
            self._replace()
            return Answer(503, message="the query worker died (out of memory?); the query was stopped")
        self._retire(worker)
        self._replace()
        raise QueryTimeout()

    def _replace(self) -> None:
        """Start a replacement worker in the background, so the timed-out client is answered at once."""

        def start() -> None:
            try:
                self._idle.put(self._spawn())
            except Exception:
                log.exception("could not start a replacement query worker")

        threading.Thread(target=start, daemon=True, name="pobratim-respawn").start()

    def workers(self) -> tuple[int, int]:
        """Return how many workers there are, and how many of them are evaluating a query now."""
        with self._lock:
            return len(self._all), sum(1 for w in self._all if w.query is not None)

    def running(self) -> list[tuple[str, float]]:
        """List the queries being evaluated now, with their run time in seconds."""
        now = time.monotonic()
        with self._lock:
            return [(w.query, now - w.since) for w in self._all if w.query is not None]

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
        for w in workers:
            self._retire(w)
        if self._owned is not None:
            self._owned.close()
