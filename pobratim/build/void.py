"""The dataset description: VoID and DCAT, with counts, build time, licence, publisher, the SPARQL service,
example resources, the vocabularies used, sources and the dumps' checksums and sizes.

One description, served at ``/dataset`` (and ``/.well-known/void``, RFC 8615 as VoID §6.2 suggests); its
``void:uriSpace`` and ``dcterms:license`` are the very triples every dump carries about the dataset.
"""

from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from pobratim import published
from pobratim.build.built import BuiltDataset, select, text
from pobratim.build.dumps import sha256
from pobratim.core.ids import Iris
from pobratim.core.vocab import DCAT, DCTERMS, FOAF, POB, PREFIXES, RDF, SPDX, VOID, XSD
from pobratim.records.corpus import Corpus

_ALL = "{ { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
_IANA = "https://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
TITLE = {
    "en": "pobratim: town twinnings as linked open data",
    "bg": "pobratim: побратимени градове като свързани отворени данни",
}
DESCRIPTION = {
    "en": "Town twinnings, friendships and partnerships of Bulgarian municipalities as municipal web pages state "
    "them: each relation a node with its parties, and one claim per source with its dates, status, documents and "
    "the quoted words it rests on; mayors, events and network memberships; every fact with its source and quote.",
    "bg": "Побратимявания, приятелства и партньорства на български общини, както ги описват страниците на "
    "общините: всяка връзка е възел със страните си и по едно твърдение за всеки източник с датите, статуса, "
    "документите и цитираните думи, на които почива; кметове, събития и членства в мрежи; всеки факт с източника "
    "и цитата си.",
}
PUBLISHER = {"en": "the pobratim project", "bg": "проектът pobratim"}
# What each example resource is an example of, by class (the first such resource by IRI: the same every build).
EXAMPLE_CLASSES = (POB.Twinning, POB.Municipality, POB.TwinningClaim)


def _count(store: ox.Store, query: str) -> int:
    for row in select(store, query):
        return int(text(row["n"]))
    return 0


def vocabularies(ds: BuiltDataset) -> list[str]:
    """Name the namespace of every predicate and class the dataset uses (VoID §4.3 void:vocabulary)."""
    used = set().union(*ds.predicates.values(), *ds.types.values())
    namespaces = sorted(PREFIXES.values(), key=len, reverse=True)
    return sorted(
        {next(ns for ns in namespaces if term.startswith(ns)) for term in used if term.startswith(tuple(namespaces))}
    )


def _examples(store: ox.Store) -> list[URIRef]:
    found = []
    for cls in EXAMPLE_CLASSES:
        rows = select(
            store, f"SELECT (MIN(STR(?s)) AS ?e) {{ {{ ?s a <{cls}> }} UNION {{ GRAPH ?g {{ ?s a <{cls}> }} }} }}"
        )
        for row in rows:
            if row["e"] is not None:
                found.append(URIRef(text(row["e"])))
    return found


def _license(store: ox.Store, dataset: URIRef) -> URIRef:
    """The licence the build stated in the default graph (build.assemble): one home for it."""
    quads = list(
        store.quads_for_pattern(ox.NamedNode(str(dataset)), ox.NamedNode(str(DCTERMS.license)), None, ox.DefaultGraph())
    )
    assert len(quads) == 1, "the build states one licence of the dataset"
    return URIRef(text(quads[0].object))


def write_void(ds: BuiltDataset, triples: int, corpus: Corpus, iris: Iris, out: Path, built: datetime) -> None:
    """Describe the dataset with VoID and DCAT into ``out``/void.ttl."""
    v = Graph()
    for prefix, ns in PREFIXES.items():
        v.bind(prefix, ns, override=True, replace=True)
    dataset = iris.dataset()
    license = _license(ds.store, dataset)
    home = URIRef(iris.base)
    publisher = iris.part(dataset, "publisher")
    service = URIRef(iris.base + "sparql")
    v.add((dataset, RDF.type, VOID.Dataset))
    v.add((dataset, RDF.type, DCAT.Dataset))
    for lang, words in TITLE.items():
        v.add((dataset, DCTERMS.title, Literal(words, lang=lang)))
    for lang, words in DESCRIPTION.items():
        v.add((dataset, DCTERMS.description, Literal(words, lang=lang)))
    v.add((dataset, DCTERMS.license, license))
    v.add((dataset, DCTERMS.publisher, publisher))
    v.add((publisher, RDF.type, FOAF.Organization))
    for lang, words in PUBLISHER.items():
        v.add((publisher, FOAF.name, Literal(words, lang=lang)))
    v.add((publisher, FOAF.homepage, home))
    v.add((dataset, DCAT.landingPage, home))
    v.add((dataset, FOAF.homepage, home))
    v.add((dataset, DCTERMS.modified, Literal(built.isoformat(), datatype=XSD.dateTime)))
    v.add((dataset, VOID.uriSpace, Literal(iris.base)))
    v.add((dataset, VOID.sparqlEndpoint, service))
    # DCAT 3 §6.9: the endpoint as a data service that serves the dataset.
    v.add((service, RDF.type, DCAT.DataService))
    v.add((service, DCAT.endpointURL, service))
    v.add((service, DCAT.servesDataset, dataset))
    v.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    v.add((service, DCTERMS.license, license))
    for lang, words in {"en": "SPARQL endpoint of pobratim", "bg": "SPARQL точка за достъп на pobratim"}.items():
        v.add((service, DCTERMS.title, Literal(words, lang=lang)))
    v.add((dataset, DCAT.service, service))
    for example in _examples(ds.store):
        v.add((dataset, VOID.exampleResource, example))
    v.add((dataset, VOID.triples, Literal(triples)))
    v.add((dataset, VOID.distinctSubjects, Literal(_count(ds.store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) {_ALL}"))))
    v.add((dataset, VOID.properties, Literal(_count(ds.store, f"SELECT (COUNT(DISTINCT ?p) AS ?n) {_ALL}"))))
    for ns in vocabularies(ds):
        v.add((dataset, VOID.vocabulary, URIRef(ns)))
    for source in corpus.sources.values():
        v.add((dataset, DCTERMS.source, iris.source(source.meta.id)))
    for row in select(ds.store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"):
        subset = URIRef(text(row["g"]))
        v.add((dataset, VOID.subset, subset))
        v.add((subset, RDF.type, VOID.Dataset))
        v.add((subset, VOID.triples, Literal(int(text(row["n"])))))
    for name in published.DUMPS:
        media = published.MEDIA_TYPES[name]
        url = iris.dump(name)
        dist = URIRef(f"{url}#distribution")
        path = out / name
        v.add((dataset, VOID.dataDump, url))
        v.add((dataset, DCAT.distribution, dist))
        v.add((dist, RDF.type, DCAT.Distribution))
        v.add((dist, DCAT.downloadURL, url))
        v.add((dist, DCAT.accessURL, url))
        v.add((dist, DCTERMS.license, license))
        v.add((dist, DCAT.mediaType, URIRef(_IANA + media)))
        if name.endswith(".gz"):
            v.add((dist, DCAT.compressFormat, URIRef(_IANA + "application/gzip")))
        v.add((dist, DCAT.byteSize, Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger)))
        checksum = URIRef(f"{url}#sha256")
        v.add((dist, SPDX.checksum, checksum))
        v.add((checksum, RDF.type, SPDX.Checksum))
        v.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        v.add((checksum, SPDX.checksumValue, Literal(sha256(path))))
    v.serialize(out / published.VOID, format="turtle")
