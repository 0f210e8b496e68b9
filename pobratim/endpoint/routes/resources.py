"""Dereferenceable resources: every IRI under the base answers on this server, whatever its host.

Following "Cool URIs for the Semantic Web" §4.3, the IRI of a thing answers 303 See Other to a document
about it, chosen by content negotiation (``Vary: Accept``); the document URLs carry a suffix
(``.html``, ``.ttl``, ``.jsonld``, …: ``formats.DOCUMENTS``) and can be linked directly.
"""

import io
import json
from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha256
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, render_template, request
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from werkzeug.http import quote_etag

from pobratim import published
from pobratim.core.jsonld import Compactor, write_document
from pobratim.core.self_description import self_description
from pobratim.core.vocab import DCAT, DCTERMS, ONTOLOGY_IRI, PREFIXES, RDF, RDFS, SPDX
from pobratim.endpoint.front import Reply, raise_refused
from pobratim.endpoint.iri import checked_iri
from pobratim.endpoint.page_model import resource_page, viewer_language
from pobratim.endpoint.problems import fail
from pobratim.endpoint.state import State, state
from pobratim.page_index import Description, PageData, read
from pobratim.sparql.formats import BY_SUFFIX, DOCUMENTS, Format, negotiate

bp = Blueprint("resources", __name__)
IANA = "https://www.iana.org/assignments/media-types/"
_Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
# The prefixes a resource document is written with: the vocabularies its statements use.
PREFIXES_TURTLE = {
    p: PREFIXES[p] for p in ("pob", "schema", "skos", "prov", "dcterms", "oa", "org", "rdfs", "owl", "void", "foaf")
}


def document_of(path: str) -> tuple[str, Format | None]:
    """Split ``id/place/bg/kazanlak.ttl`` into the resource path and the requested document format."""
    stem, dot, suffix = path.rpartition(".")
    if dot and suffix in BY_SUFFIX and BY_SUFFIX[suffix] in DOCUMENTS:
        return stem, BY_SUFFIX[suffix]
    return path, None


def _iri(path: str) -> str:
    if path == "ontology":
        return ONTOLOGY_IRI
    return state().base + path


def _named(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


@lru_cache(maxsize=4)
def _file_quads(path: Path, version: str) -> tuple[ox.Quad, ...]:
    """A published Turtle file (the ontology, the dataset description), parsed once per build (``version``).

    Not loaded into a Store: Oxigraph's store keeps an xsd:nonNegativeInteger (a dump's dcat:byteSize) as an
    xsd:integer, and the document must say what the file says.
    """
    return tuple(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def file_description(path: Path, version: str, iri: str) -> Description:
    """The whole of a published description file: ``iri``'s own statements, then all the rest of the file (the
    ontology's terms; the dataset's service, publisher, distributions with their checksums, and subsets)."""
    quads = sorted(_file_quads(path, version), key=str)
    node = ox.NamedNode(iri)
    return Description(own=[q for q in quads if q.subject == node], parts=[q for q in quads if q.subject != node])


# The resources described by a file of their own, as the build published it.
DESCRIBED_BY_FILE = {"ontology": published.ONTOLOGY, "dataset": published.VOID}


def _by_subject(quads: list[ox.Quad]) -> dict[str, dict[str, list[_Term]]]:
    found: dict[str, dict[str, list[_Term]]] = {}
    for q in quads:
        found.setdefault(str(getattr(q.subject, "value", q.subject)), {}).setdefault(q.predicate.value, []).append(
            q.object
        )
    return found


def _text(term: _Term) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal) else str(term)


def _in(values: list[_Term], lang: str) -> str:
    """The text of the literal in ``lang``, else in English, else any."""
    texts = {getattr(v, "language", None) or "": v.value for v in values if isinstance(v, ox.Literal)}
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


def file_parts(name: str, d: Description, lang: str) -> dict[str, list[dict[str, str]]]:
    """What a page of a description file lists besides its own statements: the ontology's terms (each with its
    label, kind and comment in the viewer's language, anchored by its fragment), the dataset's distributions."""
    subjects = _by_subject(d.parts)
    if name == "ontology":
        terms = []
        for iri, props in sorted(subjects.items()):
            if not iri.startswith(ONTOLOGY_IRI + "#"):
                continue
            kinds = sorted(t.value for t in props.get(str(RDF.type), []) if isinstance(t, ox.NamedNode))
            terms.append(
                {
                    "iri": iri,
                    "fragment": iri.split("#", 1)[1],
                    "label": _in(props.get(str(RDFS.label), []), lang),
                    "kinds": ", ".join(k.rsplit("#", 1)[-1] for k in kinds),
                    "comment": _in(props.get(str(RDFS.comment), []), lang),
                }
            )
        return {"terms": terms}
    files = []
    for _subject, props in sorted(subjects.items()):
        if ox.NamedNode(str(DCAT.Distribution)) not in props.get(str(RDF.type), []):
            continue
        sums = [subjects.get(c.value, {}) for c in props.get(str(SPDX.checksum), []) if isinstance(c, ox.NamedNode)]
        files.append(
            {
                "url": _text(props[str(DCAT.downloadURL)][0]),
                "media": _text(props[str(DCAT.mediaType)][0]).removeprefix(IANA),
                "bytes": _text(props[str(DCAT.byteSize)][0]),
                "sha256": next((_text(v[0]) for c in sums if (v := c.get(str(SPDX.checksumValue)))), ""),
            }
        )
    return {"files": files}


def page_data(name: str) -> PageData:
    """What the page and documents of resource ``name`` show: read from the build's page index, one read."""
    st = state()
    if name in DESCRIBED_BY_FILE:
        return PageData(file_description(st.dist / DESCRIBED_BY_FILE[name], st.version, _iri(name)))
    iri = checked_iri(_iri(name), "the requested resource").value
    found = st.pages.get(iri)
    # Not indexed: a resource's hash-named part (``…%23claim-1``), or nothing the build knows (then a 404).
    return found if found is not None else read(st.store, iri)


def about_document(name: str, fmt: Format) -> list[ox.Quad]:
    """What a resource document says of itself: what it is about, the dataset it is part of, its licence."""
    st = state()
    document, dataset = ox.NamedNode(f"{st.base}{name}.{fmt.suffix}"), ox.NamedNode(st.base + "dataset")
    found = st.store.quads_for_pattern(dataset, _named(DCTERMS.license), None, None)
    licences = [q.object for q in found if not isinstance(q.object, ox.Triple)]
    return self_description(document, ox.NamedNode(_iri(name)), dataset, licences)


def serialize(quads: list[ox.Quad], fmt: Format, base: str) -> bytes:
    """Write a description: triples (deduplicated) for graph formats, quads where the format keeps graphs."""
    assert isinstance(fmt.oxigraph, ox.RdfFormat)
    if fmt.quads:
        return ox.serialize(sorted(set(quads), key=str), format=fmt.oxigraph) or b""
    triples = sorted({q.triple for q in quads}, key=str)
    if fmt.oxigraph in {ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD}:
        return ox.serialize(triples, format=fmt.oxigraph, prefixes=PREFIXES_TURTLE) or b""
    return ox.serialize(triples, format=fmt.oxigraph) or b""


@dataclass(frozen=True)
class TermContext:
    """The build's term context (``published.CONTEXT``), its compactor, and the context as a page's JSON-LD script
    holds it: the same on every page, and 7 of a town page's 8 kB of JSON-LD at a million quads (writing, reading
    and writing it again on every page took a quarter of the page's time)."""

    context: dict[str, Any]
    compactor: Compactor
    script: Markup


# One a build, by its version: looked up by a string, not by a Path made and hashed on every page (≈ 10 µs a page).
_TERM_CONTEXTS: dict[str, TermContext] = {}


def term_context(st: State) -> TermContext:
    """The term context of the build ``st`` serves, read once."""
    found = _TERM_CONTEXTS.get(st.version)
    if found is None:
        context = json.loads((st.dist / published.CONTEXT).read_bytes())["@context"]
        found = TermContext(context, Compactor(context), tojson(context))
        if len(_TERM_CONTEXTS) >= 4:  # a process serves one build at a time: the others are gone
            _TERM_CONTEXTS.clear()
        _TERM_CONTEXTS[st.version] = found
    return found


def compact_document(quads: list[ox.Quad]) -> bytes:
    """A JSON-LD resource document: its triples compacted with the build's term context, which it embeds (as
    the dump does): it reads the same offline, and with the context of the build that wrote it."""
    terms = term_context(state())
    out = io.BytesIO()
    triples = sorted({q.triple for q in quads}, key=str)  # a subject's triples together, as write_document needs
    write_document(triples, terms.compactor, terms.context, out)
    return out.getvalue()


def tojson(value: object) -> Markup:
    """Write ``value`` as the templates' ``tojson`` filter does (Jinja's ``do_tojson``): HTML-safe JSON."""
    env = current_app.jinja_env
    return htmlsafe_json_dumps(value, dumps=env.policies["json.dumps_function"], **env.policies["json.dumps_kwargs"])


# tojson's own output for {"@context": context, "@graph": graph}: its keys sorted, its separators.
_JSONLD_OPEN, _JSONLD_GRAPH, _JSONLD_CLOSE = Markup('{"@context": '), Markup(', "@graph": '), Markup("}")


def jsonld_of(d: Description) -> Markup:
    """The JSON-LD the HTML page embeds for machines, as ``tojson`` writes it: its triples compacted with the
    build's term context, as the JSON-LD document is, and that context (``TermContext.script``)."""
    terms = term_context(state())
    triples = sorted({q.triple for q in [*d.own, *d.parts, *d.quotes]}, key=str)
    # Triples, so every node is in the default graph: the document's "@graph" is the compacted nodes in order.
    # Taken as they are: writing the document and parsing it back gave the same list (111 against 84 µs a town page,
    # 311 against 212 a twinning page, in process).
    graph = tojson([node for _graph, node in terms.compactor.nodes(triples)])
    # Joined as Markup, each part HTML-safe already (Markup.format ran its escaping formatter over the 7 kB context).
    return Markup("").join((_JSONLD_OPEN, terms.script, _JSONLD_GRAPH, graph, _JSONLD_CLOSE))


def document_url(path: str, fmt: Format, root: str | None = None) -> str:
    """The URL of ``path``'s document in ``fmt`` under the public prefix ``root`` (by default, the request's)."""
    return f"{request.script_root if root is None else root}/{path}.{fmt.suffix}"


def requested_path() -> str:
    """The path of the requested resource or document under the public prefix: ``id/place/bg/kazanlak.html``."""
    return request.path.removeprefix(request.script_root).lstrip("/")


def document_etag(full: str, fmt: Format) -> str:
    """The validator of the document at ``full``: it depends on the build, its path, the page language and the
    public prefix only."""
    lang = viewer_language() if fmt.kind == "html" else ""
    return sha256(f"{state().version}|{full}|{lang}|{request.script_root}".encode()).hexdigest()[:32]


def document(name: str, fmt: Format, etag: str) -> Reply:
    """Give resource ``name``'s document in ``fmt`` (made once, then from the document cache), with its validator and
    links to the other formats; 404 when nothing is known about it.

    The one making of a document, for the Flask route and for the path in front of Flask (``page_path.py``).
    """
    st = state()
    body = st.documents.get(etag)
    if body is None:
        data = page_data(name)
        if not data.description:
            fail(404, f"nothing is known about <{_iri(name)}>")
        body = _made(name, fmt, data)
        st.documents.put(etag, body, len(body))
    root = request.script_root  # read once: each read goes through Werkzeug's request proxy
    links = ", ".join(
        f'<{document_url(name, f, root)}>; rel="alternate"; type="{f.media_type}"' for f in DOCUMENTS if f != fmt
    )
    headers = [
        ("Content-Type", fmt.content_type),
        ("ETag", quote_etag(etag)),
        ("Content-Location", document_url(name, fmt, root)),
        ("Link", links),
    ]
    # An HTML page's Vary: Accept-Language is added with every page's (endpoint/headers.py).
    return Reply(200, headers, body, fmt.media_type)


def _made(name: str, fmt: Format, data: PageData) -> bytes:
    """Make resource ``name``'s document in ``fmt`` from what the build found for it."""
    st = state()
    d = data.description
    if fmt.kind == "html" and name in DESCRIBED_BY_FILE:
        page = resource_page(st, name, data, jsonld_of(d))
        parts = file_parts(name, d, page.lang)
        return render_template("described.html", page=page, st=st, lang=page.lang, **parts).encode()
    if fmt.kind == "html":
        page = resource_page(st, name, data, jsonld_of(d))
        return render_template("resource.html", page=page, st=st, lang=page.lang).encode()
    if fmt.name == "jsonld":
        return compact_document([*d.own, *d.parts, *d.quotes, *d.incoming, *about_document(name, fmt)])
    quads = d.all() if fmt.quads else [*d.own, *d.parts, *d.quotes, *d.incoming]
    return serialize([*quads, *about_document(name, fmt)], fmt, st.base)


@bp.route("/id/<path:path>", methods=["GET", "HEAD"])
@bp.route("/source/<path:path>", methods=["GET", "HEAD"])
@bp.route("/graph/<path:path>", methods=["GET", "HEAD"])
# Each rule with defaults has its own: Werkzeug redirects (308) a URL to the rule of the same view whose defaults
# it matches (Map.redirect_defaults), which, with one default for both, sent /dataset to /ontology.
@bp.route("/dataset", methods=["GET", "HEAD"], defaults={"path": "dataset"})
@bp.route("/dataset.<path:path>", methods=["GET", "HEAD"])
@bp.route("/ontology", methods=["GET", "HEAD"], defaults={"path": "ontology"})
@bp.route("/ontology.<path:path>", methods=["GET", "HEAD"])
def resource(path: str) -> Response:
    """Redirect a thing's IRI to a document about it, or serve that document."""
    raise_refused(request)  # met in front of Flask (page_path.py): rendered here, as every refusal is
    full = requested_path()
    name, fmt = document_of(full)
    if fmt is not None:
        etag = document_etag(full, fmt)
        if request.if_none_match.contains(etag):
            response = Response(status=304)
            response.set_etag(etag)
            return response
        return document(name, fmt, etag).response()
    if not page_data(name).description:
        fail(404, f"nothing is known about <{_iri(name)}>")
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
