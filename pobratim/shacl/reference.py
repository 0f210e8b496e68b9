"""pySHACL, the reference validator: the gate's fallback when the compiler lacks a feature, and the check
that the compiled gate gives the same results."""

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
import rdflib.plugin
from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor
from rdflib.term import Identifier

from pobratim.core.vocab import DCTERMS, OA, POB, SH
from pobratim.shacl.compiler import View
from pobratim.shacl.report import Violation, short_name


@lru_cache(maxsize=1024)
def _prepared(text: str, base: str | None, namespaces: tuple[tuple[str, Any], ...]) -> Query:
    return translateQuery(parseQuery(text), base, dict(namespaces))


class PreparedQueries(SPARQLProcessor):
    """rdflib's SPARQL processor, parsing each query text once.

    pySHACL runs a SPARQL-based constraint (SHACL §5) once per focus node with new bindings, and rdflib parses
    the same text every time: the parse was most of a validation's time. A parsed query is rdflib's prepared
    query (``prepareQuery``), made to be evaluated again with other bindings.
    """

    def query(  # type: ignore[override]
        self,
        strOrQuery: str | Query,  # rdflib's parameter names
        initBindings: Mapping[str, Identifier] | None = None,
        initNs: Mapping[str, Any] | None = None,
        base: str | None = None,
        DEBUG: bool = False,
    ) -> Mapping[str, Any]:
        if isinstance(strOrQuery, str):
            strOrQuery = _prepared(strOrQuery, base, tuple(sorted((initNs or {}).items())))
        return super().query(strOrQuery, initBindings, initNs, base, DEBUG)


# pySHACL asks rdflib for its "sparql" processor by name: this one answers as rdflib's does, only sooner.
rdflib.plugin.register("sparql", Processor, __name__, PreparedQueries.__name__)


def record_of(focus: URIRef, data: Graph) -> str | None:
    """Name the record a focus node came from: the identifier on a quote that supports it (or a claim about it)."""
    for body in (focus, *data.objects(focus, POB.claim)):
        for quote in data.subjects(OA.hasBody, body):
            ident = data.value(quote, DCTERMS.identifier)
            if ident is not None:
                return str(ident)
    return None


def validate_graph(data: Graph, shapes: Graph, graph_name: str) -> list[Violation]:
    """Validate one graph; return its results."""
    _conforms, results, _text = shacl_validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=True
    )
    if not isinstance(results, Graph):
        # pyshacl returns its failure (e.g. a malformed shape) instead of a report graph.
        raise ValueError(f"SHACL validation of {graph_name} failed to run: {_text}")
    found = []
    for result in results.subjects(SH.resultSeverity, None):
        focus = results.value(result, SH.focusNode)
        source_shape = results.value(result, SH.sourceShape)
        # A property shape is a blank node: name the node shape that holds it instead.
        node_shape = shapes.value(None, SH.property, source_shape) or source_shape
        path = results.value(result, SH.resultPath)
        messages = [str(m) for m in results.objects(result, SH.resultMessage)]
        severity = results.value(result, SH.resultSeverity)
        found.append(
            Violation(
                graph=graph_name,
                focus=str(focus),
                shape=short_name(node_shape, shapes),
                path=short_name(path, shapes) if path is not None else None,
                message="; ".join(messages) or "(no message)",
                severity=str(severity).rsplit("#", 1)[-1],
                record=record_of(focus, data) if isinstance(focus, URIRef) else None,
            )
        )
    return sorted(found, key=lambda v: (v.graph, v.record or "", v.focus, v.shape, v.message))


def pyshacl_view(store: ox.Store, view: View, shapes: Graph, owner: Callable[[str], str]) -> list[Violation]:
    """The fallback: pyshacl over the union of the view's graphs."""
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graph=view)
    assert isinstance(triples, ox.QueryTriples)
    body = triples.serialize(format=ox.RdfFormat.N_TRIPLES)
    del triples  # dropped in this thread, before pyshacl's parsing keeps frames alive (see build.built.select)
    data = Graph().parse(data=body, format="nt")
    return [replace(v, graph=owner(v.focus)) for v in validate_graph(data, shapes, "view")]
