"""Follow the build ``dist`` points at: move the running server to each newly published build."""

import logging
import os
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from granian.server.common import AbstractServer

from pobratim import published
from pobratim.endpoint.state import check_build, verify_files
from pobratim.published import NotABuild
from pobratim.settings import Settings
from pobratim.sparql.store import Shared
from pobratim.stores import chosen

FOLLOW_EVERY = 1.0  # seconds between two looks at where dist points
log = logging.getLogger("pobratim")


class BuildFollower:
    """Move the server to each newly published build, without a restart and without dropping requests.

    ``dist`` is a symbolic link the build swaps in one rename. Every ``FOLLOW_EVERY`` seconds this looks
    where it points; at a new complete build it has the store start what the web processes share for it
    (the old one keeps answering meanwhile), makes the settings for that build the ones new web processes
    are built from, and has granian respawn them one by one (SIGHUP's graceful reload: each new process
    starts before the old one stops). What the old build's processes shared is stopped once no request can
    still be using it; the old build stays leased until then.
    """

    def __init__(self, requested: Settings, dist: Path, lease: int, shared: Shared, web: AbstractServer[Any]) -> None:
        # ``requested`` names the link (``DIST``) as the operator gave it; ``current`` the build folder itself:
        # a web process that granian starts again (after a crash) serves the build the others serve, not one
        # none holds yet.
        self.requested, self.dist, self.lease, self.shared, self.web = requested, dist, lease, shared, web
        self.store = chosen(requested.store)
        self.waiting: Path | None = None  # a new build the store cannot serve yet, said once
        self.refused: Path | None = None  # a new build found damaged, said once
        self.grace = (
            requested.queue_timeout + requested.query_timeout + web.respawn_interval * (requested.web_workers + 1)
        )
        threading.Thread(target=self._follow, daemon=True, name="pobratim-follow").start()

    @property
    def current(self) -> Settings:
        """The settings a web process started now is built from: the build served now, and what it shares."""
        return self.shared.settings

    def _follow(self) -> None:
        while True:
            time.sleep(FOLLOW_EVERY)
            try:
                self._look()
            except Exception:  # a bug here must not stop the server following builds: log it, look again
                log.exception("could not look for a new build")

    def _look(self) -> None:
        """Move to the build ``dist`` points at, if it is a new complete one."""
        link = self.requested.dist
        try:
            current, manifest = check_build(self.requested)
        except (NotABuild, OSError) as err:
            log.warning("not moving to the build in %s: %s", link, err)
            return
        if current == self.dist:
            return
        if self.refused == current:
            return
        lease = published.lease(current)  # before asking the store: a load then cannot empty it after
        try:
            verify_files(current)
            self.store.check(self.requested, current)
            shared = self.store.share(replace(self.requested, dist=current), current)
        except NotABuild as err:
            os.close(lease)
            if self.waiting != current:
                log.warning("not moving to the build %s yet: %s", current.name, err)
                self.waiting = current
            return
        except RuntimeError as err:
            os.close(lease)
            log.error("cannot serve the new build %s: %s; still serving %s", current, err, self.dist)
            self.refused = current  # said once: a damaged build does not mend itself
            return
        old_shared, old_lease = self.shared, self.lease
        self.lease, self.dist, self.shared = lease, current, shared
        log.info("moving to the build %s (built %s)", current.name, manifest.built)
        self.web.signal_handler_reload()  # type: ignore[no-untyped-call]
        threading.Timer(self.grace, _retire, args=(old_shared, old_lease)).start()

    def close(self) -> None:
        self.shared.close()


def _retire(shared: Shared, lease: int) -> None:
    """Stop what the web processes of an old build shared, once none uses it, and give up its lease."""
    shared.close()
    os.close(lease)
