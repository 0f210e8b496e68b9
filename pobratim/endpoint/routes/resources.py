"""Dereferenceable resources: every IRI under the base answers on this server, whatever its host.

Following "Cool URIs for the Semantic Web" §4.3, the IRI of a thing answers 303 See Other to a document
about it, chosen by content negotiation (``Vary: Accept``); the document URLs carry a suffix
(``.html``, ``.ttl``, ``.jsonld``, …: ``formats.DOCUMENTS``) and can be linked directly.
"""

import json
from hashlib import sha256

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, render_template, request

from pobratim.core.vocab import ONTOLOGY_IRI, PREFIXES
from pobratim.endpoint.describe import Description, describe
from pobratim.endpoint.iri import checked_iri
from pobratim.endpoint.page_model import resource_page, viewer_language
from pobratim.endpoint.problems import fail
from pobratim.endpoint.state import state
from pobratim.sparql.formats import BY_NAME, BY_SUFFIX, DOCUMENTS, Format, negotiate

bp = Blueprint("resources", __name__)
# The prefixes a resource document is written with: the vocabularies its statements use.
PREFIXES_TURTLE = {p: PREFIXES[p] for p in ("pob", "schema", "skos", "prov", "dcterms", "oa", "org")}


def _split(path: str) -> tuple[str, Format | None]:
    """Split ``id/place/bg/kazanlak.ttl`` into the resource path and the requested document format."""
    stem, dot, suffix = path.rpartition(".")
    if dot and suffix in BY_SUFFIX and BY_SUFFIX[suffix] in DOCUMENTS:
        return stem, BY_SUFFIX[suffix]
    return path, None


def _iri(path: str) -> str:
    if path == "ontology":
        return ONTOLOGY_IRI
    return state().base + path


def serialize(quads: list[ox.Quad], fmt: Format, base: str) -> bytes:
    """Write a description: triples (deduplicated) for graph formats, quads where the format keeps graphs."""
    assert isinstance(fmt.oxigraph, ox.RdfFormat)
    if fmt.quads:
        return ox.serialize(sorted(set(quads), key=str), format=fmt.oxigraph) or b""
    triples = sorted({q.triple for q in quads}, key=str)
    if fmt.oxigraph in {ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD}:
        return ox.serialize(triples, format=fmt.oxigraph, prefixes=PREFIXES_TURTLE) or b""
    return ox.serialize(triples, format=fmt.oxigraph) or b""


def jsonld_of(d: Description) -> object:
    """The JSON-LD the HTML page embeds for machines."""
    body = serialize([*d.own, *d.parts, *d.quotes], BY_NAME["jsonld"], state().base)
    return json.loads(body or b"[]")


def document_url(path: str, fmt: Format) -> str:
    return f"{request.script_root}/{path}.{fmt.suffix}"


@bp.route("/id/<path:path>", methods=["GET", "HEAD"])
@bp.route("/source/<path:path>", methods=["GET", "HEAD"])
@bp.route("/graph/<path:path>", methods=["GET", "HEAD"])
@bp.route("/dataset", methods=["GET", "HEAD"], defaults={"path": ""})
@bp.route("/dataset.<path:path>", methods=["GET", "HEAD"])
@bp.route("/ontology", methods=["GET", "HEAD"], defaults={"path": ""})
@bp.route("/ontology.<path:path>", methods=["GET", "HEAD"])
def resource(path: str) -> Response:
    """Redirect a thing's IRI to a document about it, or serve that document."""
    st = state()
    full = request.path.removeprefix(request.script_root).lstrip("/")
    name, fmt = _split(full)
    if fmt is not None:
        # The document depends on the build, its path, the page language and the public prefix only.
        lang = viewer_language() if fmt.kind == "html" else ""
        etag = sha256(f"{st.version}|{full}|{lang}|{request.script_root}".encode()).hexdigest()[:32]
        if request.if_none_match.contains(etag):
            response = Response(status=304)
            response.set_etag(etag)
            return response
        cached = st.documents.get(etag)
        if cached is not None:
            return _document(cached, fmt, name, etag)
    d = describe(st.store, checked_iri(_iri(name), "the requested resource").value)
    if not d:
        fail(404, f"nothing is known about <{_iri(name)}>")
    if fmt is None:
        chosen = negotiate(request.accept_mimetypes, list(DOCUMENTS))
        if chosen is None:
            offered = ", ".join(f.media_type for f in DOCUMENTS)
            fail(406, f"this resource is available as {offered}")
        # A relative reference (RFC 9110 §10.2.2): never built from the Host header, which a client can forge.
        target = document_url(name, chosen)
        if request.query_string:
            target += "?" + request.query_string.decode("ascii", "replace")
        see_other = redirect(target, 303)
        see_other.vary.add("Accept")
        return see_other  # type: ignore[return-value]
    if fmt.kind == "html":
        page = resource_page(st, name, d, jsonld_of(d))
        body = render_template("resource.html", page=page, st=st, lang=page["lang"]).encode()
    else:
        body = serialize(d.all() if fmt.quads else [*d.own, *d.parts, *d.quotes, *d.incoming], fmt, st.base)
    st.documents.put(etag, body, len(body))
    return _document(body, fmt, name, etag)


def _document(body: bytes, fmt: Format, name: str, etag: str) -> Response:
    """Send a resource document with its validators and links to the other formats."""
    response = Response(body, content_type=fmt.content_type)
    response.set_etag(etag)
    response.headers["Content-Location"] = document_url(name, fmt)
    response.headers["Link"] = ", ".join(
        f'<{document_url(name, f)}>; rel="alternate"; type="{f.media_type}"' for f in DOCUMENTS if f != fmt
    )
    if fmt.kind == "html":
        response.vary.add("Accept-Language")  # the page's language follows the browser's
    return response
