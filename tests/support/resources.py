"""What a resource's documents and page should hold: the build's description of it, and the JSON-LD scripts and
alternate links a page carries."""

from html.parser import HTMLParser

import pyoxigraph
from rdflib import Graph

from pobratim.core.ids import DEFAULT_BASE
from pobratim.endpoint.describe import describe

CREMONA_TWINNING = "/id/twinning/bg-kazanlak--it-cremona"


class Scripts(HTMLParser):
    """Collect the JSON-LD scripts and alternate links of a page (the standard library's HTML parser)."""

    def __init__(self) -> None:
        super().__init__()
        self.jsonld: list[str] = []
        self.alternates: dict[str, str] = {}
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self._in = tag == "script" and a.get("type") == "application/ld+json"
        if tag == "link" and a.get("rel") == "alternate" and a.get("type") and a.get("href"):
            self.alternates[str(a["type"])] = str(a["href"])

    def handle_data(self, data: str) -> None:
        if self._in:
            self.jsonld.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in = False


def expected_graph(store: pyoxigraph.Store, path: str) -> Graph:
    """What the build says of the resource at ``path`` (its own, its parts', its quotes' and incoming triples)."""
    d = describe(store, DEFAULT_BASE + path.lstrip("/"))
    g = Graph()
    body = pyoxigraph.serialize(
        [q.triple for q in [*d.own, *d.parts, *d.quotes, *d.incoming]], format=pyoxigraph.RdfFormat.N_TRIPLES
    )
    g.parse(data=body, format="nt")
    return g
