"""Evaluate one query on a store and write its answer: outcomes, never HTTP statuses.

What an outcome means to a client is decided in one place, ``endpoint/problems.py``.
"""

import enum
from dataclasses import dataclass
from typing import Any

import pyoxigraph

from pobratim.endpoint.federation import ServiceRefused, check_services
from pobratim.endpoint.formats import BY_NAME
from pobratim.endpoint.query.dataset import names_dataset
from pobratim.endpoint.results_io import AnswerTooLarge, write_boolean, write_solutions, write_triples


@dataclass(frozen=True)
class QueryJob:
    """What a worker needs to answer one query."""

    query: str
    results_format: str | None  # format name for SELECT/ASK, None when nothing acceptable
    rdf_format: str | None  # format name for CONSTRUCT/DESCRIBE, None when nothing acceptable
    limit: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    union_default_graph: bool = True  # without default-graph-uri, the default graph is every graph's union
    service_allow: tuple[str, ...] = ()  # SERVICE endpoints the query may call
    service_allow_private: bool = False
    max_bytes: int = 32_000_000  # the largest answer written
    max_memory: int = 1 << 30  # bytes the worker may grow by while it evaluates the query


class Outcome(enum.Enum):
    """How the evaluation of a query ended."""

    ANSWERED = "answered"
    SYNTAX_ERROR = "syntax error"
    NOT_ACCEPTABLE = "no acceptable format"
    SERVICE_FAILED = "a SERVICE call failed"
    SERVICE_REFUSED = "a SERVICE call is not allowed"
    TIMED_OUT = "timed out"
    BUSY = "no worker free"
    WORKER_DIED = "worker died"
    TOO_LARGE = "answer too large"
    OUT_OF_MEMORY = "out of memory"
    INTERNAL_ERROR = "internal error"


@dataclass(frozen=True)
class Answer:
    """A worker's reply: a body, or an outcome other than ANSWERED with a message."""

    outcome: Outcome
    body: bytes = b""
    format_name: str | None = None
    truncated: bool = False
    rows: int = 0
    message: str = ""
    query_form: str = ""
    grown: int = 0  # bytes the worker's memory grew by since it started (it is recycled past a bound)


def _graph_terms(iris: tuple[str, ...]) -> list[pyoxigraph.NamedNode] | None:
    return [pyoxigraph.NamedNode(i) for i in iris] if iris else None


def results_format(name: str) -> pyoxigraph.QueryResultsFormat:
    """Return Oxigraph's format for the results format named ``name``."""
    fmt = BY_NAME[name].oxigraph
    assert isinstance(fmt, pyoxigraph.QueryResultsFormat)
    return fmt


def not_acceptable(form: str) -> Answer:
    """The answer to a query of ``form`` (ASK, SELECT or CONSTRUCT) is in no format the client accepts."""
    if form == "CONSTRUCT":
        message = "a CONSTRUCT/DESCRIBE answer is RDF; the Accept header allows no RDF format"
    else:
        article = "an" if form == "ASK" else "a"
        message = f"{article} {form} answer is a SPARQL result; the Accept header allows none of JSON, XML, CSV, TSV"
    return Answer(Outcome.NOT_ACCEPTABLE, message=message, query_form=form)


def timed_out(timeout: float) -> Answer:
    """The query passed its deadline and was stopped."""
    return Answer(Outcome.TIMED_OUT, message=f"the query ran longer than the {timeout:g} s timeout and was stopped")


def written(
    result: pyoxigraph.QueryBoolean | pyoxigraph.QuerySolutions | pyoxigraph.QueryTriples, job: QueryJob
) -> Answer:
    """Write a query's result in the format ``job`` asks for, cut at its limit: the answer of either store.

    Raise AnswerTooLarge past the job's byte bound; Oxigraph's lazy evaluation may raise while writing.
    """
    if isinstance(result, pyoxigraph.QueryBoolean):
        if job.results_format is None:
            return not_acceptable("ASK")
        body = write_boolean(result, results_format(job.results_format))
        return Answer(Outcome.ANSWERED, body, job.results_format, rows=1, query_form="ASK")
    if isinstance(result, pyoxigraph.QuerySolutions):
        if job.results_format is None:
            return not_acceptable("SELECT")
        body, rows, truncated = write_solutions(result, results_format(job.results_format), job.limit, job.max_bytes)
        return Answer(Outcome.ANSWERED, body, job.results_format, truncated, rows, query_form="SELECT")
    if job.rdf_format is None:
        return not_acceptable("CONSTRUCT")
    fmt = BY_NAME[job.rdf_format].oxigraph
    assert isinstance(fmt, pyoxigraph.RdfFormat)
    body, count, truncated = write_triples(result, fmt, job.limit, job.max_bytes)
    return Answer(Outcome.ANSWERED, body, job.rdf_format, truncated, count, query_form="CONSTRUCT")


def too_large(err: AnswerTooLarge) -> Answer:
    """The answer passed the byte bound while it was written."""
    return Answer(Outcome.TOO_LARGE, message=f"{err}; ask for fewer rows (LIMIT) or shorter values")


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
