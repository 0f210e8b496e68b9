"""Undo what Virtuoso changes in the terms it returns, so its answers equal the embedded store's.

Virtuoso stores typed literals as values of its own types and writes them back from those: a year before
1000 loses the leading zeros XML Schema requires ("-0217"^^xsd:gYear comes back as "-217"; XSD 1.1 Part 2
§3.3.7.2: a year has at least four digits). The lexical forms are restored; every other term is kept.
Answers are rebuilt through Oxigraph (a VALUES table in a query on an empty store), never written by hand,
which also puts a SELECT's variables in the order Oxigraph gives them (Virtuoso orders ``SELECT *`` its own way).
"""

import re
from collections.abc import Iterable

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
DATED = {XSD + name for name in ("gYear", "gYearMonth", "date", "dateTime")}
_SHORT_YEAR = re.compile(r"^(-?)(\d{1,3})(?=$|[-+:TZ])")


def term(
    value: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple,
) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
    """Return ``value`` with a dated literal's year written in at least four digits."""
    if isinstance(value, ox.Literal) and value.datatype.value in DATED:
        fixed = _SHORT_YEAR.sub(lambda m: m.group(1) + m.group(2).zfill(4), value.value, count=1)
        if fixed != value.value:
            return ox.Literal(fixed, datatype=value.datatype)
    return value


def triples(found: Iterable[ox.Quad]) -> Iterable[ox.Quad]:
    """Yield ``found`` with its objects' terms restored."""
    for quad in found:
        yield ox.Quad(quad.subject, quad.predicate, term(quad.object), quad.graph_name)


def needs_rebuild(body: bytes, variables: tuple[str, ...], found: tuple[str, ...]) -> bool:
    """Tell whether an answer must be rebuilt: variables in another order, or dated literals in it."""
    return variables != found or b"XMLSchema#g" in body or b"XMLSchema#date" in body


def solutions(result: ox.QuerySolutions, variables: tuple[str, ...]) -> ox.QuerySolutions:
    """Return ``result``'s solutions with their terms restored and their variables in ``variables``' order."""
    present = [v.value for v in result.variables]
    rows = []
    for row in result:
        cells = []
        for name in variables:
            value = row[name] if name in present else None
            if isinstance(value, ox.BlankNode):
                raise ValueError("blank nodes cannot be written in VALUES")
            cells.append("UNDEF" if value is None else str(term(value)))
        rows.append("(" + " ".join(cells) + ")")
    heads = " ".join(f"?{v}" for v in variables)
    query = f"SELECT {heads} WHERE {{ VALUES ({heads}) {{ {' '.join(rows)} }} }}" if variables else "SELECT * {}"
    rebuilt = ox.Store().query(query)
    assert isinstance(rebuilt, ox.QuerySolutions)
    return rebuilt
