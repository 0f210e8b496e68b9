"""The one settings table: defaults, then ``POBRATIM_*`` environment variables, then the mapping passed in."""

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pobratim.core.ids import DEFAULT_BASE

ENV_PREFIX = "POBRATIM_"
STORES = ("embedded", "virtuoso")


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {text!r}")


def _store(text: str) -> str:
    value = text.strip().lower()
    if value not in STORES:
        raise ValueError(f"not a store: {text!r}; one of {', '.join(STORES)}")
    return value


def _list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


@dataclass(frozen=True)
class Setting:
    """One configurable value: its name, default, parser and one-line meaning."""

    name: str
    default: Any
    parse: Callable[[str], Any]
    meaning: str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name


SETTINGS: tuple[Setting, ...] = (
    Setting("BASE_IRI", DEFAULT_BASE, str, "Base IRI of the dataset's resources; request URLs are mapped onto it."),
    Setting(
        "DIST", "dist", str, "The published folder to serve (what `pobratim build` wrote), from the current folder."
    ),
    Setting("HOST", "127.0.0.1", str, "Interface `pobratim serve` listens on."),
    Setting("PORT", 8080, int, "Port `pobratim serve` listens on."),
    Setting("WEB_WORKERS", 2, int, "Web server processes (granian); each has its own query workers and caches."),
    Setting(
        "THREADS",
        8,
        int,
        "Request threads per web server process (more only add GIL contention on a 2-core machine).",
    ),
    Setting(
        "QUERY_WORKERS",
        2,
        int,
        "Query worker processes per web server process; a timed-out one is killed and replaced.",
    ),
    Setting(
        "QUERY_STORE",
        "memory",
        str,
        "Where query workers read the graph: `memory` (the TriG dump loaded once at start, ≈ 650 MB per "
        "million quads, shared copy-on-write until a worker's reads copy the pages they touch: up to ≈ 300 MB "
        "more per worker; fastest) or `disk` (the on-disk store; least memory).",
    ),
    Setting(
        "QUERY_SOCKET",
        "",
        str,
        "Unix socket of a running query server to take workers from; `pobratim serve` sets it so its web "
        "processes share one copy of the graph. Empty: each app starts its own.",
    ),
    Setting(
        "UNION_DEFAULT_GRAPH",
        True,
        _bool,
        "The default graph of /sparql is the union of all graphs (as Fuseki's unionDefaultGraph); GRAPH ?g and "
        "default-graph-uri still work.",
    ),
    Setting("QUERY_TIMEOUT", 10.0, float, "Seconds a query may run before it is stopped (503)."),
    Setting("QUEUE_TIMEOUT", 5.0, float, "Seconds a request waits for a free query worker before a 503."),
    Setting(
        "QUEUE_LENGTH",
        1,
        int,
        "Requests per web process that may wait for a busy query worker; more get 503 at once, so request "
        "threads stay free for health checks, cached answers and pages.",
    ),
    Setting(
        "CLIENT_MAX_QUERIES",
        1,
        int,
        "Queries one client (address and User-Agent) may run at once per web process; more get 429.",
    ),
    Setting(
        "CLIENT_QUERY_SECONDS",
        30.0,
        float,
        "Seconds of query time one client may use per minute per web process; beyond, 429 with Retry-After.",
    ),
    Setting(
        "QUERY_MEMORY_MB",
        1024,
        int,
        "Megabytes a query worker may grow by while it evaluates one query; beyond, the query is stopped (503).",
    ),
    Setting(
        "ANSWER_MAX_BYTES",
        32_000_000,
        int,
        "Largest answer written, in bytes (400 beyond: ask for fewer rows or shorter values).",
    ),
    Setting("QUERY_WORKER_QUERIES", 10_000, int, "Queries a query worker answers before it is replaced."),
    Setting(
        "QUERY_WORKER_MB",
        512,
        int,
        "Megabytes a query worker may have grown by (memory a query took and kept) before it is replaced.",
    ),
    Setting("RESULT_LIMIT", 10000, int, "Most rows (or triples) one answer holds; a cut answer says so in a header."),
    Setting(
        "HEADER_TIMEOUT",
        5.0,
        float,
        "Seconds a client has to send its request headers; a slower connection is closed (`pobratim serve`).",
    ),
    Setting(
        "BODY_READS_PER_CLIENT",
        2,
        int,
        "Request bodies one address may be sending at once per web process (429 beyond): each holds a thread.",
    ),
    Setting("MAX_REQUEST_BYTES", 1_000_000, int, "Largest request body or query string accepted (413 beyond)."),
    Setting(
        "QUERY_MAX_DEPTH",
        200,
        int,
        "Deepest nesting of brackets a query may have (400 beyond): the evaluator recurses once per level.",
    ),
    Setting(
        "QUERY_MAX_OPERATORS",
        2000,
        int,
        "Most operators (logical, arithmetic, comparison, path) a query may hold (400 beyond).",
    ),
    Setting("CORS_ORIGINS", ["*"], _list, "Origins allowed by CORS, comma-separated; `*` for any."),
    Setting(
        "SERVICE_ALLOW", [], _list, "SPARQL endpoints a query may call with SERVICE (comma-separated; none by default)."
    ),
    Setting(
        "SERVICE_ALLOW_PRIVATE", False, _bool, "Allow SERVICE calls to loopback/private addresses on the allow-list."
    ),
    Setting("TRUST_PROXY", False, _bool, "Honour X-Forwarded-For/-Proto/-Host/-Prefix from one reverse proxy."),
    Setting(
        "STORE",
        "embedded",
        _store,
        "What answers queries and pages: `embedded` (Oxigraph in query worker processes) or `virtuoso` (the "
        "Virtuoso of VIRTUOSO_URL that holds the same build, loaded by `pobratim virtuoso load`).",
    ),
    Setting(
        "VIRTUOSO_URL",
        ["http://127.0.0.1:8891/sparql", "http://127.0.0.1:8892/sparql"],
        _list,
        "Virtuoso's SPARQL endpoints, comma-separated, one per database: a new build is loaded into one no "
        "server reads while the other serves (blue/green), and the endpoint reads the one holding its build. "
        "The defaults are the two `make virtuoso` starts.",
    ),
    Setting(
        "VIRTUOSO_SQL_PORT",
        ["1112", "1113"],
        _list,
        "The SQL ports on loopback of the databases of VIRTUOSO_URL, in the same order: `pobratim virtuoso` "
        "loads builds through them.",
    ),
    Setting(
        "VIRTUOSO_DIR",
        ".cache/virtuoso",
        str,
        "Folder of the Virtuoso databases `pobratim virtuoso start` runs (`1/`, `2/`: configuration, database, loads).",
    ),
    Setting(
        "VIRTUOSO_BUFFERS",
        340_000,
        int,
        "Page buffers of each Virtuoso database, 8 kB each (≈ 2.7 GB: a million-quad build fills well under 1 GB); "
        "Virtuoso takes them all at start. Its guide gives 1,360,000 for 16 GB of a dedicated machine.",
    ),
)
BY_NAME = {s.name: s for s in SETTINGS}


def load(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the configuration: defaults, overridden by the environment, overridden by ``overrides``."""
    env = os.environ if environ is None else environ
    config: dict[str, Any] = {}
    for s in SETTINGS:
        value = s.default
        if s.env in env:
            try:
                value = s.parse(env[s.env])
            except ValueError as err:
                raise ValueError(f"{s.env}={env[s.env]!r}: {err}") from None
        config[s.name] = value
    for key, value in (overrides or {}).items():
        if key not in BY_NAME:
            raise KeyError(f"unknown setting {key!r}; known: {', '.join(BY_NAME)}")
        config[key] = value
    if not str(config["BASE_IRI"]).endswith("/"):
        raise ValueError(f"BASE_IRI must end with '/': {config['BASE_IRI']!r}")
    config["DIST"] = str(Path(config["DIST"]))
    return config


def markdown_table() -> str:
    """Render the settings as the Markdown table the README carries."""
    rows = ["| setting | environment | default | meaning |", "|---|---|---|---|"]
    for s in SETTINGS:
        default = ",".join(s.default) if isinstance(s.default, list) else s.default
        shown = f"`{default}`" if default != "" else "(empty)"
        rows.append(f"| `{s.name}` | `{s.env}` | {shown} | {s.meaning} |")
    return "\n".join(rows)
