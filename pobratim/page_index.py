"""What a resource's page and documents read from the graph, gathered for every resource when a build is published.

A page read its resource's description (a dozen pattern reads) and two to four SPARQL queries (its twins,
its timeline, a twinning's story, a source's facts): 0.6–0.8 ms of a 2.2 ms page at a million quads, and a
round trip each on Virtuoso (bench/RESULTS.md, "Distinct resource pages"). The build gathers what those reads
find for every resource at once (``Gathered``: the descriptions from one pass over the quads, each page query
run once over every resource) and writes it as N-Quads and SPARQL TSV into one SQLite table keyed by IRI
(``published.PAGES``): a page then makes one read, whichever store serves the build. What a resource finds
there is what ``read`` gives it from the store. Build and server share this module and the file, nothing else.
"""

import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from pobratim.core.ids import NAMESPACES
from pobratim.core.vocab import GN, OA, POB, RDF, SDO, SEM
from pobratim.sparql.store import ReadStore

HAS_BODY = ox.NamedNode(str(OA.hasBody))
PARTY = ox.NamedNode(str(POB.party))
TYPE = ox.NamedNode(str(RDF.type))
TWINNING = ox.NamedNode(str(POB.Twinning))
WEB_PAGE = ox.NamedNode(str(SDO.WebPage))
Row = dict[str, Any]  # one solution of a page query, by variable name, with ``this``: the resource


@dataclass
class Description:
    """The quads that describe a resource, split by role."""

    own: list[ox.Quad] = field(default_factory=list)
    parts: list[ox.Quad] = field(default_factory=list)
    quotes: list[ox.Quad] = field(default_factory=list)
    incoming: list[ox.Quad] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.own or self.incoming)

    def all(self) -> list[ox.Quad]:
        return [*self.own, *self.parts, *self.quotes, *self.incoming]

    def types(self) -> set[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]:
        return {q.object for q in self.own if q.predicate == TYPE}


def _closure(store: ReadStore, root: ox.NamedNode, seen: set[str]) -> list[ox.Quad]:
    """Return the quads of ``root`` and of the hash-named nodes inside it (``root#interval``, ``#selector``…)."""
    base = root.value.split("#")[0]
    found: list[ox.Quad] = []
    todo = [root]
    while todo:
        node = todo.pop()
        if node.value in seen:
            continue
        seen.add(node.value)
        for quad in store.quads_for_pattern(node, None, None, None):
            found.append(quad)
            if isinstance(quad.object, ox.NamedNode) and quad.object.value.startswith(base + "#"):
                todo.append(quad.object)
    return found


def _order(quad: ox.Quad) -> tuple[str, str, str, str]:
    return str(quad.subject), quad.predicate.value, str(quad.object), str(quad.graph_name)


def describe(store: ReadStore, iri: str) -> Description:
    """Collect the description of ``iri`` from every graph, each part in one order whatever the store.

    Stores list a resource's quads in the order of their own indexes (Oxigraph by its term encoding,
    Virtuoso by its IRI ids): sorted, a page and a resource document are the same on either store.
    """
    node = ox.NamedNode(iri)
    seen: set[str] = set()
    d = Description()
    for quad in _closure(store, node, seen):
        (d.own if quad.subject == node else d.parts).append(quad)
    # The quotes behind the resource and behind its parts (the claims sources make about it).
    bodies = [node, *{q.subject for q in d.parts if isinstance(q.subject, ox.NamedNode)}]
    annotations = {
        q.subject.value
        for body in bodies
        for q in store.quads_for_pattern(None, HAS_BODY, body, None)
        if isinstance(q.subject, ox.NamedNode)
    }
    for annotation in sorted(annotations):
        d.quotes.extend(_closure(store, ox.NamedNode(annotation), seen))
    d.incoming = [q for q in store.quads_for_pattern(None, None, node, None) if q.predicate != HAS_BODY]
    for part in (d.own, d.parts, d.quotes, d.incoming):
        part.sort(key=_order)
    return d


# The page queries, each with the resource as the constant $THIS. The relation and its parties are in the
# default graph; each source's claim in that source's graph. No `?t a pob:Twinning`: pob:party has the domain
# pob:Twinning (ontology), and the type's join took a third of the query's time (290 vs 190 µs a page at 1 M).
TWINS = f"""
SELECT ?t ?partner ?country ?start ?end ?mode ?status ?g WHERE {{
  ?t <{POB.party}> $THIS , ?partner . FILTER (?partner != $THIS)
  OPTIONAL {{ ?partner <{GN.countryCode}> ?country }}
  GRAPH ?g {{ ?t <{POB.claim}> ?claim .
             OPTIONAL {{ ?claim <{SDO.startDate}> ?start }} OPTIONAL {{ ?claim <{POB.establishmentMode}> ?mode }}
             OPTIONAL {{ ?claim <{SDO.endDate}> ?end }} OPTIONAL {{ ?claim <{POB.status}> ?status }} }}
}}"""
# One pattern per OPTIONAL: a two-pattern OPTIONAL was joined by hashing every dated event (0.3 s at 1 M).
TIMELINE = f"""
SELECT ?event ?date ?sort ?g WHERE {{
  ?t <{POB.party}> $THIS .
  GRAPH ?g {{ ?event <{POB.inTwinning}> ?t .
             OPTIONAL {{ ?event <{SDO.startDate}> ?date }}
             OPTIONAL {{ ?event <{SEM.hasEarliestBeginTimeStamp}> ?sort }} }}
}}"""
# A twinning's story: what each source says of its beginning and end (its claims), and its events.
STORY_CLAIMS = f"""
SELECT ?claim ?start ?end ?mode ?g WHERE {{
  GRAPH ?g {{ $THIS <{POB.claim}> ?claim .
             OPTIONAL {{ ?claim <{SDO.startDate}> ?start }} OPTIONAL {{ ?claim <{SDO.endDate}> ?end }}
             OPTIONAL {{ ?claim <{POB.establishmentMode}> ?mode }} }}
}}"""
STORY_EVENTS = f"""
SELECT ?event ?date ?g WHERE {{
  GRAPH ?g {{ ?event <{POB.inTwinning}> $THIS . OPTIONAL {{ ?event <{SDO.startDate}> ?date }} }}
}}"""
# What a captured page states: every fact whose quote is a passage of it (the quote's target has it as source).
SOURCE_FACTS = f"""
SELECT ?body ?exact WHERE {{
  GRAPH ?g {{ ?target <{OA.hasSource}> $THIS ; <{OA.hasSelector}> ?selector . ?selector <{OA.exact}> ?exact .
             ?annotation <{OA.hasTarget}> ?target ; <{OA.hasBody}> ?body . }}
}}"""
QUERIES = {
    "twins": TWINS,
    "timeline": TIMELINE,
    "story_claims": STORY_CLAIMS,
    "story_events": STORY_EVENTS,
    "source_facts": SOURCE_FACTS,
}


def asked(d: Description) -> list[str]:
    """Name the page queries that can find something for the resource ``d`` describes.

    A town's twins and timeline both begin at a relation it is a party of (``?t pob:party $THIS``, in any
    graph): without such an incoming statement both are empty. A story is a twinning's, the stated facts a
    captured page's.
    """
    names = ["twins", "timeline"] if any(q.predicate == PARTY for q in d.incoming) else []
    types = d.types()
    if TWINNING in types:
        names += ["story_claims", "story_events"]
    if WEB_PAGE in types:
        names.append("source_facts")
    return names


def _solutions(store: ReadStore, name: str, iri: str) -> ox.QuerySolutions:
    # The resource as a constant in the query text, in Oxigraph's own N-Triples form of a validated IRI: a
    # pre-bound variable (substitutions) left Oxigraph scanning every twinning first (0.23 s vs 1 ms at 1 M).
    result = store.query(QUERIES[name].replace("$THIS", str(ox.NamedNode(iri))))
    assert isinstance(result, ox.QuerySolutions)
    return result


def _row_order(row: Iterable[object]) -> tuple[str, ...]:
    """A page query's rows in one order, whatever the store's: by their terms, as N-Triples, column by column."""
    return tuple("" if term is None else str(term) for term in row)


def _rows(iri: str, solutions: ox.QuerySolutions, ordered: bool = False) -> list[Row]:
    """The rows of ``solutions`` by variable name, in ``_row_order`` (``ordered``: they come in it already)."""
    this = ox.NamedNode(iri)
    names = [v.value for v in solutions.variables]
    # By position: reading a solution by variable name is 4x slower.
    found = [list(row) for row in solutions] if ordered else sorted((list(row) for row in solutions), key=_row_order)
    return [{"this": this, **dict(zip(names, row, strict=True))} for row in found]


@dataclass
class PageData:
    """What a resource's page and documents show of the graph: its description and its page queries' rows."""

    description: Description
    rows: dict[str, list[Row]] = field(default_factory=dict)

    def answer(self, name: str) -> list[Row]:
        """The rows of the page query ``name`` (none when it cannot find any: ``asked``)."""
        return self.rows.get(name, [])


def read(store: ReadStore, iri: str) -> PageData:
    """Read what the page of ``iri`` shows from ``store``: what the build writes for each resource."""
    d = describe(store, iri)
    return PageData(d, {name: _rows(iri, _solutions(store, name, iri)) for name in asked(d)})


# The index: one row per resource, each part of its description as N-Quads, each page query's answer as SPARQL
# TSV (SPARQL 1.1 Query Results CSV and TSV Formats §3), empty when the query is not asked.
PARTS = ("own", "parts", "quotes", "incoming")
COLUMNS = (*PARTS, *QUERIES)
_QUADS = ox.RdfFormat.N_QUADS
_SOLUTIONS = ox.QueryResultsFormat.TSV
_BATCH = 2_000
# Left to the store (``read``): a quote's page, which no page links to (its text is shown on the pages of what it
# is a quote of): 37,185 of 80,512 resources and 11 of 42 s of the index's build at a million quads; a
# source text, served by /dumps/, never as a page.
UNINDEXED = ("quote", "dump")


def _indexed(base: str) -> Callable[[str], bool]:
    skipped = tuple(base + NAMESPACES[name] for name in UNINDEXED)
    return lambda iri: iri.startswith(base) and "#" not in iri and not iri.startswith(skipped)


def resources(store: ReadStore, base: str) -> list[str]:
    """The IRIs under ``base`` whose pages the index holds: each named node in a subject or object, but the
    hash-named parts of another (``…#claim-1``, shown on their resource's page) and those in ``UNINDEXED``."""
    indexed = _indexed(base)
    found: set[str] = set()
    for quad in store.quads_for_pattern(None, None, None, None):
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.NamedNode) and indexed(term.value):
                found.add(term.value)
    return sorted(found)


# A quad as the bulk index holds it: its terms as N-Triples (the graph "DEFAULT" for the default graph), which is
# also the order ``describe`` sorts a description's parts in (``_order``).
_Key = tuple[str, str, str, str]
_HAS_BODY, _PARTY = HAS_BODY.value, PARTY.value
_TYPE, _TWINNING, _WEB_PAGE = TYPE.value, TWINNING.value, WEB_PAGE.value
_DEFAULT = str(ox.DefaultGraph())


class Gathered:
    """Every quad a page describes, gathered in one pass (``add``) for the whole index: by subject, and by object
    for the indexed resources (their incoming statements); the annotations of each body (``oa:hasBody``).

    ``describe`` makes a dozen pattern reads a resource, each handing every quad to Python from the store: on the
    build's on-disk store that is 6 µs a quad, twice the whole pass over the quads as they are parsed. The quads
    are held as four strings each (about 200 bytes a quad, subjects, predicates and graphs shared).
    """

    def __init__(self, base: str) -> None:
        self.indexed = _indexed(base)
        self.by_subject: dict[str, list[_Key]] = {}
        self.incoming: dict[str, list[_Key]] = {}
        self.bodies: dict[str, set[str]] = {}
        self.resources: set[str] = set()
        self._strings: dict[str, str] = {}

    def _shared(self, value: str) -> str:
        return self._strings.setdefault(value, value)

    def add(self, quads: Iterable[ox.Quad]) -> None:
        """Gather ``quads``."""
        shared, indexed, by_subject, incoming = self._shared, self.indexed, self.by_subject, self.incoming
        for quad in quads:
            subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
            s = shared(str(subject))
            o = str(obj)
            key = (s, shared(predicate), o, shared(str(quad.graph_name)))
            by_subject.setdefault(s, []).append(key)
            if type(subject) is ox.NamedNode and indexed(subject.value):
                self.resources.add(subject.value)
            if type(obj) is ox.NamedNode:
                if indexed(obj.value):
                    self.resources.add(obj.value)
                    if predicate != _HAS_BODY:
                        incoming.setdefault(o, []).append(key)
                if predicate == _HAS_BODY and type(subject) is ox.NamedNode:
                    self.bodies.setdefault(o, set()).add(subject.value)

    def _closure(self, root: str, seen: set[str]) -> list[_Key]:
        """What ``describe``'s ``_closure`` finds, from the gathered quads (IRIs as N-Triples, ``<…>``)."""
        prefix = root[:-1].split("#")[0] + "#"  # "<base#" of the root's "<base…>"
        found: list[_Key] = []
        todo = [root]
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for key in self.by_subject.get(node, ()):
                found.append(key)
                if key[2].startswith(prefix):
                    todo.append(key[2])
        return found

    def describe(self, iri: str) -> tuple[list[_Key], list[_Key], list[_Key], list[_Key]]:
        """The parts of ``describe(store, iri)``, as keys, each sorted as there."""
        node = f"<{iri}>"
        seen: set[str] = set()
        own: list[_Key] = []
        parts: list[_Key] = []
        for key in self._closure(node, seen):
            (own if key[0] == node else parts).append(key)
        bodies = [node, *{key[0] for key in parts if key[0].startswith("<")}]
        annotations = {a for body in bodies for a in self.bodies.get(body, ())}
        quotes = [key for a in sorted(annotations) for key in self._closure(f"<{a}>", seen)]
        incoming = list(self.incoming.get(node, ()))
        for part in (own, parts, quotes, incoming):
            part.sort()
        return own, parts, quotes, incoming


def _nquads(keys: list[_Key]) -> bytes:
    return "".join(f"{s} <{p}> {o} .\n" if g == _DEFAULT else f"{s} <{p}> {o} {g} .\n" for s, p, o, g in keys).encode()


def _asked(own: list[_Key], incoming: list[_Key]) -> list[str]:
    """``asked`` of a gathered description."""
    names = ["twins", "timeline"] if any(key[1] == _PARTY for key in incoming) else []
    types = {key[2][1:-1] for key in own if key[1] == _TYPE}
    if _TWINNING in types:
        names += ["story_claims", "story_events"]
    if _WEB_PAGE in types:
        names.append("source_facts")
    return names


def _bulk_query(name: str) -> str:
    """The page query ``name`` for every resource at once: ``$THIS`` a variable, selected first."""
    return QUERIES[name].replace("SELECT ", "SELECT ?this ", 1).replace("$THIS", "?this")


def _answers(store: ReadStore, name: str, wanted: set[str]) -> dict[str, bytes]:
    """The answer of the page query ``name`` for each resource of ``wanted``, as SPARQL TSV, in one query.

    The rows of a resource in the order ``read`` gives them (``_row_order``), each term as N-Triples (which TSV
    allows); a resource asked that finds nothing has the header alone, as a query of its own would give.
    """
    result = store.query(_bulk_query(name))
    assert isinstance(result, ox.QuerySolutions)
    header = "\t".join(f"?{v.value}" for v in result.variables[1:]) + "\n"
    grouped: dict[str, list[tuple[str, ...]]] = {}
    for row in result:
        this = row[0]
        if isinstance(this, ox.NamedNode) and this.value in wanted:
            grouped.setdefault(this.value, []).append(_row_order(list(row)[1:]))
    del result
    answers = {iri: header.encode() for iri in wanted}
    for iri, rows in grouped.items():
        answers[iri] = (header + "".join("\t".join(row) + "\n" for row in sorted(rows))).encode()
    return answers


def write_gathered(store: ReadStore, gathered: Gathered, path: Path) -> int:
    """Write the page index of every resource ``gathered`` found to ``path``, each page query run once over all
    of them on ``store``; return how many. The rows are those ``read`` gives for each resource."""
    iris = sorted(gathered.resources)
    described = {iri: gathered.describe(iri) for iri in iris}
    wanted: dict[str, set[str]] = {name: set() for name in QUERIES}
    for iri, (own, _parts, _quotes, incoming) in described.items():
        for name in _asked(own, incoming):
            wanted[name].add(iri)
    answers = {name: _answers(store, name, iris_asked) if iris_asked else {} for name, iris_asked in wanted.items()}
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode = OFF")  # a new file the build discards whole if anything fails
        db.execute("PRAGMA synchronous = OFF")
        columns = ", ".join(f"{c} BLOB NOT NULL" for c in COLUMNS)
        db.execute(f"CREATE TABLE page (iri TEXT PRIMARY KEY, {columns}) WITHOUT ROWID")
        insert = f"INSERT INTO page VALUES (?, {', '.join('?' for _ in COLUMNS)})"
        for start in range(0, len(iris), _BATCH):
            db.executemany(
                insert,
                [
                    (
                        iri,
                        *(_nquads(part) for part in described.pop(iri)),
                        *(answers[name].get(iri, b"") for name in QUERIES),
                    )
                    for iri in iris[start : start + _BATCH]
                ],
            )
        db.commit()
    finally:
        db.close()
    return len(iris)


def write_index(store: ReadStore, base: str, path: Path) -> int:
    """Write the page index of every resource under ``base`` in ``store`` to ``path``; return how many."""
    gathered = Gathered(base)
    gathered.add(store.quads_for_pattern(None, None, None, None))
    return write_gathered(store, gathered, path)


class PageIndex:
    """The page index of one published build, read only; each thread reads through its own connection."""

    def __init__(self, path: Path) -> None:
        # immutable: the file is published and checksummed, and never changes while it is served (SQLite then
        # takes no locks).
        self.uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        self._local = threading.local()
        self._select = f"SELECT {', '.join(COLUMNS)} FROM page WHERE iri = ?"
        self._connection()  # a missing or unreadable file fails here, when the build is opened

    def _connection(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(self.uri, uri=True, check_same_thread=False)
        return db

    def get(self, iri: str) -> PageData | None:
        """What the build found for ``iri``: None when it is no resource the build indexed (``resources``)."""
        found = self._connection().execute(self._select, (iri,)).fetchone()
        if found is None:
            return None
        quads = [list(ox.parse(blob, format=_QUADS)) if blob else [] for blob in found[: len(PARTS)]]
        d = Description(*quads)
        # The build wrote each answer's rows in their order (``_answers``): not sorted again (a third of a read).
        rows = {
            name: _rows(iri, solutions, ordered=True)
            for name, blob in zip(QUERIES, found[len(PARTS) :], strict=True)
            if blob and isinstance(solutions := ox.parse_query_results(blob, format=_SOLUTIONS), ox.QuerySolutions)
        }
        return PageData(d, rows)
