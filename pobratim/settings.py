"""pobratim's settings: one frozen, typed object, built once from defaults, then ``POBRATIM_*`` environment
variables, then values given in code, each checked against what it accepts, and passed down from there.

A change is a new object (``dataclasses.replace``), checked again; nothing is ever changed in place. The
settings table of ``docs/endpoint.md`` is this module's ``markdown_table()``, and a test keeps it so.
"""

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pobratim.core.ids import DEFAULT_BASE, Iris
from pobratim.core.layout import DIST
from pobratim.core.vocab import DEFAULT_LICENSE

ENV_PREFIX = "POBRATIM_"
STORE_NAMES = ("embedded", "virtuoso")  # the registry, ``pobratim.stores``, has one store of each name


class SettingError(ValueError):
    """A setting given a value it does not accept; the message names the setting and what it accepts."""


@dataclass(frozen=True)
class Kind:
    """What a setting accepts: in words, how its text is read, and the test a value must pass."""

    accepts: str
    read: Callable[[str], Any]  # text (the environment's) to value; raises ValueError
    fits: Callable[[Any], bool]  # whether a typed value is accepted


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {text!r}")


def _integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def integer(low: int, high: int | None = None) -> Kind:
    """A whole number from ``low`` (to ``high``)."""
    words = f"a whole number from {low} to {high}" if high is not None else f"a whole number of at least {low}"
    return Kind(words, lambda t: int(t.strip()), lambda v: _integer(v) and low <= v and (high is None or v <= high))


def seconds(high: float | None = None) -> Kind:
    """A number of seconds above 0 (and at most ``high``)."""
    words = "a number of seconds greater than 0" + (f" and at most {high:g}" if high is not None else "")
    return Kind(words, lambda t: float(t.strip()), lambda v: _number(v) and 0 < v < math.inf and v <= (high or v))


def choice(*values: str) -> Kind:
    """One of ``values``."""
    return Kind(f"one of {', '.join(values)}", lambda t: t.strip().lower(), lambda v: v in values)


FLAG = Kind("a boolean (true/false, yes/no, on/off, 1/0)", _flag, lambda v: isinstance(v, bool))
TEXT = Kind("any text", str, lambda v: isinstance(v, str))
FOLDER = Kind("a folder path", Path, lambda v: isinstance(v, Path))


def _iri_base(value: object) -> bool:
    try:
        Iris(str(value))  # the one rule for a base IRI: the minter's
    except ValueError:
        return False
    return isinstance(value, str)


def _http_url(value: object) -> bool:
    parts = urlsplit(str(value))
    return isinstance(value, str) and parts.scheme == "http" and bool(parts.hostname)


def _absolute_iri(value: object) -> bool:
    parts = urlsplit(str(value))
    return isinstance(value, str) and parts.scheme in {"http", "https"} and bool(parts.hostname) and " " not in value


def listed(item: Kind, accepts: str, at_least: int = 0) -> Kind:
    """A comma-separated list of items of ``item`` (at least ``at_least``)."""

    def read(text: str) -> tuple[Any, ...]:
        return tuple(item.read(part.strip()) for part in text.split(",") if part.strip())

    def fits(value: object) -> bool:
        return isinstance(value, tuple) and len(value) >= at_least and all(item.fits(v) for v in value)

    return Kind(accepts, read, fits)


BASE = Kind("an absolute IRI ending in '/'", str, _iri_base)
IRI = Kind("an absolute http(s) IRI", str, _absolute_iri)
PORT = integer(1, 65535)
ORIGINS = listed(TEXT, "origins, comma-separated (`*` for any)")
ENDPOINTS = listed(TEXT, "SPARQL endpoint IRIs, comma-separated (none for no SERVICE)")
VIRTUOSO_URLS = listed(
    Kind("an http:// URL", str, _http_url), "one http:// URL of Virtuoso's /sparql or more, comma-separated", 1
)
SQL_PORTS = listed(PORT, "one port number (1-65535) per URL of VIRTUOSO_URL, comma-separated", 1)


def setting(default: Any, kind: Kind, meaning: str) -> Any:
    """Declare one setting: its default, what it accepts, its one-line meaning (a dataclass field)."""
    return field(default=default, metadata={"kind": kind, "meaning": meaning})


@dataclass(frozen=True)
class Settings:
    """Every setting of the endpoint, the CLI and Virtuoso; the field ``query_timeout`` is ``QUERY_TIMEOUT``."""

    base_iri: str = setting(DEFAULT_BASE, BASE, "Base IRI of the dataset's resources; request URLs are mapped onto it.")
    license: str = setting(
        DEFAULT_LICENSE,
        IRI,
        "Licence of the published graph (`pobratim build` states it in VoID/DCAT, every dump and every resource "
        "document); the source pages keep their own rights.",
    )
    dist: Path = setting(  # noqa: RUF009 -- setting() is a dataclasses.field; a Path is never changed in place
        Path(DIST), FOLDER, "The published folder to serve (what `pobratim build` wrote), from the current folder."
    )
    host: str = setting("127.0.0.1", TEXT, "Interface `pobratim serve` listens on.")
    port: int = setting(8080, PORT, "Port `pobratim serve` listens on.")
    web_workers: int = setting(
        2, integer(1, 64), "Web server processes (granian); each has its own query workers and caches."
    )
    threads: int = setting(
        16,
        integer(1, 256),
        "Request threads per web server process: a query waiting for a worker or for its turn holds one, "
        "idle; the others answer pages and health checks (more running at once only add GIL contention).",
    )
    query_workers: int = setting(
        2,
        integer(1, 64),
        "Query worker processes per web server process; a timed-out one is killed and replaced.",
    )
    query_store: str = setting(
        "memory",
        choice("memory", "disk"),
        "Where query workers read the graph: `memory` (the TriG dump loaded once at start, ≈ 450 MB per "
        "million quads, shared copy-on-write until a worker's reads copy the pages they touch, up to "
        "QUERY_WORKER_MB per worker; fastest) or `disk` (the on-disk store; least memory).",
    )
    query_socket: str = setting(
        "",
        TEXT,
        "Unix socket of a running query server to take workers from; `pobratim serve` sets it so its web "
        "processes share one copy of the graph. Empty: each app starts its own.",
    )
    union_default_graph: bool = setting(
        True,
        FLAG,
        "The default graph of /sparql is the union of all graphs (as Fuseki's unionDefaultGraph); GRAPH ?g and "
        "default-graph-uri still work.",
    )
    query_timeout: float = setting(10.0, seconds(3600), "Seconds a query may run before it is stopped (503).")
    queue_timeout: float = setting(5.0, seconds(3600), "Seconds a request waits for a free query worker before a 503.")
    queue_length: int = setting(
        4,
        integer(0, 1024),
        "Requests per web process that may wait for a busy query worker, and as many that may wait for their "
        "client's turn; more get 503 at once, so request threads stay free for health checks, cached answers "
        "and pages.",
    )
    client_max_queries: int = setting(
        5,
        integer(1, 1024),
        "Queries one client (its address, whatever its User-Agent) may have at once per web process, as the "
        "Wikidata Query Service allows 5; more get 429. Of them, one fewer than QUERY_WORKERS (at least one) "
        "run at once; the others wait for their turn.",
    )
    client_query_seconds: float = setting(
        30.0,
        seconds(),
        "Seconds of query time one client may use per minute per web process; beyond, 429 with Retry-After.",
    )
    query_memory_mb: int = setting(
        1024,
        integer(1),
        "Megabytes a query worker may grow by while it evaluates one query; beyond, the query is stopped (503).",
    )
    query_memory_total_mb: int = setting(
        4096,
        integer(1),
        "Megabytes all query workers of a build together may grow by (beyond the graph they share); beyond, "
        "the query of the worker that grew most is stopped (503).",
    )
    answer_max_bytes: int = setting(
        32_000_000,
        integer(1),
        "Largest answer written, in bytes (400 beyond: ask for fewer rows or shorter values).",
    )
    query_worker_queries: int = setting(10_000, integer(1), "Queries a query worker answers before it is replaced.")
    query_worker_mb: int = setting(
        32,
        integer(1),
        "Megabytes of their own the query workers may hold, on average (memory queries took and kept, and the "
        "pages of the shared graph their reads copied): past this many times their number together, the one "
        "that holds most is replaced once its query is answered, by one that shares the graph again. At 1 M "
        "quads a worker's lookups copy ≈ 150 MB, the example queries up to ≈ 300 MB.",
    )
    result_limit: int = setting(
        10000, integer(1), "Most rows (or triples) one answer holds; a cut answer says so in a header."
    )
    header_timeout: float = setting(
        5.0,
        seconds(3600),
        "Seconds a client has to send its request headers; a slower connection is closed (`pobratim serve`).",
    )
    body_reads_per_client: int = setting(
        2,
        integer(1, 1024),
        "Request bodies one address may be sending at once per web process (429 beyond): each holds a thread.",
    )
    max_request_bytes: int = setting(
        1_000_000, integer(1), "Largest request body or query string accepted (413 beyond)."
    )
    query_max_depth: int = setting(
        200,
        integer(1),
        "Deepest nesting of brackets a query may have (400 beyond): the evaluator recurses once per level.",
    )
    query_max_operators: int = setting(
        2000,
        integer(1),
        "Most operators (logical, arithmetic, comparison, path) a query may hold (400 beyond).",
    )
    cors_origins: tuple[str, ...] = setting(("*",), ORIGINS, "Origins allowed by CORS, comma-separated; `*` for any.")
    service_allow: tuple[str, ...] = setting(
        (), ENDPOINTS, "SPARQL endpoints a query may call with SERVICE (comma-separated; none by default)."
    )
    service_allow_private: bool = setting(
        False, FLAG, "Allow SERVICE calls to loopback/private addresses on the allow-list."
    )
    trust_proxy: bool = setting(False, FLAG, "Honour X-Forwarded-For/-Proto/-Host/-Prefix from one reverse proxy.")
    store: str = setting(
        "embedded",
        choice(*STORE_NAMES),
        "What answers queries and pages: `embedded` (Oxigraph in query worker processes) or `virtuoso` (the "
        "Virtuoso of VIRTUOSO_URL that holds the same build, loaded by `pobratim virtuoso load`).",
    )
    virtuoso_url: tuple[str, ...] = setting(
        ("http://127.0.0.1:8891/sparql", "http://127.0.0.1:8892/sparql"),
        VIRTUOSO_URLS,
        "Virtuoso's SPARQL endpoints, comma-separated, one per database: a new build is loaded into one no "
        "server reads while the other serves (blue/green), and the endpoint reads the one holding its build. "
        "The defaults are the two `make virtuoso` starts.",
    )
    virtuoso_sql_port: tuple[int, ...] = setting(
        (1112, 1113),
        SQL_PORTS,
        "The SQL ports on loopback of the databases of VIRTUOSO_URL, in the same order: `pobratim virtuoso` "
        "loads builds through them.",
    )
    virtuoso_dir: Path = setting(  # noqa: RUF009 -- as for dist
        Path(".cache/virtuoso"),
        FOLDER,
        "Folder of the Virtuoso databases `pobratim virtuoso start` runs (`1/`, `2/`: configuration, database, loads).",
    )
    virtuoso_buffers: int = setting(
        340_000,
        integer(1000),
        "Page buffers of each Virtuoso database, 8 kB each (≈ 2.7 GB: a million-quad build fills well under 1 GB); "
        "Virtuoso takes them all at start. Its guide gives 1,360,000 for 16 GB of a dedicated machine.",
    )

    def __post_init__(self) -> None:
        """Check every value against what its setting accepts (at construction, so at every ``replace`` too)."""
        for f in fields(self):
            value = getattr(self, f.name)
            kind: Kind = f.metadata["kind"]
            if not kind.fits(value):
                raise SettingError(f"{f.name.upper()}={_shown(value)} is not accepted: it takes {kind.accepts}")

    def virtuoso_databases(self) -> tuple[tuple[str, int], ...]:
        """Pair each Virtuoso database's SPARQL URL with its SQL port; raise SettingError where they do not pair.

        Checked here, where ``pobratim virtuoso`` needs the ports, not at start: a server reads Virtuoso over
        SPARQL only, and may be given one URL of a pair.
        """
        if len(self.virtuoso_sql_port) != len(self.virtuoso_url):
            raise SettingError(
                f"VIRTUOSO_SQL_PORT={_shown(self.virtuoso_sql_port)} is not accepted: VIRTUOSO_SQL_PORT takes "
                f"{SQL_PORTS.accepts} ({len(self.virtuoso_url)})"
            )
        return tuple(zip(self.virtuoso_url, self.virtuoso_sql_port, strict=True))


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return repr(",".join(str(v) for v in value))
    return repr(str(value)) if isinstance(value, Path) else repr(value)


@dataclass(frozen=True)
class Spec:
    """One setting as the table shows it: its name, environment variable, default, kind and meaning."""

    name: str
    field: str
    default: Any
    kind: Kind
    meaning: str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name


SPECS: tuple[Spec, ...] = tuple(
    Spec(f.name.upper(), f.name, f.default, f.metadata["kind"], f.metadata["meaning"]) for f in fields(Settings)
)
_BY_NAME = {s.name: s for s in SPECS}


def _value(spec: Spec, raw: Any, where: str) -> Any:
    """Read and check one value of ``spec`` (text as the environment gives it, or a value given in code);
    raise SettingError naming ``where`` it came from and what the setting accepts."""
    value = raw
    try:
        if isinstance(raw, str) and spec.kind not in {TEXT, BASE, IRI}:
            value = spec.kind.read(raw)
        elif isinstance(raw, list):
            value = tuple(raw)
        elif isinstance(spec.default, float) and _integer(raw):
            value = float(raw)
    except ValueError:
        value = None
    if value is None or not spec.kind.fits(value):
        raise SettingError(f"{where}={_shown(raw)} is not accepted: {spec.name} takes {spec.kind.accepts}")
    return value


def load(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Return the settings: defaults, overridden by the environment, overridden by ``overrides`` (by name)."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for spec in SPECS:
        if spec.env in env:
            values[spec.field] = _value(spec, env[spec.env], spec.env)
    for name, raw in (overrides or {}).items():
        if name not in _BY_NAME:
            raise SettingError(f"unknown setting {name!r}; known: {', '.join(_BY_NAME)}")
        values[_BY_NAME[name].field] = _value(_BY_NAME[name], raw, name)
    return Settings(**values)


def changed(settings: Settings, **values: Any) -> Settings:
    """Return ``settings`` with the settings named (``DIST=…``) changed, read and checked as ``load`` does."""
    return replace(settings, **{_BY_NAME[k].field: _value(_BY_NAME[k], v, k) for k, v in values.items()})


def base_iri(environ: Mapping[str, str] | None = None) -> str:
    """Return the base IRI: ``POBRATIM_BASE_IRI`` read and checked as every setting is, else the default."""
    env = os.environ if environ is None else environ
    spec = _BY_NAME["BASE_IRI"]
    return str(_value(spec, env[spec.env], spec.env)) if spec.env in env else str(spec.default)


def markdown_table() -> str:
    """Render the settings as the Markdown table ``docs/endpoint.md`` carries."""
    rows = ["| setting | environment | default | accepts | meaning |", "|---|---|---|---|---|"]
    for s in SPECS:
        default = ",".join(str(v) for v in s.default) if isinstance(s.default, tuple) else s.default
        shown = f"`{default}`" if default != "" else "(empty)"
        rows.append(f"| `{s.name}` | `{s.env}` | {shown} | {s.kind.accepts} | {s.meaning} |")
    return "\n".join(rows)
