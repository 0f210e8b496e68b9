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


# What a worker says, unasked, as it ends while idle: it has not read (and will never answer) any job sent
# to it since its last answer, so that job can go to another worker. Never a pickle: no answer equals it.
LEAVING = b"leaving"


def _worker_main(conn: Connection, store: pyoxigraph.Store | None, store_path: str, total: int) -> None:
    """Answer jobs on a thread with a large stack (virtual memory: only the pages used are committed)."""
    threading.stack_size(WORKER_STACK)
    limits = _Limits(total, threading.Event(), threading.Event())
    # The query server's signals; the main thread waits in join(), where Python runs signal handlers, and
    # the watchdog acts on the flags. SIGUSR1: the workers together grew past ``total`` and this one grew
    # most. SIGUSR2: this one holds more memory of its own than a worker may keep.
    signal.signal(signal.SIGUSR1, lambda _signum, _frame: limits.over_total.set())
    signal.signal(signal.SIGUSR2, lambda _signum, _frame: limits.retire.set())
    thread = threading.Thread(target=_answer_jobs, args=(conn, store, store_path, limits), name="pobratim-worker")
    thread.start()
    thread.join()


def _resident() -> int:
    """This process's resident memory in bytes (proc(5): the second field of /proc/self/statm, in pages)."""
    with open("/proc/self/statm", "rb") as f:
        return int(f.read().split()[1]) * PAGE


PAGE = os.sysconf("SC_PAGE_SIZE")
WATCH_EVERY = 0.02  # seconds between two looks at a running query's memory
TOTAL_EVERY = 0.1  # seconds between two looks at all the workers' memory
OWN_EVERY = 0.5  # seconds between two reads of a worker's private memory (each ~14 ms of the server's CPU)


class _Watchdog:
    """Stop the worker, with a clear answer, when a query makes it grow past the job's memory bound.

    Oxigraph evaluates without the GIL, so this thread keeps looking while the query runs. Growth is
    counted from the worker's start: the graph it shares with the query server is already resident then.
    """

    def __init__(self, conn: Connection, send_lock: threading.Lock, limits: "_Limits") -> None:
        self.conn, self.send_lock, self.limits = conn, send_lock, limits
        self.peer = socket.socket(fileno=os.dup(conn.fileno()))  # to look at, never to read
        self.baseline = _resident()
        self.bound: int | None = None  # set while a query runs, under ``busy``
        # Held while a job is taken or its answer sent, so that the worker never leaves in between.
        self.busy = threading.Lock()
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

    def leave_if_idle(self) -> None:
        """End this worker if it should and no query runs: say so first, then exit (its pool starts another).

        Only between jobs: a job that arrives meanwhile is never read, and the LEAVING said before it tells
        the pool to send it to another worker.
        """
        if not (self.limits.over_total.is_set() or self.limits.retire.is_set()):
            return
        with self.busy:
            if self.bound is None:
                with self.send_lock, contextlib.suppress(OSError):  # a pool that has gone needs no word
                    self.conn.send_bytes(LEAVING)
                os._exit(0)

    def _watch(self) -> None:
        while True:
            time.sleep(WATCH_EVERY)
            bound = self.bound
            if bound is not None and self._abandoned():
                os._exit(4)
            over_total = self.limits.over_total.is_set()
            self.leave_if_idle()
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
    """The bound on all workers together, and the flags the query server raises: past it, or holding too much."""

    total: int
    over_total: threading.Event
    retire: threading.Event


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
        with watchdog.busy:
            watchdog.bound = job.max_memory
        try:
            answer = evaluate(opened, job)
        except Exception:  # a bug, not the user's fault: 500 with a log line, and keep serving
            answer = Answer(
                Outcome.INTERNAL_ERROR, message="internal error while evaluating the query\n" + traceback.format_exc()
            )
        reply = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
        with watchdog.busy:
            with send_lock:
                conn.send_bytes(reply)
            watchdog.bound = None
        watchdog.leave_if_idle()


def _memory_store(dump_path: str) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.bulk_load(path=dump_path, format=pyoxigraph.RdfFormat.TRIG)
    return store


@dataclasses.dataclass(frozen=True)
class Rollup:
    """A process's memory in bytes: its proportional share of every page, and the pages it alone holds."""

    pss: int
    private: int


def rollup(pid: int) -> Rollup | None:
    """Read process ``pid``'s memory from /proc/PID/smaps_rollup (proc(5)), or None once it has ended.

    Resident memory counts the graph a worker shares with the query server; its private pages are what its
    queries took and the store pages its reads copied. The kernel walks every mapping to sum them: about
    14 ms for a worker that maps a 450 MB graph, so this is read seldom, never per query.
    """
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            fields = {line.split(b":")[0]: int(line.split()[1]) for line in f if line.endswith(b" kB\n")}
    except (OSError, IndexError, ValueError):
        return None
    private = fields.get(b"Private_Clean", 0) + fields.get(b"Private_Dirty", 0)
    return Rollup(fields.get(b"Pss", 0) << 10, private << 10)


def _rss(pid: int) -> int | None:
    """Process ``pid``'s resident memory in bytes, or None once it has ended."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return None


@dataclasses.dataclass
class _Own:
    """What the query server knows of one worker's memory of its own."""

    private: int = 0  # bytes of its own at the last look (0: never looked; nearly so at the fork)
    faults: int = 0  # its page faults then


def _faults(pid: int) -> int | None:
    """Page faults process ``pid`` has taken (proc(5): minflt + majflt of /proc/PID/stat), or None once ended."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[7]) + int(fields[9])


class _Workers:
    """Keep all the workers of this server, together, under ``total`` bytes of growth, and under ``own`` bytes
    of memory of their own per worker on average.

    A worker's growth is its resident memory beyond the server's when it was forked (the pages it shares
    with the server are resident in both): what its queries took. Past the bound, the worker that grew most
    is told (SIGUSR1) to stop its query with a clear answer, or to end if idle; one that has not ended a
    second later is killed.

    Resident memory does not see the pages of the graph a worker's reads copy (Oxigraph's in-memory reads
    write into the pages they touch): resident in the server and in the worker, before and after. Private
    memory does, but takes the kernel ~14 ms to sum at 1 M quads, so a worker's is read only when it may
    have changed enough to matter: a page becomes a worker's own only through a fault of that worker, so its
    faults since the last look bound how much it can have grown by. When the workers together may hold more
    than ``own`` times their number, the one whose memory is least known is read (one read every
    ``OWN_EVERY`` at most); if they do, the one that holds most is told (SIGUSR2) to end once its query, if
    any, is answered: its pool starts another, which shares the graph again. A bound on the sum, not on each,
    lets the few workers a light load keeps busy (a pool hands out the worker it got back last) keep more
    of the pages their queries read, and be replaced less often.
    """

    def __init__(self, total: int, own: int) -> None:
        self.total, self.own = total, own
        self.workers: dict[int, int] = {}  # pid: the server's resident memory when it was forked
        self.told: dict[int, float] = {}  # pid: when it was told to stop
        self.owns: dict[int, _Own] = {}  # pid: its memory of its own, for those not yet told to end when idle
        self.last_read = 0.0

    def forked(self, pid: int) -> None:
        self.workers[pid] = _resident()
        self.owns[pid] = _Own()

    def check(self) -> None:
        """Look at the workers' resident memory and page faults; read one worker's private memory if together
        they may be past their bound, and tell the one that holds most to end if they are."""
        self._check_total()
        now = time.monotonic()
        at_most = {}
        for pid, own in list(self.owns.items()):
            faults = _faults(pid)
            if faults is None:
                del self.owns[pid]
                continue
            at_most[pid] = own.private + (faults - own.faults) * PAGE
        bound = self.own * len(self.workers)
        if sum(at_most.values()) <= bound:
            return
        # One read every OWN_EVERY at most, of the worker whose memory is least known: each is ~14 ms of this
        # process's time, and under a steady load the sum stays near the bound.
        if now - self.last_read >= OWN_EVERY:
            self.last_read = now
            pid = max(at_most, key=lambda p: at_most[p] - self.owns[p].private)
            faults, held = _faults(pid), rollup(pid)
            if faults is None or held is None:
                return
            self.owns[pid] = _Own(held.private, faults)
        if sum(own.private for own in self.owns.values()) > bound:
            largest = max(self.owns, key=lambda p: self.owns[p].private)
            with contextlib.suppress(ProcessLookupError):
                os.kill(largest, signal.SIGUSR2)
            del self.owns[largest]

    def _check_total(self) -> None:
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


def _server_main(
    address: str, store_path: str, dump_path: str | None, lifeline: Connection, total: int, own: int
) -> None:
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
    workers = _Workers(total, own)
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
        self,
        store_path: str,
        mode: str,
        dump_path: str | None = None,
        timeout: float = 600,
        total: int = 4 << 30,
        own: int = 512 << 20,
    ):
        if mode not in STORE_MODES:
            raise ValueError(f"QUERY_STORE must be one of {', '.join(STORE_MODES)}, not {mode!r}")
        if mode == "memory" and not dump_path:
            raise ValueError("QUERY_STORE=memory needs the TriG dump to load")
        self._folder = tempfile.mkdtemp(prefix="pobratim-queries-")  # 0700: only this user can connect
        self.address = os.path.join(self._folder, "workers.sock")
        self._lifeline, child = _CTX.Pipe()
        _LIFELINES.add(self._lifeline)
        args = (self.address, store_path, dump_path if mode == "memory" else None, child, total, own)
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
