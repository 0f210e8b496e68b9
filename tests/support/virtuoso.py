"""pobratim's own Virtuoso for the tests: started once a session on free loopback ports, the build loaded."""

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from pobratim import settings
from pobratim.virtuoso.config import Ports
from pobratim.virtuoso.instance import SERVER, Instance
from pobratim.virtuoso.loader import load

from .live import free_port

BUFFERS = 20_000  # 160 MB: the seed build is a few thousand quads


@dataclass(frozen=True)
class Running:
    """A running Virtuoso holding a build: its SPARQL URL and the instance."""

    url: str
    instance: Instance


def installed() -> bool:
    return shutil.which(SERVER) is not None


@contextmanager
def running_virtuoso(folder: Path, dist: Path) -> Iterator[Running]:
    """Start a Virtuoso in ``folder``, load the build in ``dist``, and stop it when the block ends; skip the
    test, loudly, where Virtuoso is not installed."""
    if not installed():
        pytest.skip(not_installed_warning())
    instance = Instance(folder, Ports(free_port(), free_port()))
    config = settings.load({"VIRTUOSO_BUFFERS": BUFFERS}, environ={})
    instance.start(config)
    try:
        load([instance], dist, config)
        yield Running(instance.url, instance)
    finally:
        instance.stop()


def not_installed_warning() -> str:
    message = (
        "VIRTUOSO IS NOT INSTALLED: the endpoint suite ran on the embedded store only. "
        "Install it with `make system-deps` (Debian's virtuoso-opensource)."
    )
    print(f"\n*** {message} ***", file=sys.stderr)
    return message
