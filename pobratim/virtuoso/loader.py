"""Load a published build into Virtuoso: into a database no server reads, so readers never see it half-loaded.

pobratim runs two Virtuoso databases (blue/green; ``VIRTUOSO_URL``). A new build goes into the one whose
build no server here still reads (``published.in_use``: the reader leases servers hold on build folders),
made anew: the quads, written as N-Quads from the build's own Oxigraph store, are bulk-loaded under graph
names nobody may read yet; ``PBT_PUBLISH`` (``procedures.sql``) checks the count and makes them readable.
The servers then move to it as they move to any new build (``serve.BuildFollower``): each query is answered
by one database holding one whole build, and the other database keeps serving the old build meanwhile. A
failed load leaves that one untouched, and the failed database holding no build.
"""

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from pobratim import published
from pobratim.published import Manifest
from pobratim.virtuoso import names
from pobratim.virtuoso.instance import Instance, VirtuosoError

PROCEDURES = "procedures.sql"
WAIT_EVERY = 0.5  # seconds between two looks for a database whose build nobody reads any more


@dataclass(frozen=True)
class Loaded:
    """What a load did: the build now held, where, how many quads, and the seconds each step took."""

    version: str
    url: str
    quads: int
    switched: bool  # False when a database already held this build
    timings: dict[str, float]


@dataclass(frozen=True)
class Held:
    """The build a database holds: its version, the folder it was loaded from, and when."""

    version: str
    folder: Path
    loaded: str  # Virtuoso's timestamp, sortable as text


def sql_string(text: str) -> str:
    """Quote ``text`` as an SQL string literal (SQL-92: a quote inside is doubled)."""
    return "'" + text.replace("'", "''") + "'"


def held(instance: Instance) -> Held | None:
    """Return the build ``instance`` holds whole, or None when it holds none (or is not running)."""
    if not instance.answering():
        return None
    try:
        out = instance.sql("select 'held:', PH_BUILD, '|', PH_FOLDER, '|', PH_LOADED from PBT_HELD;\n", 60)
    except VirtuosoError as err:
        if "PBT_HELD" in str(err):  # a new database: no load has finished in it
            return None
        raise
    for line in out.splitlines():
        if line.strip().startswith("held:"):
            version, folder, loaded = (part.strip() for part in line.split("held:", 1)[1].split("|"))
            return Held(version, Path(folder), loaded)
    return None


def pristine(instance: Instance) -> bool:
    """Tell whether ``instance`` runs a database no load has written to (a load first makes PBT_GRAPHS)."""
    if not instance.answering():
        return False
    try:
        instance.sql("select count (*) from PBT_GRAPHS;\n", 60)
    except VirtuosoError as err:
        if "PBT_GRAPHS" in str(err):
            return True
        raise
    return False


def _define_procedures(instance: Instance) -> None:
    script = files("pobratim.virtuoso").joinpath(PROCEDURES).read_text(encoding="utf-8")
    for statement in (s.strip() + "\n;\n" for s in script.split("\n;\n") if s.strip()):
        instance.sql(statement, 60)


def _renamed(store: ox.Store, holder: str) -> Iterator[ox.Quad]:
    """Yield the build's quads with its default graph under the name Virtuoso keeps it in."""
    default = ox.NamedNode(holder)
    for quad in store:
        if isinstance(quad.graph_name, ox.DefaultGraph):
            yield ox.Quad(quad.subject, quad.predicate, quad.object, default)
        else:
            yield quad


def choose(instances: Sequence[Instance], wait: float, progress: Callable[[str], None]) -> tuple[Instance, Held | None]:
    """Return the database to load into: one holding no build, else the one holding the oldest build nobody
    here reads; wait up to ``wait`` seconds for a server to let go of its build, then raise VirtuosoError."""
    deadline = time.monotonic() + wait
    told = False
    while True:
        holding = [(instance, held(instance)) for instance in instances]
        free = [(i, h) for i, h in holding if h is None or not published.in_use(h.folder)]
        if free:
            return min(free, key=lambda pair: "" if pair[1] is None else pair[1].loaded)
        if time.monotonic() > deadline:
            builds = ", ".join(f"{h.version} ({h.folder}) at {i.url}" for i, h in holding if h is not None)
            raise VirtuosoError(
                f"every Virtuoso database holds a build a server still reads: {builds}. A load never replaces "
                "the build being served; add a database to VIRTUOSO_URL (and VIRTUOSO_SQL_PORT), or try again "
                "once the servers have moved to the newest build"
            )
        if not told:
            progress("waiting for the servers to let go of the older build")
            told = True
        time.sleep(WAIT_EVERY)


def load(
    instances: Sequence[Instance],
    dist: Path,
    config: dict[str, Any],
    progress: Callable[[str], None] = lambda _m: None,
    wait: float = 0.0,
) -> Loaded:
    """Load the build in ``dist`` into the database of ``instances`` no server reads; raise VirtuosoError."""
    manifest = Manifest.read(dist)
    version = published.version(dist)
    timings: dict[str, float] = {}
    for instance in instances:
        found = held(instance)
        if found is not None and found.version == version:
            return Loaded(version, instance.url, manifest.quads, False, timings)
    started = time.perf_counter()
    instance, replaced = choose(instances, wait, progress)
    progress(f"loading into the database at {instance.url}" + (f", which held {replaced.version}" if replaced else ""))
    if not pristine(instance):
        instance.recreate(config)
    _define_procedures(instance)
    holder = names.default_graph(version)
    graphs = [holder, *manifest.graph_names]
    instance.sql("".join(f"insert into PBT_GRAPHS values ({sql_string(g)});\n" for g in graphs))
    timings["new database"] = time.perf_counter() - started

    step = time.perf_counter()
    instance.incoming.mkdir(parents=True, exist_ok=True)
    nquads = instance.incoming / f"{version}-{time.time_ns()}.nq"
    store = ox.Store.read_only(str(dist / published.STORE))
    try:
        with nquads.open("wb") as out:
            ox.serialize(_renamed(store, holder), out, ox.RdfFormat.N_QUADS)
        timings["write N-Quads"] = time.perf_counter() - step
        progress(f"bulk-loading {manifest.quads} quads into Virtuoso")
        step = time.perf_counter()
        _bulk_load(instance, nquads)
        timings["bulk load"] = time.perf_counter() - step
    finally:
        nquads.unlink(missing_ok=True)

    step = time.perf_counter()
    instance.sql(
        f"select PBT_PUBLISH ({sql_string(version)}, {sql_string(str(dist.resolve()))}, {sql_string(holder)}, "
        f"{manifest.quads});\ncheckpoint;\n"
    )
    timings["publish"] = time.perf_counter() - step
    return Loaded(version, instance.url, manifest.quads, True, timings)


def _bulk_load(instance: Instance, nquads: Path) -> None:
    """Load one N-Quads file with Virtuoso's bulk loader; raise VirtuosoError with its error if it failed."""
    path = sql_string(str(nquads))
    folder = sql_string(str(nquads.parent))
    instance.sql(
        f"delete from DB.DBA.LOAD_LIST where ll_file = {path};\n"
        f"ld_dir ({folder}, {sql_string(nquads.name)}, {sql_string(names.NOWHERE)});\n"
        "rdf_loader_run ();\n"
    )
    out = instance.sql(f"select 'error:', ll_error from DB.DBA.LOAD_LIST where ll_file = {path};\n")
    instance.sql(f"delete from DB.DBA.LOAD_LIST where ll_file = {path};\n")
    for line in out.splitlines():
        if line.strip().startswith("error:") and line.split("error:", 1)[1].strip() not in {"", "NULL"}:
            raise VirtuosoError(f"Virtuoso's bulk loader failed on {nquads.name}: {line.split('error:', 1)[1].strip()}")
