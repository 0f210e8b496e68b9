"""``/search``: places by any of their labels, as JSON for programs and as a page for people."""

from functools import cache

from babel import Locale
from flask import Blueprint, Response, jsonify, render_template, request

from pobratim.endpoint.describe import pick
from pobratim.endpoint.page_model import viewer_language
from pobratim.endpoint.problems import fail
from pobratim.endpoint.state import state
from pobratim.sparql.formats import BY_NAME, DATA_JSON, negotiate

bp = Blueprint("search", __name__)
# HTML first: a browser's Accept (text/html, then */*) and a client that sends none get the page.
CANDIDATES = [BY_NAME["html"], DATA_JSON]
MAX_QUERY = 200  # characters: longer than any place name in any script


@cache
def country_names(lang: str) -> dict[str, str]:
    """CLDR's country names in ``lang``, by ISO 3166 code."""
    return dict(Locale.parse(lang).territories)


@bp.route("/search", methods=["GET", "HEAD"])
def search() -> Response | str:
    """Find places by name, best match first."""
    fmt = negotiate(request.accept_mimetypes, CANDIDATES)
    if fmt is None:
        fail(406, f"search answers are available as {', '.join(f.media_type for f in CANDIDATES)}")
    query = request.args.get("q", "").strip()
    if len(query) > MAX_QUERY:
        fail(400, f"a search is at most {MAX_QUERY} characters")
    st = state()
    lang = viewer_language()
    names = country_names(lang)
    results = [
        {
            "iri": hit.iri,
            "label": pick(st.labels.get(hit.iri), lang, hit.matched),
            "matched": hit.matched,
            "country": hit.country,
            "countryName": names.get(hit.country, hit.country),
            "href": f"{request.script_root}/{hit.iri[len(st.base) :]}" if hit.iri.startswith(st.base) else hit.iri,
        }
        for hit in st.search.lookup(query)
    ]
    if fmt is DATA_JSON:
        response = jsonify({"query": query, "results": results})
    else:
        response = Response(render_template("search.html", st=st, lang=lang, query=query, results=results))
    # The answer follows Accept (JSON or HTML) and Accept-Language (labels): a cache must key on both.
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    return response
