"""The one format table: media types, URL suffixes and ``format=`` names, for results and for RDF.

Content negotiation goes through Werkzeug's ``MIMEAccept.best_match`` over this table; ``Accept`` is never
parsed by hand.
"""

from dataclasses import dataclass
from typing import Literal

import pyoxigraph
from rdflib import Dataset, Graph
from werkzeug.datastructures import MIMEAccept

Kind = Literal["results", "rdf", "html", "data"]


@dataclass(frozen=True)
class Format:
    """One representation: what it is called in URLs, headers and words, and how Oxigraph writes it."""

    name: str
    label: str  # what a person calls it, in messages and menus
    media_type: str
    suffix: str
    kind: Kind
    oxigraph: pyoxigraph.RdfFormat | pyoxigraph.QueryResultsFormat | None = None
    aliases: tuple[str, ...] = ()
    rdflib: str | None = None
    w3c: str | None = None  # the format's IRI in http://www.w3.org/ns/formats/
    # ``format=`` words that mean this format when the answer is of its kind (Fuseki and SPARQLWrapper send
    # format=xml or format=json whatever the query form: for a CONSTRUCT they mean RDF/XML and JSON-LD).
    words: tuple[str, ...] = ()
    quads: bool = False  # a document in it keeps each statement's graph (TriG, N-Quads); others hold triples

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(("+json", "+xml", "/json"))
        textual = textual or self.media_type in {"application/n-triples", "application/n-quads", "application/trig"}
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


# In table order; within a kind, the first is the default (an absent Accept header, or */*). HTML comes second
# of the resource documents (``DOCUMENTS``): after Turtle, before the other RDF formats.
TABLE: tuple[Format, ...] = (
    Format(
        "json",
        "JSON",
        "application/sparql-results+json",
        "srj",
        "results",
        pyoxigraph.QueryResultsFormat.JSON,
        ("application/json",),
        w3c="SPARQL_Results_JSON",
    ),
    Format(
        "xml",
        "XML",
        "application/sparql-results+xml",
        "srx",
        "results",
        pyoxigraph.QueryResultsFormat.XML,
        ("application/xml", "text/xml"),
        w3c="SPARQL_Results_XML",
    ),
    Format("csv", "CSV", "text/csv", "csv", "results", pyoxigraph.QueryResultsFormat.CSV, w3c="SPARQL_Results_CSV"),
    Format(
        "tsv",
        "TSV",
        "text/tab-separated-values",
        "tsv",
        "results",
        pyoxigraph.QueryResultsFormat.TSV,
        w3c="SPARQL_Results_TSV",
    ),
    Format(
        "turtle",
        "Turtle",
        "text/turtle",
        "ttl",
        "rdf",
        pyoxigraph.RdfFormat.TURTLE,
        ("application/x-turtle",),
        "turtle",
        "Turtle",
    ),
    Format("html", "HTML", "text/html", "html", "html", None, ("application/xhtml+xml",)),
    Format(
        "ntriples",
        "N-Triples",
        "application/n-triples",
        "nt",
        "rdf",
        pyoxigraph.RdfFormat.N_TRIPLES,
        ("text/plain",),
        "nt",
        "N-Triples",
    ),
    Format(
        "jsonld",
        "JSON-LD",
        "application/ld+json",
        "jsonld",
        "rdf",
        pyoxigraph.RdfFormat.JSON_LD,
        (),
        "json-ld",
        "JSON-LD",
        ("json", "json-ld"),
    ),
    Format(
        "rdfxml",
        "RDF/XML",
        "application/rdf+xml",
        "rdf",
        "rdf",
        pyoxigraph.RdfFormat.RDF_XML,
        (),
        "xml",
        "RDF_XML",
        ("xml", "rdf/xml"),
    ),
    Format(
        "trig", "TriG", "application/trig", "trig", "rdf", pyoxigraph.RdfFormat.TRIG, (), "trig", "TriG", quads=True
    ),
    Format(
        "nquads",
        "N-Quads",
        "application/n-quads",
        "nq",
        "rdf",
        pyoxigraph.RdfFormat.N_QUADS,
        (),
        "nquads",
        "N-Quads",
        quads=True,
    ),
)
BY_NAME = {f.name: f for f in TABLE}
BY_SUFFIX = {f.suffix: f for f in TABLE}
# Plain JSON for the site's own answers that are neither query results nor RDF (search): not in the table
# above, whose "json" is SPARQL results and takes application/json as an alias for them.
DATA_JSON = Format("data-json", "JSON", "application/json", "json", "data")


def of_kind(*kinds: Kind) -> list[Format]:
    """The formats of the given kinds, in table order (the first is the default)."""
    return [f for f in TABLE if f.kind in kinds]


# What a resource's IRI answers in: RDF and HTML, by URL suffix, by Accept, and as each other's Link alternates.
DOCUMENTS: tuple[Format, ...] = tuple(of_kind("rdf", "html"))


def listed(formats: list[Format] | tuple[Format, ...]) -> str:
    """Name ``formats`` for a person: "Turtle, N-Triples or JSON-LD"."""
    labels = [f.label for f in formats]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def by_parameter(value: str, kind: Kind) -> Format | None:
    """Resolve a ``format=`` value for answers of ``kind``: a short name, a suffix, a media type or a word."""
    value = value.strip().lower()
    for f in TABLE:
        if f.kind == kind and value in {f.name, f.suffix, f.media_type, *f.aliases, *f.words}:
            return f
    return None


def negotiate(accept: MIMEAccept, candidates: list[Format]) -> Format | None:
    """Pick the best candidate for an ``Accept`` header, or None when nothing is acceptable (406).

    An absent header means */* (RFC 9110 §12.5.1): the first candidate is the default.
    """
    if not accept:
        return candidates[0]
    offered: dict[str, Format] = {}
    for f in candidates:
        offered.setdefault(f.media_type, f)
        for alias in f.aliases:
            offered.setdefault(alias, f)
    best = accept.best_match(list(offered))
    return offered[best] if best is not None else None


def graph_bytes(graph: Graph, fmt: Format) -> bytes:
    """Write one graph in ``fmt``; a quad format (TriG, N-Quads) holds it as its default graph."""
    assert fmt.rdflib is not None
    if fmt.quads:
        dataset = Dataset()
        for triple in graph:
            dataset.add(triple)
        return dataset.serialize(format=fmt.rdflib, encoding="utf-8")
    return graph.serialize(format=fmt.rdflib, encoding="utf-8")
