"""The pool of query workers a web process borrows from: one query per worker, killed at the deadline."""

import contextlib
import logging
import math
import os
import pickle
import select
import signal
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from pobratim.oxigraph.server import LEAVING, QueryServer
from pobratim.sparql.answers import Answer, Outcome, QueryJob, timed_out

log = logging.getLogger(__name__)
TEND_EVERY = 1.0  # seconds between two looks for idle workers that have left


@dataclass
class _Worker:
    pid: int
    conn: Connection
    query: str | None = None
    since: float = 0.0
    answered: int = 0
    # Kept registered on the connection: Connection.poll builds and registers a new selector on every call,
    # ≈ 15 µs of the web process's CPU, twice a query.
    poller: "select.poll" = field(default_factory=select.poll)

    def __post_init__(self) -> None:
        self.poller.register(self.conn.fileno(), select.POLLIN)

    def readable(self, timeout: float = 0.0) -> bool:
        """Say whether the worker has said something (or ended: end of file) within ``timeout`` seconds."""
        return bool(self.poller.poll(max(0, math.ceil(timeout * 1000))))


class QueryPool:
    """A fixed set of query processes; each request borrows one and returns or replaces it."""

    def __init__(
        self,
        address: str,
        size: int,
        owned: QueryServer | None = None,
        max_waiting: int = 1,
        recycle_queries: int = 10_000,
    ):
        if size < 1:
            raise ValueError("QUERY_WORKERS must be at least 1")
        self.address = address
        self._owned = owned  # the query server this pool started, closed with it
        # Requests waiting for a worker hold a request thread each: past this many, answer BUSY at once, so
        # that threads stay free for health checks, cached answers and pages.
        self._max_admitted = max_waiting + size
        self._admitted = 0
        # A worker is replaced after this many queries (the query server replaces one that holds too much memory).
        self._recycle_queries = recycle_queries
        # The idle workers, last in first out (a light load keeps the same few workers, and only their memory
        # grows: each copies the pages of the graph its reads touch), and the requests admitted: one lock (a C
        # lock, where queue.Queue and a BoundedSemaphore took Python-level conditions on every query); a request
        # waits only when no worker is idle.
        self._idle: deque[_Worker] = deque()
        self._turn = threading.Condition(threading.Lock())
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        for _ in range(size):
            self._give(self._spawn())
        self._closed = threading.Event()
        threading.Thread(target=self._tend, daemon=True, name="pobratim-tend").start()

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
        """Answer ``job`` within ``timeout`` seconds; past it, the worker is killed and replaced."""
        with self._turn:
            if self._admitted >= self._max_admitted:
                return Answer(Outcome.BUSY, message="all query workers are busy and others wait; try again shortly")
            self._admitted += 1
            worker = self._idle.pop() if self._idle else None
        try:
            deadline = time.monotonic() + queue_timeout
            while True:
                if worker is None:
                    with self._turn:
                        if not self._turn.wait_for(lambda: self._idle, max(0.0, deadline - time.monotonic())):
                            return Answer(Outcome.BUSY, message="all query workers are busy; try again shortly")
                        worker = self._idle.pop()
                if not worker.readable():  # an idle worker says nothing, unless it has left or ended (end of file)
                    answer = self._run(worker, job, timeout)
                    if answer is not None:
                        return answer
                else:
                    # It left (the query server's bounds) or was killed (the out-of-memory killer) while idle: no
                    # query of a client was lost; take another.
                    self._left(worker)
                worker = None
        finally:
            with self._turn:
                self._admitted -= 1

    def _give(self, worker: _Worker) -> None:
        """Put ``worker`` back among the idle ones; wake a request that waits for one."""
        with self._turn:
            self._idle.append(worker)
            self._turn.notify()

    def _left(self, worker: _Worker, said: bytes | None = None) -> None:
        """Replace ``worker``, which has left (said LEAVING) or ended while idle; say which in the log."""
        if said is None:
            try:
                said = worker.conn.recv_bytes()
            except (EOFError, OSError):
                said = b""
        if said == LEAVING:
            log.info("query worker %s left (memory held past its bound); replacing it", worker.pid)
        else:
            log.warning("query worker %s ended while idle; replacing it", worker.pid)
        self._retire(worker)
        self._replace()

    def _tend(self) -> None:
        """Replace the idle workers that have left (past a memory bound) or ended, so that a quiet server is back
        to its full pool before its next query: under load, the next request to take one replaces it."""
        while not self._closed.wait(TEND_EVERY):
            with self._turn:
                left = [w for w in self._idle if w.readable()]
                for worker in left:
                    self._idle.remove(worker)
            for worker in left:
                self._left(worker)

    def _run(self, worker: "_Worker", job: QueryJob, timeout: float) -> Answer | None:
        """Answer ``job`` on ``worker``; None if the worker left before reading it (send it to another)."""
        worker.query, worker.since = job.query, time.monotonic()
        try:
            # Pickled here, not by Connection.send, whose pickler copies the copyreg table on every call.
            worker.conn.send_bytes(pickle.dumps(job, pickle.HIGHEST_PROTOCOL))
            if worker.readable(timeout):
                said = worker.conn.recv_bytes()
                if said == LEAVING:  # it left just as the job was sent, and never read it
                    worker.query = None
                    self._left(worker, said)
                    return None
                answer: Answer = pickle.loads(said)
                if answer.outcome is Outcome.INTERNAL_ERROR:
                    log.error("query failed: %s\nquery: %s", answer.message, job.query)
                    answer = Answer(
                        Outcome.INTERNAL_ERROR, message="internal error while evaluating the query (logged)"
                    )
                worker.query = None
                worker.answered += 1
                if answer.outcome is Outcome.OUT_OF_MEMORY:
                    self._retire(worker)  # it has exited after saying why
                    self._replace()
                elif worker.answered >= self._recycle_queries:
                    self._retire(worker)
                    self._replace()
                else:
                    self._give(worker)
                return answer
        except (EOFError, OSError, BrokenPipeError):
            log.error("a query worker died; replacing it. query: %s", job.query)
            self._retire(worker)
            self._replace()
            return Answer(Outcome.WORKER_DIED, message="the query worker died (out of memory?); the query was stopped")
        self._retire(worker)
        self._replace()
        return timed_out(timeout)

    def _replace(self) -> None:
        """Start a replacement worker in the background, so the timed-out client is answered at once."""

        def start() -> None:
            try:
                self._give(self._spawn())
            except Exception:
                log.exception("could not start a replacement query worker")

        threading.Thread(target=start, daemon=True, name="pobratim-respawn").start()

    def workers(self) -> tuple[int, int]:
        """Return how many workers there are, and how many of them are evaluating a query now."""
        with self._lock:
            return len(self._all), sum(1 for w in self._all if w.query is not None)

    def pids(self) -> list[int]:
        """Return the process ids of the current workers."""
        with self._lock:
            return [w.pid for w in self._all]

    def running(self) -> list[tuple[str, float]]:
        """List the queries being evaluated now, with their run time in seconds."""
        now = time.monotonic()
        with self._lock:
            return [(w.query, now - w.since) for w in self._all if w.query is not None]

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            workers = list(self._all)
        for w in workers:
            self._retire(w)
        if self._owned is not None:
            self._owned.close()
