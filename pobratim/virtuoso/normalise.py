"""Undo what Virtuoso changes in the terms it returns, so its answers equal the embedded store's.

Virtuoso stores typed literals as values of its own types and writes them back from those: a year before
1000 loses the leading zeros XML Schema requires ("-0217"^^xsd:gYear comes back as "-217"; XSD 1.1 Part 2
§3.3.7.2: a year has at least four digits), and a boolean is an integer ("1"^^xsd:boolean from a VALUES
block, "1"^^xsd:integer from an expression: ``kinds.py`` says which variables hold those), and ``NOW()``
has no time zone. The lexical forms are restored (booleans in their canonical form, XSD §3.3.2.2), the zone
added; every other term is kept.
Answers are rebuilt through Oxigraph (a VALUES table in a query on an empty store), never written by hand,
which also puts a SELECT's variables in the order Oxigraph gives them (Virtuoso orders ``SELECT *`` its own way).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox

from pobratim.sparql.errors import Unparsed
from pobratim.sparql.guard import may_hold
from pobratim.sparql.structure import algebra
from pobratim.virtuoso.kinds import boolean_variables, now_variables

XSD = "http://www.w3.org/2001/XMLSchema#"
DATED = {XSD + name for name in ("gYear", "gYearMonth", "date", "dateTime")}
BOOLEAN = ox.NamedNode(XSD + "boolean")
INTEGER = ox.NamedNode(XSD + "integer")
DATE_TIME = ox.NamedNode(XSD + "dateTime")
CANONICAL = {"1": "true", "0": "false", "true": "true", "false": "false"}
_SHORT_YEAR = re.compile(r"^(-?)(\d{1,3})(?=$|[-+:TZ])")
_ZONE = re.compile(r"(Z|[+-]\d\d:\d\d)$")
# How Virtuoso's JSON writes an integer 0 or 1 (measured on 7.2.5): what a boolean expression gives.
_BIT = re.compile(rb'XMLSchema#integer", "value": "[01]"')


@dataclass(frozen=True)
class Kinds:
    """The variables of an answer whose values Virtuoso writes in its own way: booleans, NOW()."""

    booleans: frozenset[str] = frozenset()
    nows: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.booleans or self.nows)


def kinds(query: str, body: bytes) -> Kinds:
    """Say which variables of ``query``'s answer ``body`` need their values restored; parse only if any may."""
    bits, now = _BIT.search(body) is not None, b"XMLSchema#dateTime" in body and may_hold(query, "now")
    if not (bits or now):
        return Kinds()
    try:
        found = algebra(query)
    except Unparsed:
        return Kinds()
    return Kinds(boolean_variables(found) if bits else frozenset(), now_variables(found) if now else frozenset())


def term(
    value: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, kind: str = ""
) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
    """Return ``value`` with a dated literal's year written in at least four digits and a boolean as one;
    ``kind`` says what the variable holds: "boolean" (an integer 1 or 0 is one) or "now" (in UTC)."""
    if not isinstance(value, ox.Literal):
        return value
    if value.datatype == BOOLEAN or (kind == "boolean" and value.datatype == INTEGER):
        return ox.Literal(CANONICAL.get(value.value, value.value), datatype=BOOLEAN)
    if kind == "now" and value.datatype == DATE_TIME and not _ZONE.search(value.value):
        value = ox.Literal(value.value + zone(value.value, datetime.now(UTC)), datatype=DATE_TIME)
    if value.datatype.value in DATED:
        fixed = _SHORT_YEAR.sub(lambda m: m.group(1) + m.group(2).zfill(4), value.value, count=1)
        if fixed != value.value:
            return ox.Literal(fixed, datatype=value.datatype)
    return value


def zone(local: str, received: datetime) -> str:
    """Return the time zone of Virtuoso's ``NOW()`` value ``local`` (it gives none), told from when the answer
    came: its offset from UTC, to the quarter hour (``Z`` for pobratim's own Virtuoso, run in UTC)."""
    try:
        then = datetime.fromisoformat(local)
    except ValueError:
        return ""
    quarters = round((then - received.replace(tzinfo=None)).total_seconds() / 900)
    if quarters == 0:
        return "Z"
    sign, minutes = ("+" if quarters > 0 else "-"), abs(quarters) * 15
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def triples(found: Iterable[ox.Quad]) -> Iterable[ox.Quad]:
    """Yield ``found`` with its objects' terms restored."""
    for quad in found:
        yield ox.Quad(quad.subject, quad.predicate, term(quad.object), quad.graph_name)


def needs_rebuild(body: bytes, variables: tuple[str, ...], found: tuple[str, ...], kinds: Kinds) -> bool:
    """Tell whether an answer must be rebuilt: variables in another order, dated or boolean literals in it,
    or variables of a kind Virtuoso writes its own way."""
    return (
        variables != found
        or bool(kinds)
        or b"XMLSchema#g" in body
        or b"XMLSchema#date" in body
        or b"XMLSchema#boolean" in body
    )


def solutions(result: ox.QuerySolutions, variables: tuple[str, ...], kinds: Kinds = Kinds()) -> ox.QuerySolutions:
    """Return ``result``'s solutions with their terms restored and their variables in ``variables``' order."""
    kind = {**{v: "boolean" for v in kinds.booleans}, **{v: "now" for v in kinds.nows}}
    present = [v.value for v in result.variables]
    rows = []
    for row in result:
        cells = []
        for name in variables:
            value = row[name] if name in present else None
            if isinstance(value, ox.BlankNode):
                raise ValueError("blank nodes cannot be written in VALUES")
            cells.append("UNDEF" if value is None else str(term(value, kind.get(name, ""))))
        rows.append("(" + " ".join(cells) + ")")
    heads = " ".join(f"?{v}" for v in variables)
    query = f"SELECT {heads} WHERE {{ VALUES ({heads}) {{ {' '.join(rows)} }} }}" if variables else "SELECT * {}"
    rebuilt = ox.Store().query(query)
    assert isinstance(rebuilt, ox.QuerySolutions)
    return rebuilt
