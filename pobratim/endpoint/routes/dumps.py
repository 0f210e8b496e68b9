"""The published files under /dumps/, the dataset description at /.well-known/void and the JSON-LD context at
/context.jsonld.

Files go out through Werkzeug's ``send_file`` (ETag, Last-Modified, 304, HEAD and Range); a client that
accepts gzip gets the whole file compressed on the fly (RFC 9110 §8.4), a Range request the plain bytes.
"""

import hashlib
import zlib
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, send_file
from rdflib import Graph

from pobratim import published
from pobratim.endpoint.problems import fail
from pobratim.endpoint.routes.resources import compact_document
from pobratim.endpoint.state import state
from pobratim.sparql.formats import graph_bytes, negotiate, of_kind

bp = Blueprint("dumps", __name__)
OTHER_TYPES = {
    published.CHECKSUMS: "text/plain",
    published.MANIFEST: "application/json",
    ".txt": "text/plain",
    ".rq": published.QUERY_MEDIA_TYPE,
}
COMPRESSIBLE = (
    "text/",
    published.QUERY_MEDIA_TYPE,
    "application/trig",
    "application/ld+json",
    "application/n-triples",
    "application/json",
)


def _files() -> list[Path]:
    dist = state().dist
    return sorted(p for p in dist.rglob("*") if p.is_file() and published.STORE not in p.relative_to(dist).parts)


def _media_type(name: str) -> str:
    if name == published.NTRIPLES_GZ:
        return "application/gzip"
    return (
        published.MEDIA_TYPES.get(name)
        or OTHER_TYPES.get(name)
        or OTHER_TYPES.get(Path(name).suffix, "application/octet-stream")
    )


def _gzip_stream(path: Path) -> Iterator[bytes]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # wbits 31: a gzip container
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            chunk = compressor.compress(block)
            if chunk:
                yield chunk
    yield compressor.flush()


@bp.route("/dumps/")
def index() -> str:
    """List every published file with its media type, size and checksum."""
    st = state()
    sums = {}
    for line in (st.dist / published.CHECKSUMS).read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        sums[name] = digest
    files = [
        {
            "name": str(p.relative_to(st.dist)),
            "media": _media_type(p.name),
            "size": p.stat().st_size,
            "sha256": sums.get(str(p.relative_to(st.dist)), ""),
        }
        for p in _files()
    ]
    return render_template("dumps.html", st=st, files=files)


@bp.route("/dumps/<path:name>", methods=["GET", "HEAD"])
def dump(name: str) -> Response:
    """Serve one published file."""
    st = state()
    path = (st.dist / name.replace("\x00", "")).resolve()  # a NUL byte cannot name a file: no file matches
    if "\x00" in name or path not in _files():
        fail(404, f"no published file {name!r}")
    media = _media_type(path.name)
    ranged = request.range is not None
    if ranged and len(request.range.ranges) > 1:  # type: ignore[union-attr]
        # Werkzeug serves one range and answers several with 416, which RFC 9110 §14.2 does not allow for a
        # satisfiable set; it lets a server ignore Range instead: the whole file, 200 (no multipart answer
        # whose overlapping parts could ask for a file many times over, §17.15).
        request.environ.pop("HTTP_RANGE", None)
        ranged = False
    wants_gzip = request.accept_encodings["gzip"] > 0 and not ranged and media.startswith(COMPRESSIBLE)
    if wants_gzip:
        etag = hashlib.sha256(f"{st.version}|{name}|gzip".encode()).hexdigest()[:32]
        if request.if_none_match.contains(etag):
            response = Response(status=304)
        else:
            response = Response(_gzip_stream(path) if request.method == "GET" else b"", mimetype=media)
            response.headers["Content-Encoding"] = "gzip"
        response.set_etag(etag)
        response.vary.add("Accept-Encoding")
        return response
    response = send_file(path, mimetype=media, conditional=True, etag=True, max_age=0)
    if media.startswith(COMPRESSIBLE):
        response.vary.add("Accept-Encoding")
    return response


@bp.route("/context.jsonld", methods=["GET", "HEAD"])
def context() -> Response:
    """Serve the JSON-LD term context at the URL the JSON-LD resource documents name it by."""
    return dump(published.CONTEXT)


@bp.route("/.well-known/void", methods=["GET", "HEAD"])
def void() -> Response:
    """Serve the VoID/DCAT description: Turtle as published, other RDF formats by negotiation."""
    st = state()
    path = st.dist / published.VOID
    fmt = negotiate(request.accept_mimetypes, of_kind("rdf"))
    if fmt is None or fmt.rdflib is None:
        fail(406, "the dataset description is RDF (Turtle, JSON-LD, N-Triples, RDF/XML)")
    if fmt.name == "turtle":
        response = send_file(path, mimetype="text/turtle", conditional=True, etag=True, max_age=0)
    elif fmt.name == "jsonld":  # compacted with the build's term context, as every JSON-LD document is
        body = compact_document(list(ox.parse(path=path, format=ox.RdfFormat.TURTLE)))
        response = Response(body, content_type=fmt.content_type)
    else:
        body = graph_bytes(Graph().parse(path, format="turtle"), fmt)
        response = Response(body, content_type=fmt.content_type)
    response.vary.add("Accept")
    return response
