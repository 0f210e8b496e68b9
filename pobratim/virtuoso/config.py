"""Virtuoso's configuration file, written from the template in the package and pobratim's settings."""

import math
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from pobratim.settings import Settings

TEMPLATE = "virtuoso.ini.in"


@dataclass(frozen=True)
class Ports:
    """Where an instance listens: HTTP (SPARQL) and SQL (the loader), both on loopback."""

    http: int
    sql: int


def http_port(url: str) -> int:
    """Return the port of a SPARQL endpoint URL (an http:// URL, as the settings check)."""
    return urlsplit(url).port or 80


def render(folder: Path, ports: Ports, settings: Settings) -> str:
    """Return the configuration of an instance in ``folder``, with pobratim's limits from ``settings``."""
    buffers = settings.virtuoso_buffers
    text = files("pobratim.virtuoso").joinpath(TEMPLATE).read_text(encoding="utf-8")
    return Template(text).substitute(
        db=str(folder / "db"),
        incoming=str(folder / "incoming"),
        sql_port=ports.sql,
        http_port=ports.http,
        buffers=buffers,
        dirty_buffers=buffers * 3 // 4,
        max_rows=settings.result_limit + 1,
        timeout=math.ceil(settings.query_timeout),
    )
