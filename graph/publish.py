"""Write a validated dataset to dist/: dumps, VoID/DCAT, checksums and the Oxigraph store, swapped in at once.

A build writes into a fresh folder under ``.dist-builds/`` (``.<name>-builds/`` for another name) and then
replaces the ``dist`` symlink in one ``rename``: a failed or killed build leaves the previous ``dist/``
untouched and still served.
"""

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from .corpus import Corpus
from .ids import Iris
from .paths import DIST_FILES
from .quads import PREFIX_MAP, BuiltDataset, text
from .vocab import DCAT, DCTERMS, PREFIXES, RDF, SPDX, VOID, XSD

MEDIA_TYPES = {
    DIST_FILES["trig"]: "application/trig",
    DIST_FILES["turtle"]: "text/turtle",
    DIST_FILES["jsonld"]: "application/ld+json",
    DIST_FILES["ntriples_gz"]: "application/n-triples",
    DIST_FILES["void"]: "text/turtle",
}
KEEP_BUILDS = 3

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Published:
    """Where a build was published and what it holds."""

    folder: Path
    triples: int
    quads: int
    graphs: int


def union_lines(ds: BuiltDataset) -> list[bytes]:
    """Return every triple of every graph, once, as sorted canonical N-Triples lines (the single-graph dumps).

    One dump per graph and a Python set: a SPARQL union with DISTINCT would hold a hash table of encoded
    triples in Oxigraph several times larger (about 700 MB at a million triples).
    """
    unique: set[bytes] = set()
    graphs: list[ox.NamedNode | ox.DefaultGraph] = [ox.DefaultGraph(), *ds.named_graphs()]
    for graph in graphs:
        unique.update((ds.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b"").splitlines())
    unique.discard(b"")
    return sorted(unique)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_dumps(ds: BuiltDataset, lines: list[bytes], out: Path) -> None:
    body = b"\n".join(lines) + b"\n"
    triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
    ox.serialize(triples, out / DIST_FILES["turtle"], format=ox.RdfFormat.TURTLE, prefixes=PREFIX_MAP)
    _write_jsonld(ds, out / DIST_FILES["jsonld"])
    # mtime=0 keeps the gzip bytes identical for identical content.
    with gzip.GzipFile(out / DIST_FILES["ntriples_gz"], "wb", compresslevel=6, mtime=0) as f:
        f.write(body)


def _write_jsonld(ds: BuiltDataset, path: Path) -> None:
    """Write JSON-LD: Oxigraph's expanded document under a context of pobratim's prefixes.

    Full IRIs stay valid under any context (JSON-LD 1.1 §4.1.2), so the context serves whoever compacts the
    document further; compacting a million quads in Python (rdflib, pyld) would take minutes.
    """
    context = {prefix: ns for prefix, ns in PREFIX_MAP.items() if prefix != "sh"}
    expanded = ds.store.dump(format=ox.RdfFormat.JSON_LD) or b"[]"
    with path.open("wb") as f:
        f.write(b'{"@context": ' + json.dumps(context).encode() + b', "@graph": ')
        f.write(expanded)
        f.write(b"}\n")


_ALL = "{ { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def _count(store: ox.Store, query: str) -> int:
    rows = store.query(query)
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        return int(text(row["n"]))
    return 0


def _write_void(ds: BuiltDataset, triples: int, corpus: Corpus, iris: Iris, out: Path, built: datetime) -> None:
    """Describe the dataset with VoID and DCAT: counts, build time, sources and dump links."""
    v = Graph()
    for prefix, ns in PREFIXES.items():
        v.bind(prefix, ns, override=True, replace=True)
    dataset = iris.dataset()
    v.add((dataset, RDF.type, VOID.Dataset))
    v.add((dataset, RDF.type, DCAT.Dataset))
    v.add((dataset, DCTERMS.title, Literal("pobratim: town twinnings as linked open data", lang="en")))
    v.add(
        (
            dataset,
            DCTERMS.title,
            Literal("pobratim: побратимени градове като свързани отворени данни", lang="bg"),
        )
    )
    v.add((dataset, DCTERMS.modified, Literal(built.isoformat(), datatype=XSD.dateTime)))
    v.add((dataset, VOID.uriSpace, Literal(iris.base + "id/")))
    v.add((dataset, VOID.sparqlEndpoint, URIRef(iris.base + "sparql")))
    v.add((dataset, VOID.triples, Literal(triples)))
    v.add((dataset, VOID.distinctSubjects, Literal(_count(ds.store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) {_ALL}"))))
    v.add((dataset, VOID.properties, Literal(_count(ds.store, f"SELECT (COUNT(DISTINCT ?p) AS ?n) {_ALL}"))))
    for prefix, ns in sorted(PREFIXES.items()):
        if prefix in {"pob", "schema", "prov", "dcterms", "skos", "org", "time", "oa", "eli"}:
            v.add((dataset, VOID.vocabulary, URIRef(ns)))
    for source in corpus.sources.values():
        v.add((dataset, DCTERMS.source, iris.source(source.meta.id)))
    sizes = ds.store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    assert isinstance(sizes, ox.QuerySolutions)
    for row in sizes:
        subset = URIRef(text(row["g"]))
        v.add((dataset, VOID.subset, subset))
        v.add((subset, RDF.type, VOID.Dataset))
        v.add((subset, VOID.triples, Literal(int(text(row["n"])))))
    for name, media in MEDIA_TYPES.items():
        if name == DIST_FILES["void"]:
            continue
        url = iris.dump(name)
        dist = URIRef(f"{url}#distribution")
        path = out / name
        v.add((dataset, VOID.dataDump, url))
        v.add((dataset, DCAT.distribution, dist))
        v.add((dist, RDF.type, DCAT.Distribution))
        v.add((dist, DCAT.downloadURL, url))
        v.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}")))
        if name.endswith(".gz"):
            v.add(
                (
                    dist,
                    DCAT.compressFormat,
                    URIRef("https://www.iana.org/assignments/media-types/application/gzip"),
                )
            )
        v.add((dist, DCAT.byteSize, Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger)))
        checksum = URIRef(f"{url}#sha256")
        v.add((dist, SPDX.checksum, checksum))
        v.add((checksum, RDF.type, SPDX.Checksum))
        v.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        v.add((checksum, SPDX.checksumValue, Literal(_sha256(path))))
    v.serialize(out / DIST_FILES["void"], format="turtle")


def _write_sources(corpus: Corpus, out: Path) -> None:
    folder = out / DIST_FILES["sources"]
    folder.mkdir()
    for source in corpus.sources.values():
        shutil.copyfile(source.path, folder / source.path.name)


def _write_checksums(out: Path) -> None:
    names = sorted(
        str(p.relative_to(out))
        for p in out.rglob("*")
        if p.is_file() and DIST_FILES["store"] not in p.relative_to(out).parts
    )
    lines = [f"{_sha256(out / name)}  {name}" for name in names]
    (out / DIST_FILES["checksums"]).write_text("\n".join(lines) + "\n", encoding="utf-8")


def builds_folder(dist: Path) -> Path:
    """Where the builds of ``dist`` are kept: ``.dist-builds`` beside ``dist``, one folder per published name,
    so that pruning old builds of one never deletes what another (``--out`` elsewhere) serves."""
    return dist.parent / f".{dist.name}-builds"


def swap_in(folder: Path, dist: Path) -> None:
    """Point ``dist`` at ``folder`` with one atomic rename; keep the last few builds for running servers."""
    builds = folder.parent
    if dist.exists() and not dist.is_symlink():
        # A plain dist/ from elsewhere: keep it as an older build rather than deleting it.
        dist.rename(builds / f"previous-{datetime.now().strftime('%Y%m%dT%H%M%S%f')}")
    link = dist.with_name(dist.name + ".new-link")
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(os.path.relpath(folder, dist.parent))
    os.replace(link, dist)
    current = folder.resolve()
    old = sorted(
        (p for p in builds.iterdir() if p.is_dir() and p.resolve() != current),
        key=lambda p: p.stat().st_mtime,
    )
    for stale in old[: max(0, len(old) - (KEEP_BUILDS - 1))]:
        shutil.rmtree(stale, ignore_errors=True)


class Staging:
    """A build folder being written before the gate has spoken: nothing in it is served until ``complete``.

    The TriG dump is written first and the on-disk Oxigraph store is loaded from it by another process
    (graph/storeload.py); the other dumps and the VoID description are written by a thread (Oxigraph and
    zlib release the GIL while they work). Both overlap the SHACL gate, which only reads the dataset: on
    two cores this takes ~12 s off a 1 M-quad build. If the gate fails, ``discard`` stops both and removes
    the folder, and ``dist`` never changes.
    """

    def __init__(self, ds: BuiltDataset, dist: Path, built: datetime) -> None:
        self.dist = dist
        builds = builds_folder(dist)
        builds.mkdir(parents=True, exist_ok=True)
        self.out = builds / f"build-{built.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        if self.out.exists():
            shutil.rmtree(self.out)
        self.out.mkdir()
        self._writer: threading.Thread | None = None
        self._stop = threading.Event()
        self._written: int | BaseException | None = None
        try:
            ds.store.dump(self.out / DIST_FILES["trig"], format=ox.RdfFormat.TRIG, prefixes=PREFIX_MAP)
            self._loader = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "graph.storeload",
                    str(self.out / DIST_FILES["trig"]),
                    str(self.out / DIST_FILES["store"]),
                ],
                stderr=subprocess.PIPE,
            )
        except BaseException:
            shutil.rmtree(self.out, ignore_errors=True)
            raise

    def write_files(
        self, ds: BuiltDataset, corpus: Corpus, base: str, built: datetime, progress: Progress = lambda _m: None
    ) -> None:
        """Start writing the dumps, sources and VoID/DCAT description in the background."""

        def steps() -> None:
            try:
                self._written = self._write_files(ds, corpus, Iris(base), built, progress)
            except BaseException as err:  # handed to complete(), which raises it in the caller's thread
                self._written = err

        self._writer = threading.Thread(target=steps, name="pobratim-publish", daemon=True)
        self._writer.start()

    def _write_files(self, ds: BuiltDataset, corpus: Corpus, iris: Iris, built: datetime, progress: Progress) -> int:
        def step(message: str) -> None:
            if self._stop.is_set():
                raise _Stopped()
            progress(message)

        out = self.out
        step("merging the graphs for the single-graph dumps")
        lines = union_lines(ds)
        step("writing dumps (Turtle, JSON-LD, N-Triples)")
        _write_dumps(ds, lines, out)
        step("copying the source pages")
        _write_sources(corpus, out)
        step("writing VoID/DCAT description")
        _write_void(ds, len(lines), corpus, iris, out, built)
        return len(lines)

    def _join(self) -> int:
        if self._writer is None:
            raise RuntimeError("write_files() was not called")
        self._writer.join()
        if isinstance(self._written, BaseException):
            raise self._written
        assert isinstance(self._written, int)
        _out, err = self._loader.communicate()
        if self._loader.returncode != 0:
            raise OSError(f"loading the Oxigraph store failed: {err.decode('utf-8', 'replace').strip()}")
        return self._written

    def discard(self) -> None:
        """Stop and remove the folder."""
        self._stop.set()
        if self._loader.poll() is None:
            self._loader.kill()
        self._loader.communicate()
        if self._writer is not None:
            self._writer.join()  # it stops at its next step; a folder it still writes to cannot be removed
        shutil.rmtree(self.out, ignore_errors=True)

    def complete(
        self, ds: BuiltDataset, corpus: Corpus, base: str, built: datetime, progress: Progress = lambda _m: None
    ) -> Published:
        """Wait for the files and the store, write the manifest and checksums, then swap the folder in."""
        out = self.out
        try:
            progress("waiting for the dumps and the Oxigraph store")
            triples = self._join()
            named = ds.named_graphs()
            graphs, quads = len(named), len(ds)
            manifest = {
                "base": base,
                "built": built.isoformat(),
                "triples": triples,
                "quads": quads,
                "graphs": graphs,
                "graph_names": [g.value for g in named],
                "sources": sorted(corpus.sources),
                "files": {k: v for k, v in DIST_FILES.items()},
            }
            (out / DIST_FILES["manifest"]).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            _write_checksums(out)
        except BaseException:
            self.discard()
            raise
        swap_in(out, self.dist)
        return Published(out, triples, quads, graphs)


class _Stopped(Exception):
    """The build was discarded while its files were being written."""
