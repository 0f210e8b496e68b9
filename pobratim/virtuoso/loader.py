"""Load a published build into Virtuoso: bulk-load it beside the one served, then switch it in at once.

The quads come from the build's own Oxigraph store, written as N-Quads (one quad a line: the format
Virtuoso's bulk loader reads fastest) with every graph renamed to a staging name nobody can read. The
first build Virtuoso holds is loaded under its own names (nobody can read them either until the switch).
``PBT_SWITCH`` (``procedures.sql``) then moves the quads under their names in one transaction, makes the
graphs readable and records the build: a failure anywhere before its commit leaves the old build served.
"""

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox

from pobratim import published
from pobratim.published import Manifest
from pobratim.virtuoso import names
from pobratim.virtuoso.instance import Instance, VirtuosoError

PROCEDURES = "procedures.sql"


@dataclass(frozen=True)
class Loaded:
    """What a load did: the build now held, how many quads, and the seconds each step took."""

    version: str
    quads: int
    switched: bool  # False when Virtuoso already held this build
    timings: dict[str, float]


def sql_string(text: str) -> str:
    """Quote ``text`` as an SQL string literal (SQL-92: a quote inside is doubled)."""
    return "'" + text.replace("'", "''") + "'"


def held(instance: Instance) -> str | None:
    """Return the version of the build Virtuoso holds, or None when it holds none."""
    try:
        out = instance.sql("select 'held:', PH_BUILD from PBT_HELD;\n", 60)
    except VirtuosoError as err:
        if "PBT_HELD" in str(err):  # no load has run yet
            return None
        raise
    for line in out.splitlines():
        if line.strip().startswith("held:"):
            return line.split("held:", 1)[1].strip() or None
    return None


def _define_procedures(instance: Instance) -> None:
    script = files("pobratim.virtuoso").joinpath(PROCEDURES).read_text(encoding="utf-8")
    statements = [s.strip() + "\n;\n" for s in script.split("\n;\n") if s.strip()]
    for statement in statements:
        try:
            instance.sql(statement, 60)
        except VirtuosoError as err:
            if "create table" not in statement or "already exists" not in str(err):  # made by an earlier load
                raise


def _renamed(store: ox.Store, graph_of: dict[str, str]) -> Iterator[ox.Quad]:
    for quad in store:
        key = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name.value)
        yield ox.Quad(quad.subject, quad.predicate, quad.object, ox.NamedNode(graph_of[key]))


def load(instance: Instance, dist: Path, progress: Callable[[str], None] = lambda _m: None) -> Loaded:
    """Load the build in ``dist`` into ``instance`` and switch it in; raise VirtuosoError when it fails."""
    manifest = Manifest.read(dist)
    version = published.version(dist)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    _define_procedures(instance)
    current = held(instance)
    if current == version:
        return Loaded(version, manifest.quads, False, timings)
    # Graph "" stands for the build's default graph, kept in Virtuoso as names.default_graph(version).
    finals = {"": names.default_graph(version), **{g: g for g in manifest.graph_names}}
    staging = current is not None  # with nothing served, load under the final names: nobody reads them yet
    graph_of = {
        key: (f"{names.STAGING}{version}:{n}" if staging else final) for n, (key, final) in enumerate(finals.items())
    }
    rows = "".join(
        f"insert into PBT_GRAPHS values ({sql_string(version)}, {sql_string(finals[k])}, {sql_string(s)});\n"
        for k, s in graph_of.items()
    )
    instance.sql(f"delete from PBT_GRAPHS where PG_BUILD = {sql_string(version)};\n{rows}")
    _clear(instance, list(graph_of.values()))  # what a failed load left under these names
    timings["prepare"] = time.perf_counter() - started

    step = time.perf_counter()
    instance.incoming.mkdir(parents=True, exist_ok=True)
    nquads = instance.incoming / f"{version}-{time.time_ns()}.nq"
    store = ox.Store.read_only(str(dist / published.STORE))
    try:
        with nquads.open("wb") as out:
            ox.serialize(_renamed(store, graph_of), out, ox.RdfFormat.N_QUADS)
        timings["write N-Quads"] = time.perf_counter() - step
        progress(f"bulk-loading {manifest.quads} quads into Virtuoso")
        step = time.perf_counter()
        _bulk_load(instance, nquads)
        timings["bulk load"] = time.perf_counter() - step
    except BaseException:
        _clear(instance, list(graph_of.values()))
        raise
    finally:
        nquads.unlink(missing_ok=True)

    progress("switching the new build in")
    step = time.perf_counter()
    try:
        instance.sql(f"select PBT_SWITCH ({sql_string(version)}, {sql_string(current or '')}, {manifest.quads});\n")
    except VirtuosoError:
        if staging:
            _clear(instance, list(graph_of.values()))
        raise
    timings["switch"] = time.perf_counter() - step
    step = time.perf_counter()
    instance.sql("checkpoint;\n")
    timings["checkpoint"] = time.perf_counter() - step
    return Loaded(version, manifest.quads, True, timings)


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


def _clear(instance: Instance, graphs: list[str]) -> None:
    """Delete the quads of ``graphs`` (graphs nobody reads: staging, or not yet switched in), untransacted."""
    statements = "".join(f"delete from DB.DBA.RDF_QUAD where G = iri_to_id ({sql_string(g)}, 0);\n" for g in graphs)
    instance.sql("log_enable (3, 1);\n" + statements)
