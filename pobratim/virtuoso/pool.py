"""Answer /sparql from Virtuoso with the query pool's interface: the same checks, outcomes and answers.

A query is checked as the embedded store's workers check it (SERVICE allow-list, Oxigraph's parser), and
for Virtuoso's own extensions; it reaches Virtuoso with the build's dataset and a deadline Virtuoso keeps.
Virtuoso's answer is read with Oxigraph and written again by ``sparql.writers``, exactly as the
embedded store's: formats, the result limit, byte cap, ASK and typed literals cannot tell the stores apart.
"""

import logging
import threading
import time
from dataclasses import dataclass, replace

import pyoxigraph as ox

from pobratim.sparql.answers import Answer, Outcome, QueryJob, not_acceptable, timed_out, too_large, written
from pobratim.sparql.errors import AnswerTooLarge, ServiceRefused
from pobratim.sparql.guard import may_hold
from pobratim.sparql.query_dataset import names_dataset
from pobratim.sparql.services import check_services
from pobratim.virtuoso import names, normalise
from pobratim.virtuoso.client import Endpoint, Reply
from pobratim.virtuoso.errors import Refused, VirtuosoTimeout
from pobratim.virtuoso.query_checks import Parsed, check_extensions, describe_query, described, parse

log = logging.getLogger(__name__)

# SPARQL 1.1 Query Results JSON: Virtuoso writes "typed-literal" (an older draft), which Oxigraph reads;
# read back from its XML, literals lost their leading and trailing spaces (measured).
RESULTS = "application/sparql-results+json"
TRIPLES = "application/n-triples"
# Virtuoso's SQL states and codes for a query it stopped at its deadline ("anytime" results, or not).
TIMEOUT_STATES = {"S1TAT", "S1T00"}
TIMEOUT_CODES = {"SR171", "SR170"}


@dataclass
class _Running:
    query: str
    since: float


class VirtuosoPool:
    """At most ``size`` queries at once from this web process to Virtuoso; ``max_waiting`` more may wait."""

    def __init__(self, url: str, version: str, size: int, max_waiting: int = 1, graphs: tuple[str, ...] = ()) -> None:
        if size < 1:
            raise ValueError("QUERY_WORKERS must be at least 1")
        self.endpoint = Endpoint(url)
        self.version = version  # the build Virtuoso holds, checked at start
        self.graphs = graphs  # the build's named graphs (its manifest's)
        self.size = size
        self._slots = threading.BoundedSemaphore(size)
        self._waiting = threading.BoundedSemaphore(max_waiting + size)
        self._lock = threading.Lock()
        self._running: dict[int, _Running] = {}

    def run(self, job: QueryJob, timeout: float, queue_timeout: float) -> Answer:
        """Answer ``job`` within ``timeout`` seconds; past it, Virtuoso stops the query and the answer is 503."""
        if not self._waiting.acquire(blocking=False):
            return Answer(Outcome.BUSY, message="all query workers are busy and others wait; try again shortly")
        try:
            if not self._slots.acquire(timeout=queue_timeout):
                return Answer(Outcome.BUSY, message="all query workers are busy; try again shortly")
            key = threading.get_ident()
            with self._lock:
                self._running[key] = _Running(job.query, time.monotonic())
            try:
                return self._answer(job, timeout)
            finally:
                with self._lock:
                    self._running.pop(key, None)
                self._slots.release()
        finally:
            self._waiting.release()

    def _answer(self, job: QueryJob, timeout: float) -> Answer:
        try:
            check_services(job.query, list(job.service_allow), job.service_allow_private)
        except ServiceRefused as err:
            return Answer(Outcome.SERVICE_REFUSED, message=str(err))
        try:
            parsed = parse(job.query)
        except SyntaxError as err:
            return Answer(Outcome.SYNTAX_ERROR, message=f"SPARQL syntax error: {err}")
        except RuntimeError as err:  # Oxigraph refuses a function it does not know, as the embedded store does
            log.error("query failed: %s\nquery: %s", err, job.query)
            return Answer(Outcome.INTERNAL_ERROR, message="internal error while evaluating the query (logged)")
        form = parsed.form
        try:
            check_extensions(job.query)
        except Refused as err:
            return Answer(Outcome.SYNTAX_ERROR, message=f"SPARQL error: {err}")
        if (job.rdf_format if form == "CONSTRUCT" else job.results_format) is None:
            return not_acceptable(form)  # before Virtuoso spends any time on it
        default, named = dataset(job, self.version, self.graphs)
        iris = described(job.query) if form == "CONSTRUCT" else None
        text = job.query if iris is None else describe_query(iris)
        try:
            reply = self.endpoint.ask(text, TRIPLES if form == "CONSTRUCT" else RESULTS, timeout, default, named)
        except VirtuosoTimeout:
            return timed_out(timeout)
        except OSError as err:
            log.error("Virtuoso at %s could not be reached: %s", self.endpoint.url, err)
            return Answer(Outcome.WORKER_DIED, message="the store did not answer; try again shortly")
        try:
            return _written(reply, job, parsed, timeout)
        except AnswerTooLarge as err:
            return too_large(err)

    def workers(self) -> tuple[int, int]:
        """Return how many queries may run at once, and how many run now."""
        with self._lock:
            return self.size, len(self._running)

    def pids(self) -> list[int]:
        """No process of pobratim's evaluates queries: Virtuoso does."""
        return []

    def running(self) -> list[tuple[str, float]]:
        """List the queries this process has sent to Virtuoso and not yet had answered, with their run time."""
        now = time.monotonic()
        with self._lock:
            return [(r.query, now - r.since) for r in self._running.values()]

    def close(self) -> None:
        """Nothing to stop: Virtuoso runs on its own."""


def dataset(job: QueryJob, version: str, graphs: tuple[str, ...] = ()) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the default-graph-uri and named-graph-uri values that give Virtuoso the job's dataset.

    With none given, Virtuoso's default graph is the union of the graphs it lets anyone read (the build's),
    as the union default graph wants; without the union, it is the graph holding the build's default graph.
    A graph the client names that Virtuoso holds only for pobratim stands for an empty one, as it would on
    the embedded store. A query that may range over graphs (the keyword GRAPH) is given the build's named
    graphs by name: `GRAPH ?g` then meets exactly the build's graphs, not the one Virtuoso keeps the default
    graph in, nor Virtuoso's own (whose names it lists without reading them). Naming them costs Virtuoso
    time (300-400 ms for the 2,499 graphs of a million quads), so only such queries pay it. A query's own
    FROM and FROM NAMED are left to choose its dataset (SPARQL 1.1 Query §13.2).
    """

    def own(graphs: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(names.NOWHERE if g.startswith(names.INTERNAL) else g for g in graphs)

    default, named = own(job.default_graphs), own(job.named_graphs)
    holder = names.default_graph(version)
    if not default and not named and graphs and ranges_over_graphs(job.query) and not names_dataset(job.query):
        # SPARQL 1.1 Protocol §2.1.4: naming graphs names the whole dataset, its default graph too.
        return ((holder, *graphs) if job.union_default_graph else (holder,)), graphs
    if not default and not job.union_default_graph:
        default = (holder,)
    return default, named


def ranges_over_graphs(query: str) -> bool:
    """Say whether ``query`` may match a GRAPH pattern (the keyword outside IRIs, strings and comments)."""
    return may_hold(query, "graph")


def _written(reply: Reply, job: QueryJob, parsed: Parsed, timeout: float) -> Answer:
    """Turn Virtuoso's reply into pobratim's answer, written by the embedded store's writer."""
    if reply.sql_state in TIMEOUT_STATES:
        return timed_out(timeout)  # an "anytime" answer: partial, so not an answer
    error = reply.error
    if error is not None:
        return _failed(error, timeout)
    result: ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples
    if parsed.form == "CONSTRUCT":
        graph = ox.Store()
        graph.bulk_extend(normalise.triples(ox.parse(reply.body, format=ox.RdfFormat.N_TRIPLES)))
        triples = graph.query("CONSTRUCT WHERE { ?s ?p ?o }")
        assert isinstance(triples, ox.QueryTriples)
        result = triples
    else:
        result = ox.parse_query_results(reply.body, format=ox.QueryResultsFormat.JSON)
        if isinstance(result, ox.QuerySolutions):
            kinds = normalise.kinds(job.query, reply.body)
            if normalise.needs_rebuild(reply.body, parsed.variables, tuple(v.value for v in result.variables), kinds):
                result = normalise.solutions(result, parsed.variables, kinds)
    answer = written(result, job)
    # Virtuoso cut the answer at its ResultSetMaxRows and says so in this header.
    return replace(answer, truncated=True) if "x-sparql-maxrows" in reply.headers else answer


def _failed(error: tuple[str, str, str], timeout: float) -> Answer:
    """Map Virtuoso's error to pobratim's outcome, in pobratim's words (its texts name SQL internals)."""
    state, code, message = error
    first = message.splitlines()[0] if message else ""
    if state in TIMEOUT_STATES or code in TIMEOUT_CODES:
        return timed_out(timeout)
    if "SPARQL_SINV" in message or "SERVICE" in first.upper():
        return Answer(Outcome.SERVICE_FAILED, message="a SERVICE call failed: this store does not run SERVICE calls")
    if "length of generated SQL text has exceeded" in first:
        # Virtuoso compiles SPARQL to SQL and refuses past 10,000 lines of it (a VALUES of ~20,000 terms).
        return Answer(Outcome.SYNTAX_ERROR, message="SPARQL error: the query is too large for this store; split it")
    if state == "37000" or code.startswith("SP"):
        # Oxigraph parsed the query: Virtuoso's compiler refusing it is a feature it lacks.
        return Answer(Outcome.SYNTAX_ERROR, message=f"SPARQL error: the store does not support this query ({first})")
    if code == "SR185":  # an unknown function IRI: Virtuoso looks for an SQL procedure of that name
        return Answer(Outcome.SYNTAX_ERROR, message="SPARQL error: the query calls a function this store does not know")
    log.error("Virtuoso failed: %s %s %s", state, code, message)
    return Answer(Outcome.INTERNAL_ERROR, message="internal error while evaluating the query (logged)")
