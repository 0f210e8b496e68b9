"""A query job, the outcomes of its evaluation, and the answer either store writes: never HTTP statuses.

What an outcome means to a client is decided in one place, ``endpoint/problems.py``.
"""

import enum
from dataclasses import dataclass

import pyoxigraph

from pobratim.sparql.errors import AnswerTooLarge
from pobratim.sparql.formats import BY_NAME, of_kind
from pobratim.sparql.writers import write_boolean, write_solutions, write_triples


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
        results = ", ".join(f.label for f in of_kind("results"))
        message = f"{article} {form} answer is a SPARQL result; the Accept header allows none of {results}"
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
