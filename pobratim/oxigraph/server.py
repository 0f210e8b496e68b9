"""The query server: holds the graph and forks query worker processes that a deadline can kill.

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
import dataclasses
import gc
import multiprocessing
import os
import pickle
import select
import shutil
import signal
import socket
import tempfile
import threading
import time
import traceback
import weakref
from multiprocessing.connection import Connection

import pyoxigraph

from pobratim.oxigraph.evaluate import evaluate
from pobratim.sparql.answers import Answer, Outcome

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


# The evaluator recurses per nesting level and per chained operator; the guard keeps queries far below
# what this stack holds (measured with the main thread's 8 MiB: 3,000 nested groups overflowed it).
WORKER_STACK = 256 << 20


def _worker_main(conn: Connection, store: pyoxigraph.Store | None, store_path: str, total: int) -> None:
    """Answer jobs on a thread with a large stack (virtual memory: only the pages used are committed)."""
    threading.stack_size(WORKER_STACK)
    over_total = threading.Event()
    # The query server's SIGUSR1: the workers together grew past ``total`` and this one grew most. The main
    # thread waits in join(), where Python runs signal handlers; the watchdog acts on the flag.
    signal.signal(signal.SIGUSR1, lambda _signum, _frame: over_total.set())
    thread = threading.Thread(
        target=_answer_jobs, args=(conn, store, store_path, _Limits(total, over_total)), name="pobratim-worker"
    )
    thread.start()
    thread.join()


def _resident() -> int:
    """This process's resident memory in bytes (proc(5): the second field of /proc/self/statm, in pages)."""
    with open("/proc/self/statm", "rb") as f:
        return int(f.read().split()[1]) * PAGE


PAGE = os.sysconf("SC_PAGE_SIZE")
WATCH_EVERY = 0.02  # seconds between two looks at a running query's memory
TOTAL_EVERY = 0.1  # seconds between two looks at all the workers' memory


class _Watchdog:
    """Stop the worker, with a clear answer, when a query makes it grow past the job's memory bound.

    Oxigraph evaluates without the GIL, so this thread keeps looking while the query runs. Growth is
    counted from the worker's start: the graph it shares with the query server is already resident then.
    """

    def __init__(self, conn: Connection, send_lock: threading.Lock, limits: "_Limits") -> None:
        self.conn, self.send_lock, self.limits = conn, send_lock, limits
        self.peer = socket.socket(fileno=os.dup(conn.fileno()))  # to look at, never to read
        self.baseline = _resident()
        self.bound: int | None = None  # set while a query runs
        threading.Thread(target=self._watch, daemon=True, name="pobratim-watchdog").start()

    def grown(self) -> int:
        return max(0, _resident() - self.baseline)

    def _abandoned(self) -> bool:
        """Whether the web process that sent the running query has gone (its end of the connection closed).

        While a query runs nothing more is sent to this worker, so readable means closed: a web process that
        died (killed, crashed) leaves no query running on for nobody.
        """
        try:
            return self.peer.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def _watch(self) -> None:
        while True:
            time.sleep(WATCH_EVERY)
            bound = self.bound
            if bound is not None and self._abandoned():
                os._exit(4)
            over_total = self.limits.over_total.is_set()
            if over_total and bound is None:
                os._exit(0)  # idle, and holding what earlier queries took: its pool starts another
            message = ""
            if bound is not None and over_total:
                message = (
                    f"the queries running together needed more than the {self.limits.total >> 20} MB all queries may "
                    "use, and this one, which took the most, was stopped"
                )
            elif bound is not None and self.grown() > bound:
                message = f"the query needed more than the {bound >> 20} MB a query may use, and was stopped"
            if message:
                with self.send_lock:  # never interleaved with an answer being sent; nothing is sent after
                    self.conn.send(Answer(Outcome.OUT_OF_MEMORY, message=message))
                    os._exit(3)


@dataclasses.dataclass(frozen=True)
class _Limits:
    """The bound on all workers together, and the flag the query server raises when they pass it."""

    total: int
    over_total: threading.Event


def _answer_jobs(conn: Connection, store: pyoxigraph.Store | None, store_path: str, limits: _Limits) -> None:
    try:
        opened = store if store is not None else pyoxigraph.Store.read_only(store_path)
    except OSError as err:
        conn.send(("error", f"cannot open the store {store_path}: {err}"))
        return
    send_lock = threading.Lock()
    watchdog = _Watchdog(conn, send_lock, limits)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            # Pickled by hand rather than by Connection.recv/send, whose pickler copies the copyreg table each time.
            job = pickle.loads(conn.recv_bytes())
        except EOFError:
            return
        watchdog.bound = job.max_memory
        try:
            answer = evaluate(opened, job)
        except Exception:  # a bug, not the user's fault: 500 with a log line, and keep serving
            answer = Answer(
                Outcome.INTERNAL_ERROR, message="internal error while evaluating the query\n" + traceback.format_exc()
            )
        watchdog.bound = None
        reply = pickle.dumps(dataclasses.replace(answer, grown=watchdog.grown()), pickle.HIGHEST_PROTOCOL)
        with send_lock:
            conn.send_bytes(reply)


def _memory_store(dump_path: str) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.bulk_load(path=dump_path, format=pyoxigraph.RdfFormat.TRIG)
    return store


def _rss(pid: int) -> int | None:
    """Process ``pid``'s resident memory in bytes, or None once it has ended."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return None


class _Total:
    """Keep all the workers of this server, together, under ``total`` bytes of growth.

    A worker's growth is its resident memory beyond the server's when it was forked (the pages it shares
    with the server are resident in both): what its queries took, and the store pages its reads copied.
    Past the bound, the worker that grew most is told (SIGUSR1) to stop its query with a clear answer, or
    to end if idle; one that has not ended a second later is killed.
    """

    def __init__(self, total: int) -> None:
        self.total = total
        self.workers: dict[int, int] = {}  # pid: the server's resident memory when it was forked
        self.told: dict[int, float] = {}  # pid: when it was told to stop

    def forked(self, pid: int) -> None:
        self.workers[pid] = _resident()

    def check(self) -> None:
        grown = {}
        for pid, baseline in list(self.workers.items()):
            rss = _rss(pid)
            if rss is None:
                del self.workers[pid]
                self.told.pop(pid, None)
                continue
            grown[pid] = max(0, rss - baseline)
        now = time.monotonic()
        for pid, at in list(self.told.items()):
            if now - at > 1.0:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        if sum(grown.values()) <= self.total:
            return
        largest = max((pid for pid in grown if pid not in self.told), key=grown.__getitem__, default=None)
        if largest is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(largest, signal.SIGUSR1)
            self.told[largest] = now


def _server_main(address: str, store_path: str, dump_path: str | None, lifeline: Connection, total: int) -> None:
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
    workers = _Total(total)
    while True:
        # No thread here (a fork copies only the forking thread): the workers' memory is looked at between waits.
        readable, _, _ = select.select([listener.fileno(), lifeline.fileno()], [], [], TOTAL_EVERY)
        workers.check()
        if lifeline.fileno() in readable:
            return  # the owner closed its end (or died)
        if listener.fileno() not in readable:
            continue
        client, _ = listener.accept()
        pid = os.fork()
        if pid == 0:
            listener.close()
            lifeline.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            try:
                _worker_main(Connection(client.detach()), store, store_path, total)
            finally:
                os._exit(0)
        workers.forked(pid)
        client.close()


class QueryServer:
    """The process that holds the graph (``memory`` mode) and forks query workers on request."""

    def __init__(
        self, store_path: str, mode: str, dump_path: str | None = None, timeout: float = 600, total: int = 4 << 30
    ):
        if mode not in STORE_MODES:
            raise ValueError(f"QUERY_STORE must be one of {', '.join(STORE_MODES)}, not {mode!r}")
        if mode == "memory" and not dump_path:
            raise ValueError("QUERY_STORE=memory needs the TriG dump to load")
        self._folder = tempfile.mkdtemp(prefix="pobratim-queries-")  # 0700: only this user can connect
        self.address = os.path.join(self._folder, "workers.sock")
        self._lifeline, child = _CTX.Pipe()
        _LIFELINES.add(self._lifeline)
        args = (self.address, store_path, dump_path if mode == "memory" else None, child, total)
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
