"""Evaluate one query on an Oxigraph store, in a query worker: its checks, its dataset, its answer."""

from typing import Any

import pyoxigraph

from pobratim.sparql.answers import Answer, Outcome, QueryJob, too_large, written
from pobratim.sparql.errors import AnswerTooLarge, ServiceRefused
from pobratim.sparql.query_dataset import names_dataset
from pobratim.sparql.services import check_services


def _graph_terms(iris: tuple[str, ...]) -> list[pyoxigraph.NamedNode] | None:
    return [pyoxigraph.NamedNode(i) for i in iris] if iris else None


def evaluate(store: pyoxigraph.Store, job: QueryJob) -> Answer:
    """Check the query's SERVICE calls, run it on the store and write its answer, cut at ``job.limit``.

    The SERVICE check parses the query with rdflib, which can take seconds on a large query: it runs here,
    in the worker, under the query's deadline, never in a web process.
    """
    try:
        check_services(job.query, list(job.service_allow), job.service_allow_private)
    except ServiceRefused as err:
        return Answer(Outcome.SERVICE_REFUSED, message=str(err))
    kwargs: dict[str, Any] = {}
    if job.default_graphs:
        kwargs["default_graph"] = _graph_terms(job.default_graphs)
    elif job.union_default_graph and not names_dataset(job.query):
        # As Fuseki's unionDefaultGraph and `oxigraph serve --union-default-graph`: the default graph is the
        # union of the default graph and every named graph; GRAPH ?g still reaches each named graph alone.
        # A query's own FROM clauses choose its dataset instead (SPARQL 1.1 Query §13.2).
        kwargs["use_default_graph_as_union"] = True
    if job.named_graphs:
        kwargs["named_graphs"] = _graph_terms(job.named_graphs)
    try:
        result = store.query(job.query, **kwargs)
    except SyntaxError as err:
        return Answer(Outcome.SYNTAX_ERROR, message=f"SPARQL syntax error: {err}")
    try:
        return written(result, job)
    except AnswerTooLarge as err:
        return too_large(err)
    except OSError as err:
        # SERVICE calls surface network failures here (SPARQL 1.1 Federated Query §4: a failed SERVICE is an error).
        return Answer(Outcome.SERVICE_FAILED, message=f"a SERVICE call failed: {err}")
    except SyntaxError as err:
        return Answer(Outcome.SYNTAX_ERROR, message=f"SPARQL error: {err}")
