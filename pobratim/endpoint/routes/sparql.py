"""The SPARQL 1.1 Protocol at /sparql: query by GET, POST form and POST direct; read-only."""

from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha256
from urllib.parse import parse_qsl

from flask import Blueprint, Response, request
from rdflib import BNode, Graph, Literal, URIRef
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header, quote_etag
from werkzeug.wrappers import Request

from pobratim import published
from pobratim.core.vocab import DCTERMS, FORMATS, RDF, RDFS, SD, VOID
from pobratim.endpoint.body_limit import limit_query_string
from pobratim.endpoint.front import Reply, raise_refused
from pobratim.endpoint.iri import checked_iri
from pobratim.endpoint.problems import RETRY_AFTER, OverBudget, TooBusy, fail, fail_answer
from pobratim.endpoint.routes.ui import render_query_page
from pobratim.endpoint.state import State, state
from pobratim.settings import Settings
from pobratim.sparql.answers import Outcome, QueryJob
from pobratim.sparql.formats import BY_NAME, Format, by_parameter, graph_bytes, listed, negotiate, of_kind
from pobratim.sparql.guard import refusal

bp = Blueprint("sparql", __name__)


def _params(req: Request) -> list[tuple[str, str]]:
    """Read the protocol parameters (URL and form), decoding UTF-8 strictly (SPARQL 1.1 Protocol §2.1)."""
    raw = [req.query_string]
    if req.method == "POST" and req.mimetype == "application/x-www-form-urlencoded":
        raw.append(req.get_data(cache=True))
    params: list[tuple[str, str]] = []
    for chunk in raw:
        try:
            params.extend(
                parse_qsl(
                    chunk.decode("ascii"),
                    keep_blank_values=True,
                    encoding="utf-8",
                    errors="strict",
                    max_num_fields=1000,
                )
            )
        except UnicodeDecodeError as err:
            fail(400, f"the request is not UTF-8 (byte {err.start} of a parameter)")
        except ValueError as err:
            fail(400, f"malformed request parameters: {err}")
    return params


def _query_text(req: Request, params: list[tuple[str, str]]) -> str | None:
    """Find the query: a ``query`` parameter, or the body of a direct POST."""
    queries = [v for k, v in params if k == "query"]
    if req.method == "POST" and req.mimetype == published.QUERY_MEDIA_TYPE:
        if queries:
            fail(400, "a direct POST carries the query in its body, not also in a query parameter")
        body = req.get_data(cache=True)
        try:
            return body.decode(req.mimetype_params.get("charset", "utf-8"))
        except (UnicodeDecodeError, LookupError) as err:
            fail(400, f"the query body is not valid UTF-8: {err}")
    if len(queries) > 1:
        fail(400, "exactly one query parameter is allowed (SPARQL 1.1 Protocol §2.1.1)")
    return queries[0] if queries else None


def _formats(req: Request, params: list[tuple[str, str]]) -> tuple[Format | None, Format | None, Format | None]:
    """Choose (results format, RDF format, HTML) from ``format=`` or from ``Accept``."""
    # SPARQLWrapper sends the same word as format=, output= and results=; Fuseki reads them too.
    names = [v for k, v in params if k in {"format", "output", "results"}]
    accept = req.headers.get("Accept", "")
    if names:
        results, rdf = by_parameter(names[-1], "results"), by_parameter(names[-1], "rdf")
        if results is not None or rdf is not None:
            return results, rdf, None
        # A value that names none of ours: media types (SPARQLWrapper sends "application/ld+json,application/
        # x-json+ld") are weighed as an Accept header would be; else, as Fuseki and the Oxigraph server do, the
        # client's own Accept decides. Only a word nothing explains is refused.
        if "/" in names[-1]:
            results, rdf, _html = _negotiated(names[-1])
            if results is not None or rdf is not None:
                return results, rdf, None
        if accept.strip() not in ("", "*/*"):
            return _negotiated(accept)
        known = ", ".join(f.name for f in of_kind("results", "rdf"))
        fail(400, f"unknown format {names[-1]!r}; known: {known}")
    return _negotiated(accept)


@lru_cache(maxsize=1024)
def _negotiated(header: str) -> tuple[Format | None, Format | None, Format | None]:
    """Negotiate from one ``Accept`` value, once: clients repeat theirs on every request."""
    accept = parse_accept_header(header, MIMEAccept)
    # text/html last: a client that accepts anything (curl's */*) gets data, a browser gets the page.
    html = (
        BY_NAME["html"]
        if accept and accept.best_match(["application/sparql-results+json", "text/turtle", "text/html"]) == "text/html"
        else None
    )
    return negotiate(accept, of_kind("results")), negotiate(accept, of_kind("rdf")), html


def service_description() -> Graph:
    """Describe this endpoint (SPARQL 1.1 Service Description), where clients look for it."""
    st = state()
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS)
    service = URIRef(request.url_root + "sparql")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for f in of_kind("results", "rdf"):
        if f.w3c:
            g.add((service, SD.resultFormat, FORMATS[f.w3c]))
    if st.settings.service_allow:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    dataset = BNode("dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, VOID.sparqlEndpoint, service))
    g.add((dataset, RDFS.seeAlso, URIRef(request.url_root + ".well-known/void")))
    if st.settings.union_default_graph:
        # SPARQL 1.1 Service Description §3.4: the default graph is the union of all named graphs.
        g.add((service, SD.feature, SD.UnionDefaultGraph))
    default = BNode("default")
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    for name in st.manifest.graph_names:
        named = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, SD.name, URIRef(name)))
    g.add((service, DCTERMS.title, Literal("pobratim SPARQL endpoint", lang="en")))
    return g


def _describe_service(html: Format | None) -> Response:
    if html is not None:
        return Response(render_query_page(None), mimetype="text/html")
    fmt = negotiate(request.accept_mimetypes, of_kind("rdf"))
    if fmt is None or fmt.rdflib is None:
        fail(406, f"the service description is RDF: ask for {listed(of_kind('rdf'))}")
    body = graph_bytes(service_description(), fmt)
    response = Response(body, content_type=fmt.content_type)
    response.vary.add("Accept")
    return response


@dataclass(frozen=True)
class Asked:
    """What a request to /sparql asks: its parameters, its query (None: describe the service) and the formats."""

    params: list[tuple[str, str]]
    query: str | None
    results: Format | None
    rdf: Format | None
    html: Format | None  # a browser's request: the query page


def asked(req: Request, cfg: Settings) -> Asked:
    """Read what a request to /sparql asks (SPARQL 1.1 Protocol §2.1); refuse what it may not ask.

    The one reading of a request, for the Flask route and for the path in front of Flask (``sparql_path.py``).
    """
    limit_query_string(req.query_string, cfg.max_request_bytes)
    if req.method == "POST" and req.mimetype not in {
        "application/x-www-form-urlencoded",
        published.QUERY_MEDIA_TYPE,
    }:
        if req.mimetype == "application/sparql-update":
            fail(403, "this endpoint is read-only: SPARQL Update is not accepted")
        fail(
            415,
            f"a POST must be application/x-www-form-urlencoded or {published.QUERY_MEDIA_TYPE}, "
            f"not {req.mimetype or 'unspecified'}",
        )
    params = _params(req)
    if any(k == "update" for k, _v in params):
        fail(403, "this endpoint is read-only: SPARQL Update is not accepted")
    query = _query_text(req, params)
    results, rdf, html = _formats(req, params)
    return Asked(params, query, results, rdf, html)


def answer(req: Request, st: State, ask: Asked, query: str) -> Reply:
    """Answer ``query`` with every protection: its shape, the formats, the cache, the client's budget, a query
    worker and its deadline. Raise an HTTPException (``problems.fail``) for every refusal.

    The one answering of a query, for the Flask route and for the path in front of Flask (``sparql_path.py``).
    """
    cfg = st.settings
    if not query.strip():
        fail(400, "the query is empty")
    refused = refusal(query, cfg.query_max_depth, cfg.query_max_operators)
    if refused is not None:
        fail(400, refused)
    if ask.results is None and ask.rdf is None:
        fail(
            406,
            f"no acceptable format: SPARQL results are {listed(of_kind('results'))}; RDF is {listed(of_kind('rdf'))}",
        )
    params = ask.params
    job = QueryJob(
        query=query,
        results_format=ask.results.name if ask.results else None,
        rdf_format=ask.rdf.name if ask.rdf else None,
        limit=cfg.result_limit,
        # SPARQL 1.1 Protocol §2.1.4: the dataset is named by IRIs; anything else is a malformed request.
        default_graphs=tuple(checked_iri(v, "default-graph-uri").value for k, v in params if k == "default-graph-uri"),
        named_graphs=tuple(checked_iri(v, "named-graph-uri").value for k, v in params if k == "named-graph-uri"),
        union_default_graph=cfg.union_default_graph,
        service_allow=cfg.service_allow,
        service_allow_private=cfg.service_allow_private,
        max_bytes=cfg.answer_max_bytes,
        max_memory=cfg.query_memory_mb << 20,
    )
    etag = sha256(repr((st.version, job)).encode("utf-8")).hexdigest()[:32]
    if req.if_none_match.contains(etag):
        return Reply(304, [("ETag", quote_etag(etag))], b"", vary=("Accept",))
    found = st.answers.get(etag)
    if found is None:
        # The client is its address (behind a trusted proxy, the one it forwards): never its User-Agent.
        try:
            with st.budget.spend(req.remote_addr or "", cfg.queue_timeout):
                found = st.pool.run(job, cfg.query_timeout, cfg.queue_timeout)
        except OverBudget as err:
            fail(429, str(err), err.retry_after)
        except TooBusy as err:
            fail(503, str(err), RETRY_AFTER[Outcome.BUSY])
        if found.outcome is Outcome.ANSWERED:
            st.answers.put(etag, found, len(found.body))
    if found.outcome is not Outcome.ANSWERED:
        fail_answer(found)
    fmt = BY_NAME[found.format_name or "json"]
    headers = [
        ("Content-Type", fmt.content_type),
        ("ETag", quote_etag(etag)),
        ("X-Result-Limit", str(cfg.result_limit)),
        ("X-Result-Rows", str(found.rows)),
    ]
    if found.truncated:
        # Never cut silently: say so, and how to get the rest.
        headers.append(("X-Result-Truncated", "true"))
        headers.append(
            (
                "Warning",
                f'199 - "result cut at the result limit of {cfg.result_limit}; page with ORDER BY, LIMIT and OFFSET"',
            )
        )
    return Reply(200, headers, found.body, fmt.media_type, vary=("Accept",))


@bp.route("/sparql", methods=["GET", "POST", "HEAD"])
def sparql() -> Response:
    """Answer a query (SPARQL 1.1 Protocol §2.1), or describe the service when there is none."""
    raise_refused(request)  # met in front of Flask: rendered here, as every refusal is
    st = state()
    ask = asked(request, st.settings)
    if ask.query is None:
        return _describe_service(ask.html)
    if ask.html is not None:
        # A browser following a query link: show the query page, which runs it and shows a table.
        return Response(render_query_page(ask.query), mimetype="text/html")
    reply = answer(request, st, ask, ask.query)
    return reply.response()
