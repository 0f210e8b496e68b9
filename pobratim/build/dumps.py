"""The published files other than the store: the single-graph dumps, the source pages, the example queries
and the checksum list."""

import gzip
import hashlib
import heapq
import itertools
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from pobratim import published
from pobratim.build.assemble import load_ontology
from pobratim.build.built import BuiltDataset, GraphName
from pobratim.core.jsonld import Compactor, Usage, context_bytes, term_context, write_document
from pobratim.core.self_description import self_description
from pobratim.core.vocab import PREFIXES
from pobratim.records.corpus import Corpus

GraphLines = list[tuple[GraphName, list[bytes]]]


def graph_lines(ds: BuiltDataset) -> GraphLines:
    """Return each graph's triples as sorted canonical N-Triples lines: the default graph, then the named
    graphs by name.

    The order the dumps are written in: Oxigraph's store hands quads back in the order they were inserted,
    which follows Python's per-process string hashing and the order parallel build parts arrive in.
    """
    graphs: list[GraphName] = [ox.DefaultGraph(), *ds.named_graphs()]
    per_graph = []
    for graph in graphs:
        lines = (ds.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b"").splitlines()
        per_graph.append((graph, sorted(line for line in lines if line)))
    return per_graph


def union_lines(per_graph: GraphLines) -> Iterator[bytes]:
    """Yield every triple of every graph, once, as sorted canonical N-Triples lines (the single-graph dumps).

    A merge of the graphs' sorted lines, equal neighbours dropped: nothing is held but the lines themselves. (A
    Python set of the lines, sorted, held another 150 MB at 2 M quads, and a SPARQL union with DISTINCT a hash
    table of encoded triples in Oxigraph several times larger: about 700 MB at a million triples.)
    """
    last = None
    for line in heapq.merge(*(lines for _graph, lines in per_graph)):
        if line != last:
            yield line
            last = line


def canonical_quads(per_graph: GraphLines) -> Iterator[ox.Quad]:
    """Yield every quad, graph by graph and in each graph by its sorted N-Triples line.

    Each graph's lines are parsed as one TriG block naming the graph (N-Triples lines are Turtle): Oxigraph
    makes the quads, where a quad built in Python from a parsed triple cost 3.4 µs (three passes over 2 M
    quads, 20 s of the dumps' CPU).
    """
    for graph, lines in per_graph:
        body = b"\n".join(lines)
        if isinstance(graph, ox.NamedNode):
            body = b"%s {\n%s\n}\n" % (str(graph).encode(), body)
        yield from ox.parse(body, format=ox.RdfFormat.TRIG)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_trig(per_graph: GraphLines, path: Path, usage: Usage) -> None:
    """Write the TriG dump in the canonical order (``graph_lines``): two builds of one input give one file. Count
    the quads into ``usage`` as they pass (the JSON-LD's context; a pass of its own parsed every quad again)."""
    ox.serialize(usage.counting(canonical_quads(per_graph)), path, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)


# The single-graph dumps are written this many lines at a time (about 13 MB of N-Triples).
_CHUNK = 100_000


def write_dumps(per_graph: GraphLines, lines: Iterable[bytes], out: Path) -> int:
    """Write the TriG, Turtle, JSON-LD (with its context) and gzipped N-Triples dumps, each in a canonical order;
    return how many triples the single-graph dumps hold (``lines``, read once)."""
    usage = Usage()
    write_trig(per_graph, out / published.TRIG, usage)
    write_jsonld(per_graph, usage, out / published.JSONLD, out / published.CONTEXT)
    count = 0
    # mtime=0 keeps the gzip bytes identical for identical content.
    with gzip.GzipFile(out / published.NTRIPLES_GZ, "wb", compresslevel=6, mtime=0) as nt:

        def triples() -> Iterator[ox.Triple]:
            nonlocal count
            it = iter(lines)
            while chunk := list(itertools.islice(it, _CHUNK)):
                count += len(chunk)
                body = b"\n".join(chunk) + b"\n"
                nt.write(body)
                yield from ox.parse(body, format=ox.RdfFormat.N_TRIPLES)

        ox.serialize(triples(), out / published.TURTLE, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return count


def write_jsonld(per_graph: GraphLines, usage: Usage, path: Path, context_path: Path) -> None:
    """Write the term context generated from the graph (``usage``, its every quad counted in; ``context_path``),
    then the JSON-LD dump compacted with it, the context embedded: the dump reads the same offline, and whatever
    later builds' contexts say."""
    # The terms of what each served resource document says of itself (foaf:primaryTopic, void:inDataset) get keys
    # too: those documents are compacted with this context.
    example = ox.NamedNode("urn:x-pobratim:document")
    context = term_context(usage.add(self_description(example, example, example)))
    context_path.write_bytes(context_bytes(context))
    with path.open("wb") as f:
        write_document(canonical_quads(per_graph), Compactor(context), context, f)


def write_ontology(ontology: Path, out: Path) -> None:
    """Publish the ontology, whole, as one Turtle file in a canonical order (what /ontology serves)."""
    graph = load_ontology(ontology)
    triples = sorted(ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES), key=str)
    ox.serialize(triples, out / published.ONTOLOGY, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def write_sources(corpus: Corpus, out: Path) -> None:
    """Publish the captured texts of the pages whose licence allows it."""
    folder = out / published.SOURCES
    folder.mkdir()
    for source in corpus.sources.values():
        if not source.meta.republishable:
            continue  # its site's rights do not allow it: the quotes in the graph are all that is published
        shutil.copyfile(source.path, folder / source.path.name)


def write_queries(queries: Path, out: Path) -> None:
    """Publish the example queries with the build, so the server shows the ones that fit its data."""
    folder = out / published.QUERIES
    folder.mkdir()
    for path in sorted(queries.glob("*.rq")):
        shutil.copyfile(path, folder / path.name)


def write_checksums(out: Path) -> None:
    names = sorted(
        str(p.relative_to(out))
        for p in out.rglob("*")
        if p.is_file() and published.STORE not in p.relative_to(out).parts
    )
    lines = [f"{sha256(out / name)}  {name}" for name in names]
    (out / published.CHECKSUMS).write_text("\n".join(lines) + "\n", encoding="utf-8")
