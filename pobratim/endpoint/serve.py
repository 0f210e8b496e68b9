"""Run the endpoint under granian, a production HTTP server written in Rust, with several processes.

Each web server process runs the Flask app with its own query workers, all forked by one query server
started here, so the graph is held in memory once; the HTTP work is done in Rust.
waitress, pure Python, kept one thread busy with socket I/O and topped out near 1,300 requests/s here.
"""

import ctypes
import logging
import os
import signal
import sys
from collections.abc import Mapping
from functools import partial
from typing import Any

from granian import Granian
from granian.constants import Interfaces

from pobratim.endpoint import create_app
from pobratim.endpoint.state import check_build, start_query_server
from pobratim.published import NotABuild

# Beyond the longest a request can take (waiting for a worker, then the query), a web process that has not
# stopped is stuck: granian kills it rather than waiting for it forever.
STOP_MARGIN = 5.0
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _hold_stop_signals() -> None:
    """Before a fork: keep a stop pending, not handled, until the new process is ready for it."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)


def _release_stop_signals() -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def _prepare_web_process(parent: int) -> None:
    """In a just-forked web process: make every way the main process stops reach it.

    The fork copies granian's main-process signal handlers, which only set a flag in that copy: a stop
    arriving while the process is still building the app would be lost, and the server would wait on it
    forever. Until granian installs the worker's own handlers, SIGINT and SIGTERM end it; a stop that came
    during the fork itself was held pending (``_hold_stop_signals``) and ends it as they are released. And
    if the main process dies without stopping it (SIGKILL, a crash), Linux sends it SIGTERM (prctl(2)
    PR_SET_PDEATHSIG), so no web process goes on serving, and holding query workers, on its own.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the main process died before the request took effect
            os.kill(os.getpid(), signal.SIGTERM)
    _release_stop_signals()


def serve(config: Mapping[str, Any]) -> int:
    """Serve the build that ``config`` (a loaded settings table) names until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    cfg = dict(config)
    try:
        dist, _manifest = check_build(cfg)
        server = None if cfg["QUERY_SOCKET"] else start_query_server(cfg, dist)
    except (NotABuild, RuntimeError, ValueError) as err:
        logging.getLogger("pobratim").error("cannot serve: %s", err)
        return 1
    if server is not None:
        cfg["QUERY_SOCKET"] = server.address
    print(f"pobratim: serving {cfg['DIST']} at http://{cfg['HOST']}:{cfg['PORT']}/ (SPARQL at /sparql)", flush=True)
    main = os.getpid()
    os.register_at_fork(
        before=_hold_stop_signals,
        after_in_parent=_release_stop_signals,
        after_in_child=lambda: _prepare_web_process(main),
    )
    try:
        # Each web process builds the app from these settings (handed over by the fork, not the environment).
        Granian(
            "pobratim.endpoint:create_app",
            interface=Interfaces.WSGI,
            address=str(cfg["HOST"]),
            port=int(cfg["PORT"]),
            workers=int(cfg["WEB_WORKERS"]),
            blocking_threads=int(cfg["THREADS"]),
            log_access=False,
            workers_kill_timeout=int(cfg["QUEUE_TIMEOUT"] + cfg["QUERY_TIMEOUT"] + STOP_MARGIN),
        ).serve(target_loader=partial(create_app, cfg), wrap_loader=False)
    finally:
        if server is not None:
            server.close()
    return 0
