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


def _listed(value: Any) -> tuple[str, ...]:
    """Read a list setting given as the table parses it (a list) or as one comma-separated text."""
    items = value.split(",") if isinstance(value, str) else value
    return tuple(str(item).strip() for item in items if str(item).strip())


def endpoints(config: dict[str, Any]) -> tuple[str, ...]:
    """Return the SPARQL URLs of the Virtuoso databases ``VIRTUOSO_URL`` lists; raise ValueError for none."""
    urls = _listed(config["VIRTUOSO_URL"])
    if not urls:
        raise ValueError("VIRTUOSO_URL names no Virtuoso: give one SPARQL URL or more, comma-separated")
    for url in urls:
        http_port(url)
    return urls


def sql_ports(config: dict[str, Any]) -> tuple[int, ...]:
    """Return the SQL ports ``VIRTUOSO_SQL_PORT`` lists, one per URL of ``VIRTUOSO_URL``; raise ValueError."""
    ports = _listed(config["VIRTUOSO_SQL_PORT"])
    if len(ports) != len(endpoints(config)) or not all(p.isdigit() for p in ports):
        raise ValueError(
            f"VIRTUOSO_SQL_PORT must list one port number per URL of VIRTUOSO_URL ({len(endpoints(config))}), "
            f"not {','.join(ports)!r}"
        )
    return tuple(int(p) for p in ports)


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
