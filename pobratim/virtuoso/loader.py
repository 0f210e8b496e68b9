"""Load a published build into Virtuoso: into a database no server reads, so readers never see it half-loaded.

pobratim runs two Virtuoso databases (blue/green; ``VIRTUOSO_URL``). A new build goes into the one whose build
no server here still reads (the reader leases servers hold on build folders: ``published.claimed``, which also
keeps new readers off that build until the database no longer holds it), made anew: the quads, written as
N-Quads from the build's own Oxigraph store, are bulk-loaded under graph names nobody may read yet;
``PBT_PUBLISH`` (``procedures.sql``) checks the count and makes them readable. The servers then move to it as
they move to any new build (``serve.BuildFollower``): each query is answered by one database holding one whole
build, and the other database keeps serving the old build meanwhile. A failed load leaves that one untouched,
and the failed database holding no build.
"""

import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox

from pobratim import published
from pobratim.core.locks import Busy, only_one
from pobratim.published import Manifest
from pobratim.settings import Settings
from pobratim.virtuoso import names
from pobratim.virtuoso.errors import VirtuosoError
from pobratim.virtuoso.instance import Instance, missing_table

PROCEDURES = "procedures.sql"
WAIT_EVERY = 0.5  # seconds between two looks for a database whose build nobody reads any more
LOCK = ".load.lock"  # in VIRTUOSO_DIR: one load at a time (a database being loaded holds no build yet)


@dataclass(frozen=True)
class Loaded:
    """What a load did: the build now held, where, how many quads, and the seconds each step took."""

    version: str
    url: str
    quads: int
    fresh: bool  # False when a database already held this build
    timings: dict[str, float]


@dataclass(frozen=True)
class Held:
    """The build a database holds: its version, the folder it was loaded from, and when."""

    version: str
    folder: Path
    loaded: str  # when: nanoseconds since the epoch, 20 digits (sortable as text)

    def readers(self) -> list[Path]:
        """The build folders servers may read this build from: the one it was loaded from, and any beside it
        with the same version (a reproducible rebuild publishes the same build into a new folder)."""
        found = [self.folder]
        try:
            siblings = sorted(p for p in self.folder.parent.iterdir() if p != self.folder and p.is_dir())
        except OSError:
            return found
        for sibling in siblings:
            try:
                if published.version(sibling) == self.version:
                    found.append(sibling)
            except OSError:
                continue
        return found


def sql_string(text: str) -> str:
    """Quote ``text`` as an SQL string literal (SQL-92: a quote inside is doubled)."""
    return "'" + text.replace("'", "''") + "'"


def held(instance: Instance) -> Held | None:
    """Return the build ``instance`` holds whole, or None when it holds none (or has no database yet); raise
    VirtuosoError when it cannot say (busy, refusing, stopped): it may hold a build servers read."""
    if not instance.answering():
        if instance.running():
            raise VirtuosoError(f"Virtuoso at {instance.url} runs but does not answer")
        if instance.made():
            raise VirtuosoError(
                f"Virtuoso at {instance.url} does not run, and its database ({instance.folder}) may hold a build "
                "a server reads: start it (`pobratim virtuoso start`)"
            )
        return None
    try:
        out = instance.sql("select 'held:', PH_BUILD, '|', PH_FOLDER, '|', PH_LOADED from PBT_HELD;\n", 60)
    except VirtuosoError as err:
        if missing_table(err, "PBT_HELD"):  # a new database: no load has finished in it
            return None
        raise
    for line in out.splitlines():
        if line.strip().startswith("held:"):
            version, folder, loaded = (part.strip() for part in line.split("held:", 1)[1].split("|"))
            return Held(version, Path(folder), stamp(loaded))
    return None


def stamp(loaded: str) -> str:
    """Return when a build was loaded as ``Held.loaded`` says it: databases a pobratim before the stamps loaded
    keep a datetime (in UTC: Virtuoso runs in UTC), which is converted; one not understood is the oldest."""
    if loaded.isdigit():
        return loaded.zfill(20)
    try:
        when = datetime.fromisoformat(loaded).replace(tzinfo=UTC)
    except ValueError:
        return "0" * 20
    return f"{int(when.timestamp()) * 1_000_000_000 + when.microsecond * 1000:020d}"


def new_stamp() -> str:
    """Return the stamp of a load finishing now (``Held.loaded``)."""
    return f"{time.time_ns():020d}"


def pristine(instance: Instance) -> bool:
    """Tell whether ``instance`` runs a database no load has written to (a load first makes PBT_GRAPHS)."""
    if not instance.answering():
        return False
    try:
        instance.sql("select count (*) from PBT_GRAPHS;\n", 60)
    except VirtuosoError as err:
        if missing_table(err, "PBT_GRAPHS"):
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


@contextmanager
def _one_load_at_a_time(instances: Sequence[Instance]) -> Iterator[None]:
    """Hold the load lock of the databases' folder; raise VirtuosoError at once if another load holds it."""
    folder = instances[0].folder.parent
    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as lock:
        try:
            lock.enter_context(only_one(folder / LOCK))
        except Busy as busy:
            raise VirtuosoError(f"another `pobratim virtuoso load` is running ({busy.holder}; {busy.path})") from None
        yield


@contextmanager
def _reading(dist: Path) -> Iterator[None]:
    """Hold a reader's lease on the build being loaded, so that a new build does not prune it meanwhile."""
    lease = published.lease(dist)
    try:
        yield
    finally:
        os.close(lease)


def choose(instances: Sequence[Instance], claims: ExitStack) -> tuple[Instance, Held | None] | str:
    """Pick the database to load into: one holding no build, else the one holding the oldest build no server
    reads, whose readers ``claims`` then keeps off it. Return why none can be, when none can."""
    candidates: list[tuple[tuple[int, str, int], Instance, Held | None]] = []
    why = []
    for n, instance in enumerate(instances):
        try:
            found = held(instance)
        except VirtuosoError as err:
            why.append(str(err))
            continue
        candidates.append(((0, "", n) if found is None else (1, found.loaded, n), instance, found))
    # Ask every database first, then claim in order: a claim is held no longer than it must be.
    for _key, instance, found in sorted(candidates, key=lambda c: c[0]):
        if found is None:
            return instance, None
        with ExitStack() as claim:
            if claim.enter_context(published.claimed(found.readers())):
                claims.enter_context(claim.pop_all())
                return instance, found
        why.append(f"{instance.url} holds {found.version} ({found.folder}), which a server reads")
    return "; ".join(why)


def load(
    instances: Sequence[Instance],
    dist: Path,
    settings: Settings,
    progress: Callable[[str], None] = lambda _m: None,
    wait: float = 0.0,
) -> Loaded:
    """Load the build in ``dist`` into the database of ``instances`` no server reads; raise VirtuosoError.

    Waits up to ``wait`` seconds for servers to let go of an older build, then says which builds they read.
    """
    manifest = Manifest.read(dist)
    version = published.version(dist)
    with _one_load_at_a_time(instances), _reading(dist):
        for instance in instances:
            if not instance.running():  # stopped, crashed, or never made: its build, if any, is asked for
                try:
                    instance.start(settings)
                except VirtuosoError as err:
                    progress(f"could not start the database at {instance.url}: {err}")
        for instance in instances:
            try:
                found = held(instance)
            except VirtuosoError:
                continue  # choose() says why, if it comes to that
            if found is not None and found.version == version:
                if found.folder != dist.resolve():  # the same build published again elsewhere: read from there
                    instance.sql(f"update PBT_HELD set PH_FOLDER = {sql_string(str(dist.resolve()))};\n")
                return Loaded(version, instance.url, manifest.quads, False, {})
        started = time.perf_counter()
        deadline, told = time.monotonic() + wait, False
        while True:
            with ExitStack() as claims:
                chosen = choose(instances, claims)
                if not isinstance(chosen, str):
                    instance, replaced = chosen
                    said = f", which held {replaced.version}" if replaced else ""
                    progress(f"loading into the database at {instance.url}{said}")
                    if not pristine(instance):
                        instance.recreate(settings)  # from here on it holds no build: a server reading it stops
                        progress(f"made the database at {instance.url} anew")
                    break
            if time.monotonic() > deadline:
                raise VirtuosoError(
                    f"no Virtuoso database can take the build: {chosen}. A load never replaces a build a server "
                    "reads; try again once the servers have moved to the newest build, or add a database to "
                    "VIRTUOSO_URL (and VIRTUOSO_SQL_PORT)"
                )
            if not told:
                progress("waiting for the servers to let go of an older build")
                told = True
            time.sleep(WAIT_EVERY)
        return _fill(instance, dist, manifest, version, started, progress)


def _fill(
    instance: Instance,
    dist: Path,
    manifest: Manifest,
    version: str,
    started: float,
    progress: Callable[[str], None],
) -> Loaded:
    """Bulk-load the build into ``instance``'s new database, check it and make it readable."""
    timings: dict[str, float] = {}
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
        f"select PBT_PUBLISH ({sql_string(version)}, {sql_string(str(dist.resolve()))}, {sql_string(new_stamp())}, "
        f"{sql_string(holder)}, {manifest.quads});\ncheckpoint;\n"
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
