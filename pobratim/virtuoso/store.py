"""The read-only store interface the pages use (``quads_for_pattern``, ``query``), answered by Virtuoso.

Resource pages, labels, search, the landing map and /health read the store through these two methods of
``pyoxigraph.Store``; this class gives them over Virtuoso's SPARQL endpoint, returning Oxigraph's own terms,
so that none of that code knows which store is behind it. As on the Oxigraph store, the default graph is
the build's default graph (not the union), and a pattern without a graph matches in every graph.
"""

from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from pobratim.virtuoso import names, normalise
from pobratim.virtuoso.client import Endpoint
from pobratim.virtuoso.errors import VirtuosoError

PAGE = 10_000  # rows asked for at a time: within Virtuoso's ResultSetMaxRows (RESULT_LIMIT + 1)
RESULTS = "application/sparql-results+json"  # see pool.RESULTS

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class RemoteStore:
    """The build held by the Virtuoso at ``url``, read as a ``pyoxigraph.Store`` is read."""

    def __init__(self, url: str, version: str, timeout: float) -> None:
        self.endpoint = Endpoint(url)
        self.default = ox.NamedNode(names.default_graph(version))  # where the build's default graph is
        self.timeout = timeout

    def _results(self, query: str, default: tuple[str, ...] = ()) -> tuple[ox.QuerySolutions | ox.QueryBoolean, bool]:
        reply = self.endpoint.ask(query, RESULTS, self.timeout, default)
        if reply.error is not None or reply.sql_state:
            raise VirtuosoError(f"Virtuoso failed on pobratim's own query: {reply.error or reply.sql_state}\n{query}")
        result = ox.parse_query_results(reply.body, format=ox.QueryResultsFormat.JSON)
        return result, "x-sparql-maxrows" in reply.headers

    def query(self, query: str) -> ox.QuerySolutions | ox.QueryBoolean:
        """Evaluate one of pobratim's SELECT or ASK queries on the build's default graph and named graphs."""
        result, _cut = self._results(query, (self.default.value,))
        if isinstance(result, ox.QuerySolutions):
            return normalise.solutions(result, tuple(v.value for v in result.variables))
        return result

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        obj: Term | None,
        graph_name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None,
    ) -> Iterator[ox.Quad]:
        """Yield the quads matching the pattern (None matches anything), page by page."""
        fixed: dict[str, Any] = {"s": subject, "p": predicate, "o": obj}
        if isinstance(graph_name, ox.DefaultGraph):
            fixed["g"] = self.default
        else:
            fixed["g"] = graph_name
        term = {k: (str(v) if v is not None else f"?{k}") for k, v in fixed.items()}
        wanted = " ".join(f"?{k}" for k, v in fixed.items() if v is None)
        pattern = f"GRAPH {term['g']} {{ {term['s']} {term['p']} {term['o']} }}"
        if not wanted:
            found = self._results(f"ASK {{ {pattern} }}")[0]
            if found:
                yield ox.Quad(subject, predicate, obj, graph_name)  # type: ignore[arg-type]
            return
        offset = 0
        while True:
            result, cut = self._results(f"SELECT {wanted} WHERE {{ {pattern} }} LIMIT {PAGE} OFFSET {offset}")
            assert isinstance(result, ox.QuerySolutions)
            rows = 0
            for row in result:
                rows += 1
                value = {k: (v if v is not None else row[k]) for k, v in fixed.items()}
                graph = value["g"]
                yield ox.Quad(
                    value["s"],
                    value["p"],
                    normalise.term(value["o"]),
                    ox.DefaultGraph() if graph == self.default else graph,
                )
            if rows == 0 or (rows < PAGE and not cut):
                return
            offset += rows


def holds(url: str, version: str, timeout: float = 10.0) -> bool:
    """Tell whether the Virtuoso at ``url`` holds the build ``version`` (as ``published.version`` names it)."""
    query = f"ASK {{ GRAPH <{names.default_graph(version)}> {{ ?s ?p ?o }} }}"
    reply = Endpoint(url).ask(query, RESULTS, timeout)
    if reply.error is not None:
        raise VirtuosoError(f"Virtuoso at {url} failed: {reply.error}")
    return bool(ox.parse_query_results(reply.body, format=ox.QueryResultsFormat.JSON))


def holder(urls: tuple[str, ...], version: str, dist: str) -> str:
    """Return the first of the Virtuoso databases ``urls`` that holds the build ``version`` (the one in
    ``dist``) whole; raise VirtuosoError saying what each holds otherwise."""
    missing = []
    for url in urls:
        try:
            if holds(url, version):
                return url
            missing.append(f"{url} holds another build, or none")
        except (OSError, VirtuosoError) as err:
            missing.append(f"{url} cannot be reached ({err})")
    raise VirtuosoError(
        f"no Virtuoso holds the build {version} in {dist}: {'; '.join(missing)}. Start them with `make virtuoso`, "
        f"load the build with `pobratim virtuoso load --dist {dist}`"
    )
