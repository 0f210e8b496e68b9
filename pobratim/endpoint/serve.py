"""Run the endpoint under granian, a production HTTP server written in Rust, with several processes.

Each web server process runs the Flask app with its own query workers, all forked by one query server
started here, so the graph is held in memory once; the HTTP work is done in Rust.
waitress, pure Python, kept one thread busy with socket I/O and topped out near 1,300 requests/s here.
"""

import ctypes
import gc
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from flask import Flask
from granian import Granian
from granian.constants import Interfaces
from granian.http import HTTP1Settings
from granian.server.common import AbstractServer

from pobratim import published
from pobratim.endpoint import create_app
from pobratim.endpoint.query.server import QueryServer
from pobratim.endpoint.state import check_build, start_query_server
from pobratim.published import NotABuild

# Beyond the longest a request can take (waiting for a worker, then the query), a web process that has not
# stopped is stuck: granian kills it rather than waiting for it forever.
STOP_MARGIN = 5.0
FOLLOW_EVERY = 1.0  # seconds between two looks at where dist points
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


class BuildFollower:
    """Move the server to each newly published build, without a restart and without dropping requests.

    ``dist`` is a symbolic link the build swaps in one rename. Every ``FOLLOW_EVERY`` seconds this looks
    where it points; at a new complete build it starts a query server for it (the old one keeps answering
    meanwhile), hands its address to the web processes' settings and has granian respawn them one by one
    (SIGHUP's graceful reload: each new process starts before the old one stops). The old query server is
    stopped once no request can still be using it; the old build stays leased until then.
    """

    def __init__(
        self,
        cfg: dict[str, Any],
        link: str,
        dist: Path,
        lease: int,
        server: QueryServer | None,
        web: AbstractServer[Any],
    ) -> None:
        # The web processes' settings name the build folder itself (``cfg["DIST"]``), not the link: one that
        # granian starts again (after a crash) serves the build the others serve, not one none holds yet.
        self.cfg, self.link, self.dist, self.lease, self.server, self.web = cfg, link, dist, lease, server, web
        self.waiting: Path | None = None  # a new build no Virtuoso holds yet, said once
        self.grace = (
            float(cfg["QUEUE_TIMEOUT"])
            + float(cfg["QUERY_TIMEOUT"])
            + web.respawn_interval * (int(cfg["WEB_WORKERS"]) + 1)
        )
        threading.Thread(target=self._follow, daemon=True, name="pobratim-follow").start()

    def _follow(self) -> None:
        log = logging.getLogger("pobratim")
        while True:
            time.sleep(FOLLOW_EVERY)
            try:
                self._look()
            except Exception:  # a bug here must not stop the server following builds: log it, look again
                log.exception("could not look for a new build")

    def _look(self) -> None:
        """Move to the build ``dist`` points at, if it is a new complete one."""
        log = logging.getLogger("pobratim")
        try:
            current, manifest = check_build({**self.cfg, "DIST": self.link})
        except (NotABuild, OSError) as err:
            log.warning("not moving to the build in %s: %s", self.link, err)
            return
        if current == self.dist:
            return
        lease = published.lease(current)  # before asking Virtuoso: a load then cannot empty the database after
        try:
            if self.cfg["STORE"] == "virtuoso":
                check_virtuoso(self.cfg, current)
            server = start_query_server(self.cfg, current) if self.server is not None else None
        except NotABuild as err:
            os.close(lease)
            if self.waiting != current:
                log.warning("not moving to the build %s yet: %s", current.name, err)
                self.waiting = current
            return
        except RuntimeError as err:
            os.close(lease)
            log.error("cannot serve the new build %s: %s; still serving %s", current, err, self.dist)
            return
        old_server, old_lease = self.server, self.lease
        self.lease, self.dist, self.server = lease, current, server
        if server is not None:
            self.cfg["QUERY_SOCKET"] = server.address
        self.cfg["DIST"] = str(current)
        log.info("moving to the build %s (built %s)", current.name, manifest.built)
        self.web.signal_handler_reload()  # type: ignore[no-untyped-call]
        threading.Timer(self.grace, _retire, args=(old_server, old_lease)).start()

    def close(self) -> None:
        if self.server is not None:
            self.server.close()


def check_virtuoso(cfg: dict[str, Any], dist: Path) -> None:
    """Raise NotABuild unless a Virtuoso of ``cfg`` holds the build in ``dist`` (its dumps are served from it)."""
    from pobratim.virtuoso.config import endpoints
    from pobratim.virtuoso.store import VirtuosoError, holder

    try:
        holder(endpoints(cfg), published.version(dist), str(dist))
    except VirtuosoError as err:
        raise NotABuild(str(err)) from None


def _retire(server: QueryServer | None, lease: int) -> None:
    """Stop a query server no web process uses any more, and give up the lease on its build."""
    if server is not None:
        server.close()
    os.close(lease)


def web_app(config: Mapping[str, Any]) -> Flask:
    """Build a web process's application, then put what it holds for the whole build out of the collector's way.

    The state read once per build (labels, search keys, the network) is never garbage, and a full collection
    walked all of it with the GIL held: 58 ms at 1 M quads, a pause every request in flight waited for.
    Frozen (``gc.freeze``), it is out of the collector's sight: a full collection takes 0.002 ms.
    """
    app = create_app(config)
    gc.freeze()
    return app


def serve(config: Mapping[str, Any]) -> int:
    """Serve the build that ``config`` (a loaded settings table) names until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    cfg = dict(config)
    try:
        dist, _manifest = check_build(cfg)
    except (NotABuild, ValueError) as err:
        logging.getLogger("pobratim").error("cannot serve: %s", err)
        return 1
    lease = published.lease(dist)  # before asking Virtuoso, as the follower does
    try:
        if cfg["STORE"] == "virtuoso":
            check_virtuoso(cfg, dist)
        server = None if cfg["QUERY_SOCKET"] or cfg["STORE"] == "virtuoso" else start_query_server(cfg, dist)
    except (NotABuild, RuntimeError, ValueError) as err:
        os.close(lease)
        logging.getLogger("pobratim").error("cannot serve: %s", err)
        return 1
    if server is not None:
        cfg["QUERY_SOCKET"] = server.address
    print(f"pobratim: serving {cfg['DIST']} at http://{cfg['HOST']}:{cfg['PORT']}/ (SPARQL at /sparql)", flush=True)
    link, cfg["DIST"] = cfg["DIST"], str(dist)
    main = os.getpid()
    os.register_at_fork(
        before=_hold_stop_signals,
        after_in_parent=_release_stop_signals,
        after_in_child=lambda: _prepare_web_process(main),
    )
    # Each web process builds the app from these settings (handed over by the fork, not the environment).
    web = Granian(
        "pobratim.endpoint:create_app",
        interface=Interfaces.WSGI,
        address=str(cfg["HOST"]),
        port=int(cfg["PORT"]),
        workers=int(cfg["WEB_WORKERS"]),
        blocking_threads=int(cfg["THREADS"]),
        log_access=False,
        workers_kill_timeout=int(cfg["QUEUE_TIMEOUT"] + cfg["QUERY_TIMEOUT"] + STOP_MARGIN),
        # A client that has not sent its request headers within this is cut off by granian (slowloris).
        http1_settings=HTTP1Settings(header_read_timeout=int(float(cfg["HEADER_TIMEOUT"]) * 1000)),
    )
    follower = BuildFollower(cfg, link, dist, lease, server, web)
    try:
        web.serve(target_loader=partial(web_app, cfg), wrap_loader=False)
    finally:
        follower.close()
    return 0
