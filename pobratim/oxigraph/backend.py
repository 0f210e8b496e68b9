"""The embedded store behind the endpoint (``STORE=embedded``): Oxigraph, read from the build itself.

Pages read the build's on-disk store read-only; /sparql's queries run in worker processes forked by a
query server (``server.py``) that ``pobratim serve`` starts once for all its web processes.
"""

import ctypes
import ctypes.util
from dataclasses import replace
from pathlib import Path

import pyoxigraph

from pobratim import published
from pobratim.oxigraph.pool import QueryPool
from pobratim.oxigraph.server import QueryServer
from pobratim.settings import Settings
from pobratim.sparql.store import QueryRunner, ReadStore, Shared


def start_query_server(settings: Settings, dist: Path) -> QueryServer:
    """Start the process that holds the graph for the query workers, as ``QUERY_STORE`` says."""
    return QueryServer(
        str(dist / published.STORE),
        settings.query_store,
        str(dist / published.TRIG),
        total=settings.query_memory_total_mb << 20,
        own=settings.query_worker_mb << 20,
    )


def open_pool(settings: Settings, dist: Path) -> QueryPool:
    """Take query workers from ``QUERY_SOCKET``'s server, or from a server of this app's own."""
    size, waiting = settings.query_workers, settings.queue_length
    recycle = settings.query_worker_queries
    if settings.query_socket:
        return QueryPool(settings.query_socket, size, max_waiting=waiting, recycle_queries=recycle)
    server = start_query_server(settings, dist)
    try:
        return QueryPool(server.address, size, owned=server, max_waiting=waiting, recycle_queries=recycle)
    except Exception:
        server.close()
        raise


def _give_back() -> None:
    """Return to the system the memory malloc keeps from what was freed (glibc's ``malloc_trim``; elsewhere nothing).

    Reading every quad of the on-disk store leaves ~36 MB at 1 M quads freed but kept by malloc in the process
    that read them: ``pobratim serve``'s own, from which granian forks every web process.
    """
    libc = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(libc), "malloc_trim", None) if libc else None
    if trim is not None:
        trim(0)


class Embedded:
    """Oxigraph in the build's folder: nothing outside it to ask."""

    def check(self, settings: Settings, dist: Path) -> None:
        """Open the build's store and read every quad once, before any web process does; raise RuntimeError
        naming what is damaged (a truncated or corrupt file: RocksDB checks each block it reads)."""
        path = dist / published.STORE
        expected = published.Manifest.read(dist).quads
        try:
            found = len(pyoxigraph.Store.read_only(str(path)))
        except (OSError, RuntimeError) as err:
            raise RuntimeError(f"the store {path} is damaged ({err}); build again with `pobratim build`") from None
        finally:
            _give_back()
        if found != expected:
            raise RuntimeError(
                f"the store {path} holds {found} quads where the manifest says {expected}; "
                "build again with `pobratim build`"
            )

    def share(self, settings: Settings, dist: Path) -> Shared:
        """Start one query server for every web process (unless ``QUERY_SOCKET`` names one already)."""
        if settings.query_socket:
            return Shared(settings)
        server = start_query_server(settings, dist)
        return Shared(replace(settings, query_socket=server.address), server.close)

    def open(
        self, settings: Settings, dist: Path, version: str, graphs: tuple[str, ...]
    ) -> tuple[ReadStore, QueryRunner]:
        return pyoxigraph.Store.read_only(str(dist / published.STORE)), open_pool(settings, dist)
