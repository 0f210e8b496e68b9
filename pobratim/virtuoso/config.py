"""Virtuoso's configuration file, written from the template in the package and pobratim's settings."""

import math
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlsplit

TEMPLATE = "virtuoso.ini.in"


@dataclass(frozen=True)
class Ports:
    """Where an instance listens: HTTP (SPARQL) and SQL (the loader), both on loopback."""

    http: int
    sql: int


def http_port(url: str) -> int:
    """Return the port of a SPARQL endpoint URL; raise ValueError for a URL that names none."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"VIRTUOSO_URL must be an http:// URL of Virtuoso's /sparql, not {url!r}")
    return parts.port or 80


def render(folder: Path, ports: Ports, config: dict[str, Any]) -> str:
    """Return the configuration of an instance in ``folder``, with pobratim's limits from ``config``."""
    buffers = int(config["VIRTUOSO_BUFFERS"])
    text = files("pobratim.virtuoso").joinpath(TEMPLATE).read_text(encoding="utf-8")
    return Template(text).substitute(
        db=str(folder / "db"),
        incoming=str(folder / "incoming"),
        sql_port=ports.sql,
        http_port=ports.http,
        buffers=buffers,
        dirty_buffers=buffers * 3 // 4,
        max_rows=int(config["RESULT_LIMIT"]) + 1,
        timeout=math.ceil(float(config["QUERY_TIMEOUT"])),
    )
