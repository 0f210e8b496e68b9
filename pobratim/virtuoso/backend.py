"""Virtuoso behind the endpoint (``STORE=virtuoso``): the Virtuoso of ``VIRTUOSO_URL`` that holds the build.

Pages read it through ``store.RemoteStore``, /sparql through ``pool.VirtuosoPool``; the build's dumps are
still served from its folder, so a build is served only once a Virtuoso holds that very build.
"""

from pathlib import Path

from pobratim import published
from pobratim.published import NotABuild
from pobratim.settings import Settings
from pobratim.sparql.store import QueryRunner, ReadStore, Shared
from pobratim.virtuoso.errors import VirtuosoError
from pobratim.virtuoso.pool import VirtuosoPool
from pobratim.virtuoso.store import RemoteStore, holder


def _holder(settings: Settings, dist: Path, version: str) -> str:
    """Return the URL of the database holding the build ``version`` in ``dist``; raise NotABuild otherwise."""
    try:
        return holder(settings.virtuoso_url, version, str(dist))
    except VirtuosoError as err:
        raise NotABuild(str(err)) from None


class Virtuoso:
    """The Virtuoso databases of ``VIRTUOSO_URL``, one of which holds the build."""

    def check(self, settings: Settings, dist: Path) -> None:
        """Raise NotABuild unless a database holds the build in ``dist`` (its dumps are served from it)."""
        _holder(settings, dist, published.version(dist))

    def share(self, settings: Settings, dist: Path) -> Shared:
        """Nothing to start: Virtuoso runs on its own."""
        return Shared(settings)

    def open(
        self, settings: Settings, dist: Path, version: str, graphs: tuple[str, ...]
    ) -> tuple[ReadStore, QueryRunner]:
        url = _holder(settings, dist, version)  # this process reads that database, for this build
        remote = RemoteStore(url, version, settings.query_timeout)
        pool = VirtuosoPool(url, version, settings.query_workers, settings.queue_length, graphs)
        return remote, pool
