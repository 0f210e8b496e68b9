"""The dataset description: VoID and DCAT, with counts, build time, sources and the dumps' checksums."""

from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from pobratim import published
from pobratim.build.built import BuiltDataset, text
from pobratim.build.dumps import sha256
from pobratim.core.ids import Iris
from pobratim.core.vocab import DCAT, DCTERMS, PREFIXES, RDF, SPDX, VOID, XSD
from pobratim.records.corpus import Corpus

_ALL = "{ { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def _count(store: ox.Store, query: str) -> int:
    rows = store.query(query)
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        return int(text(row["n"]))
    return 0


def write_void(ds: BuiltDataset, triples: int, corpus: Corpus, iris: Iris, out: Path, built: datetime) -> None:
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
    for name, media in published.MEDIA_TYPES.items():
        if name == published.VOID:
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
        v.add((checksum, SPDX.checksumValue, Literal(sha256(path))))
    v.serialize(out / published.VOID, format="turtle")
