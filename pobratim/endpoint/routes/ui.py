"""The landing page, the query page, the example queries and /health."""

from typing import Any

import pyoxigraph
from flask import Blueprint, Response, current_app, jsonify, render_template, request, send_from_directory

from pobratim import published
from pobratim.core.ids import Iris
from pobratim.core.vocab import DCTERMS, POB, PREFIXES, SDO
from pobratim.endpoint.describe import pick
from pobratim.endpoint.network import Network
from pobratim.endpoint.page_model import viewer_language
from pobratim.endpoint.problems import fail
from pobratim.endpoint.state import state
from pobratim.sparql.formats import of_kind

bp = Blueprint("ui", __name__)

COUNTS = f"""
SELECT
  (COUNT(DISTINCT ?twinning) AS ?twinnings) (COUNT(DISTINCT ?place) AS ?places)
  (COUNT(DISTINCT ?event) AS ?events) (COUNT(DISTINCT ?attestation) AS ?attestations)
WHERE {{
  {{ ?twinning a <{POB.Twinning}> }}
  UNION {{ ?place a <{SDO.Place}> }}
  UNION {{ GRAPH ?g {{ ?event <{POB.inTwinning}> ?t }} }}
  UNION {{ GRAPH ?g {{ ?attestation a <{POB.MayorAttestation}> }} }}
}}"""
PUBLISHERS = f"SELECT DISTINCT ?m WHERE {{ ?s <{DCTERMS.publisher}> ?m }}"
SOURCES = f"SELECT ?s WHERE {{ ?s a <{SDO.WebPage}> }} ORDER BY ?s"


def _href(iri: str) -> str:
    return f"{request.script_root}/{iri[len(state().base) :]}"


def network_map(net: Network, lang: str) -> dict[str, Any]:
    """The landing map's data block: marks (towns with their IRI, label and page, or grid cells) and lines."""
    labels = state().labels
    marks: list[dict[str, Any]] = []
    for m in net.marks:
        mark: dict[str, Any] = {"lat": m.lat, "long": m.long}
        if m.iri:
            mark.update(iri=m.iri, label=pick(labels.get(m.iri), lang, m.iri), href=_href(m.iri))
        else:
            mark["towns"] = m.towns
        marks.append(mark)
    return {"marks": marks, "lines": [list(line) for line in net.lines], "grid": net.grid}


@bp.route("/")
def landing() -> str:
    """Say what the dataset is, its counts, how to query it, and where the dumps are."""
    st = state()
    solutions = st.store.query(COUNTS)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    row = next(iter(solutions))
    counts = [
        ("twinnings", "побратимявания", row["twinnings"].value),
        ("places", "места", row["places"].value),
        ("events", "събития", row["events"].value),
        ("mayor attestations", "сведения за кметове", row["attestations"].value),
        ("sources", "източници", len(st.manifest.sources)),
        ("triples", "тройки", st.manifest.triples),
    ]
    lang = viewer_language()
    towns = [r["m"] for r in st.store.query(PUBLISHERS)]  # type: ignore[union-attr]
    sources = [r["s"] for r in st.store.query(SOURCES)]  # type: ignore[union-attr]
    dumps = [(name, media, (st.dist / name).stat().st_size) for name, media in published.MEDIA_TYPES.items()]
    return render_template(
        "landing.html",
        st=st,
        counts=counts,
        network=st.network,
        network_data=network_map(st.network, lang),
        dumps=dumps,
        towns=sorted(
            ({"text": pick(st.labels.get(t.value), lang, t.value), "href": _href(t.value)} for t in towns),
            key=lambda t: t["text"],
        ),
        sources=[{"text": pick(st.labels.get(s.value), lang, s.value), "href": _href(s.value)} for s in sources],
    )


def render_query_page(initial: str | None) -> str:
    """Render the query editor, with ``initial`` loaded and the example queries one click away."""
    st = state()
    examples = {q.name: q.text for q in st.queries.values()}
    return render_template("query.html", st=st, initial=initial, examples=examples, formats=of_kind("results", "rdf"))


@bp.route("/query")
def query_page() -> str:
    """The query page, with the query a link carries (``/query?query=…``, as WDQS shares them) in its box."""
    return render_query_page(request.args.get("query"))


@bp.route("/yasgui")
def yasgui_page() -> str:
    """The YASGUI query editor (vendored), on this endpoint, with the first example query loaded."""
    st = state()
    initial = st.queries["twinnings"].text if "twinnings" in st.queries else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    # The result table shows prefixed names: the vocabularies' prefixes, then each kind's namespace under the base.
    prefixes = PREFIXES | Iris(st.base).namespaces()
    return render_template("yasgui.html", st=st, initial=initial, prefixes=prefixes)


@bp.route("/queries/")
def queries_index() -> Response:
    """List the example queries (JSON)."""
    st = state()
    return jsonify(
        [
            {"name": q.name, "comment": q.comment, "url": f"{request.script_root}/queries/{q.name}.rq"}
            for q in st.queries.values()
        ]
    )


@bp.route("/queries/<name>.rq")
def saved_query(name: str) -> Response:
    """Serve an example query's text at a stable URL."""
    query = state().queries.get(name)
    if query is None:
        fail(404, f"no example query {name!r}")
    return Response(query.text, content_type=f"{published.QUERY_MEDIA_TYPE}; charset=utf-8")


@bp.route("/favicon.ico")
def favicon() -> Response:
    """Answer clients that ask for the icon where browsers of old looked for it, with the pages' own icon."""
    folder = current_app.static_folder
    if folder is None:
        fail(404, "no static files")
    return send_from_directory(folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.route("/health")
def health() -> Response:
    """Answer load balancers: the build being served and a trivial query on the store."""
    st = state()
    ok = bool(st.store.query("ASK { ?s ?p ?o }"))
    workers, busy = st.pool.workers()
    # No query worker left (the query server died and none could be forked) means no SPARQL: not healthy.
    status = "ok" if ok and workers else ("empty" if not ok else "no query workers")
    body = {
        "status": status,
        "query_workers": {"total": workers, "busy": busy},
        "built": st.manifest.built,
        "triples": st.manifest.triples,
        "version": st.version,
        "dist": str(st.dist.name),
        "store": st.settings.store,  # embedded or virtuoso
    }
    return jsonify(body), 200 if status == "ok" else 503  # type: ignore[return-value]
