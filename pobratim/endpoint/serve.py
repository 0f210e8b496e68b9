"""Run the endpoint under granian, a production HTTP server written in Rust, with several processes.

Each web server process runs the Flask app with its own query workers, all forked by one query server
started here, so the graph is held in memory once; the HTTP work is done in Rust.
waitress, pure Python, kept one thread busy with socket I/O and topped out near 1,300 requests/s here.
"""

import atexit
import gc
import logging
import os
import re
import signal
import sys
from dataclasses import replace
from typing import Any

from flask import Flask
from granian import Granian
from granian.constants import Interfaces
from granian.http import HTTP1Settings
from granian.server.common import AbstractServer

from pobratim import published
from pobratim.endpoint import create_app
from pobratim.endpoint.follow import BuildFollower
from pobratim.endpoint.header_limit import HEAD_BUFFER
from pobratim.endpoint.signals import guard_forks
from pobratim.endpoint.state import check_build, state, verify_files
from pobratim.published import NotABuild
from pobratim.settings import Settings
from pobratim.stores import chosen

# Beyond the longest a request can take (waiting for a worker, then the query), a web process that has not
# stopped is stuck: granian kills it rather than waiting for it forever.
STOP_MARGIN = 5.0
# In a graceful reload (a new build followed), how long granian lets each new web process start before it
# stops the old one (granian 2.8.9 starts a crashed process again at once, without it). Its default, 3.5 s:
# with 1 s a new process still loading under load was not yet accepting when the old one stopped, and a
# client met a refused connection while the server moved. The build follower's grace period counts it.
RESPAWN_INTERVAL = 3.5


def web_app(settings: Settings) -> Flask:
    """Build a web process's application, then put what it holds for the whole build out of the collector's way.

    The state read once per build (labels, search keys, the network) is never garbage, and a full collection
    walked all of it with the GIL held: 58 ms at 1 M quads, a pause every request in flight waited for.
    Frozen (``gc.freeze``), it is out of the collector's sight: a full collection takes 0.002 ms.
    """
    # A request thread that calls into Oxigraph (which releases the GIL for every read) waits to take the
    # GIL back for up to the switch interval while another thread renders a page: with the default 5 ms,
    # a page's ~100 store reads made an uncached page 3x slower under load (91 vs 250-310 pages/s at 1 M).
    sys.setswitchinterval(0.001)
    app = create_app(settings)
    atexit.register(state(app).pool.close)
    gc.freeze()
    return app


class ExitReasons(logging.Filter):
    """Say why a web process died, beside granian's "Unexpected exit from worker-N" (which does not)."""

    UNEXPECTED = re.compile(r"Unexpected exit from worker-(\d+)")

    def __init__(self, web: AbstractServer[Any]) -> None:
        super().__init__()
        self.web = web

    def filter(self, record: logging.LogRecord) -> bool:
        found = self.UNEXPECTED.search(record.getMessage())
        if found:
            index = int(found.group(1)) - 1
            workers = list(self.web.wrks)
            if index < len(workers):
                # Granian logs this once the process is joined: its exit code is known (negative: a signal).
                inner = workers[index].inner
                logging.getLogger("pobratim").error(
                    "web process %s (worker-%s) %s; granian starts another", inner.pid, index + 1, why(inner.exitcode)
                )
        return True


def why(exitcode: int | None) -> str:
    """Say in words how a process ended, from its exit code (negative: the signal that ended it)."""
    if exitcode is None:
        return "ended for an unknown reason"
    if exitcode < 0:
        name = signal.Signals(-exitcode).name
        if -exitcode == signal.SIGKILL:
            return f"was killed by {name} (the kernel's out-of-memory killer sends it: see `dmesg`)"
        return f"was ended by {name}"
    return f"exited with status {exitcode}"


def serve(settings: Settings) -> int:
    """Serve the build that ``settings`` names until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log = logging.getLogger("pobratim")
    try:
        dist, _manifest = check_build(settings)
    except (NotABuild, ValueError) as err:
        log.error("cannot serve: %s", err)
        return 1
    lease = published.lease(dist)  # before asking the store, as the follower does
    store = chosen(settings.store)
    try:
        # Everything a web process will open is opened and checked here first: a damaged build is refused
        # with a message before the server listens, not found by each web process after.
        verify_files(dist)
        store.check(settings, dist)
        shared = store.share(replace(settings, dist=dist), dist)
    except (NotABuild, RuntimeError, ValueError) as err:
        os.close(lease)
        log.error("cannot serve: %s", err)
        return 1
    host, port = settings.host, settings.port
    print(f"pobratim: serving {settings.dist} at http://{host}:{port}/ (SPARQL at /sparql)", flush=True)
    guard_forks()
    web = Granian(
        "pobratim.endpoint:create_app",
        interface=Interfaces.WSGI,
        address=host,
        port=port,
        workers=settings.web_workers,
        blocking_threads=settings.threads,
        log_access=False,
        # A web process that dies (the OOM killer's SIGKILL, a crash in native code) is started again while
        # the others keep answering; granian's default is to stop the whole server instead.
        respawn_failed_workers=True,
        respawn_interval=RESPAWN_INTERVAL,
        workers_kill_timeout=int(settings.queue_timeout + settings.query_timeout + STOP_MARGIN),
        # A client that has not sent its request headers within this is cut off by granian (slowloris).
        # A request head larger than its read buffer is refused by hyper (431) before Python sees it.
        http1_settings=HTTP1Settings(
            header_read_timeout=max(1, int(settings.header_timeout * 1000)), max_buffer_size=HEAD_BUFFER
        ),
    )
    follower = BuildFollower(settings, dist, lease, shared, web)
    logging.getLogger("_granian").addFilter(ExitReasons(web))  # granian's own logger

    def loader() -> Any:
        # Called in each web process as granian forks it: the settings of the build served at that moment
        # (handed over by the fork, not the environment).
        return web_app(follower.current)

    try:
        web.serve(target_loader=loader, wrap_loader=False)
    finally:
        follower.close()
    return 0
