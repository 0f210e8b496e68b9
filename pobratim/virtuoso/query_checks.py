"""Decide what of a client's query may reach Virtuoso: standard SPARQL 1.1 Query, and nothing of Virtuoso's own.

Oxigraph's parser decides first, so a query is refused with the very message and position the embedded
store gives, and Virtuoso's extensions of the language (``DEFINE`` pragmas, ``OPTION``, ``SPARQL`` prefixes,
SPARQL Update) never parse. What does parse as standard SPARQL but means something else to Virtuoso is
refused next: its built-in SQL functions, called by IRI (``<bif:…>``, ``<sql:…>``, or with those prefixes,
which Virtuoso reserves whatever a query declares), and its own namespace.
This is a scan of the query's terminals as ``sparql/guard.py`` does, never a parse: conservative, it may
refuse a query that only quotes such a name in an IRI.
"""

import re
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import URIRef

from pobratim.sparql.errors import Unparsed
from pobratim.sparql.guard import may_hold, without_terminals
from pobratim.sparql.structure import algebra
from pobratim.virtuoso.errors import Refused

# Prefixed names with Virtuoso's reserved prefixes, outside IRIs, strings and comments.
_RESERVED_PREFIX = re.compile(r"(?<![\w.:\-])(bif|sql):", re.IGNORECASE)
# IRIs Virtuoso reads as its own: SQL built-ins, its schemas, and pobratim's graphs inside it.
_RESERVED_IRI = re.compile(r"<\s*(bif:|sql:|http://www\.openlinksw\.com/)", re.IGNORECASE)
# \u escapes are expanded before parsing (SPARQL 1.1 Query §19.2): inside an IRI they could spell the above.
_ESCAPED_IRI = re.compile(r"<[^<>\"{}|^`\x00-\x20]*\\[uU]")

FORMS = {ox.QueryBoolean: "ASK", ox.QuerySolutions: "SELECT", ox.QueryTriples: "CONSTRUCT"}


@dataclass(frozen=True)
class Parsed:
    """What Oxigraph's parser says of a query: its form and, for a SELECT, its variables in Oxigraph's order."""

    form: str  # SELECT, ASK or CONSTRUCT (CONSTRUCT and DESCRIBE alike)
    variables: tuple[str, ...] = ()


def parse(query: str) -> Parsed:
    """Parse ``query`` as Oxigraph does; raise SyntaxError, or RuntimeError for an unknown function.

    The query is evaluated on an empty store: lazily for SELECT, CONSTRUCT and DESCRIBE (nothing runs until
    a solution is asked for). An ASK runs at once, over the data the query itself holds, in this web process,
    where nothing stops it: VALUES blocks multiplying into billions of rows held a request thread for
    minutes (27 million rows: 7 s); on an empty store nothing else gives it rows. So an ASK with VALUES that
    rdflib parses (0.2 s for that one) goes to Virtuoso, which stops it at the deadline; Oxigraph parses
    every other query, and the ASKs rdflib cannot parse, for its message and position.
    """
    if may_hold(query, "ask") and may_hold(query, "values"):
        try:
            if algebra(query).name == "AskQuery":
                return Parsed("ASK")
        except Unparsed:
            pass  # Oxigraph's parser says what is wrong, and where
    result = ox.Store().query(query)
    if isinstance(result, ox.QuerySolutions):
        return Parsed("SELECT", tuple(v.value for v in result.variables))
    for kind, form in FORMS.items():
        if isinstance(result, kind):
            return Parsed(form)
    raise TypeError(f"unexpected query result {type(result).__name__}")


def described(query: str) -> list[str] | None:
    """Return the IRIs a ``DESCRIBE <iri> …`` query (no WHERE) describes; None for any other query.

    Virtuoso's DESCRIBE leaves out some of a resource's triples (measured: 8 of 35 in CBD mode); such a
    query is answered as the CONSTRUCT that Oxigraph's DESCRIBE amounts to. rdflib parses it: a DESCRIBE
    query is short.
    """
    if not may_hold(query, "describe"):
        return None
    try:
        found = algebra(query)
    except Unparsed:
        return None
    if found.name != "DescribeQuery" or found.get("p") is not None:
        return None
    targets = list(found.get("PV") or [])
    if not targets or not all(isinstance(t, URIRef) for t in targets):
        return None
    return [str(t) for t in targets]


def describe_query(iris: list[str]) -> str:
    """Return the CONSTRUCT giving what Oxigraph's DESCRIBE gives for ``iris``: each one's triples."""
    values = " ".join(str(ox.NamedNode(i)) for i in iris)
    return f"CONSTRUCT {{ ?r ?p ?o }} WHERE {{ VALUES ?r {{ {values} }} ?r ?p ?o }}"


def check_extensions(query: str) -> None:
    """Raise Refused when ``query`` uses what Virtuoso reads as its own extensions or internal names."""
    found = _RESERVED_PREFIX.search(without_terminals(query))
    if found:
        raise Refused(f"the prefix {found.group(1)}: (Virtuoso's SQL functions) is not allowed; use SPARQL 1.1 only")
    iri = _RESERVED_IRI.search(query)
    if iri:
        raise Refused(f"IRIs starting with {iri.group(1)} are reserved for the store and not allowed in queries")
    if _ESCAPED_IRI.search(query):
        raise Refused(r"\u escapes inside IRIs are not allowed; write the characters themselves")
