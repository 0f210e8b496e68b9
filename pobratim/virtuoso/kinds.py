"""Which variables of a SELECT hold booleans or NOW(), which Virtuoso writes differently.

Virtuoso evaluates ``true``, a comparison or ``BOUND(?x)`` to the integer 1 or 0, and an answer binding a
variable to one says ``"1"^^xsd:integer`` where SPARQL 1.1 (§17.4, the operator mapping) and the embedded
store say ``"true"^^xsd:boolean``. Which variables are bound to booleans is read from the query's algebra
(rdflib's): those a ``BIND``, a ``SELECT`` expression or a ``VALUES`` block gives a boolean-valued expression
(a boolean literal, a comparison, ``&&``, ``||``, ``!``, the boolean built-ins, a cast to ``xsd:boolean``,
``IF`` or ``COALESCE`` of booleans, or another such variable). The integers 1 and 0 bound to them are
written back as the booleans they stand for. Likewise ``NOW()``: Virtuoso gives the time without a time
zone, the embedded store in UTC with one (``normalise.zone``).
"""

from collections.abc import Callable, Iterator
from typing import Any

from rdflib import Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Identifier

from pobratim.sparql.structure import field

# Expressions whose value is a boolean whatever their arguments (SPARQL 1.1 Query §17.4).
BOOLEAN = frozenset(
    {
        "RelationalExpression",
        "ConditionalAndExpression",
        "ConditionalOrExpression",
        "UnaryNot",
        "Builtin_BOUND",
        "Builtin_isIRI",
        "Builtin_isURI",
        "Builtin_isBLANK",
        "Builtin_isLITERAL",
        "Builtin_isNUMERIC",
        "Builtin_REGEX",
        "Builtin_CONTAINS",
        "Builtin_STRSTARTS",
        "Builtin_STRENDS",
        "Builtin_sameTerm",
        "Builtin_LANGMATCHES",
        "Builtin_EXISTS",
        "Builtin_NOTEXISTS",
    }
)


def _nodes(node: Any) -> Iterator[CompValue]:
    """Yield every CompValue in ``node``, depth first."""
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _nodes(item)


def _is_boolean(expr: Any, known: set[str]) -> bool:
    if isinstance(expr, Literal):
        return expr.datatype == XSD.boolean
    if isinstance(expr, Variable):
        return str(expr) in known
    if not isinstance(expr, CompValue):
        return False
    if expr.name in BOOLEAN:
        return True
    if expr.name == "Function":
        return bool(field(expr, "iri") == URIRef(XSD.boolean))
    if expr.name == "Builtin_IF":
        return _is_boolean(field(expr, "arg2"), known) and _is_boolean(field(expr, "arg3"), known)
    if expr.name == "Builtin_COALESCE":
        args = field(expr, "arg") or []
        return bool(args) and all(_is_boolean(a, known) for a in args)
    return False


def boolean_variables(algebra: CompValue) -> frozenset[str]:
    """Return the names of the variables ``algebra`` binds to booleans only (by BIND, SELECT or VALUES)."""
    return _bound_only(algebra, _is_boolean)


def now_variables(algebra: CompValue) -> frozenset[str]:
    """Return the names of the variables ``algebra`` binds to ``NOW()`` only."""

    def is_now(expr: Any, known: set[str]) -> bool:
        if isinstance(expr, Variable):
            return str(expr) in known
        return isinstance(expr, CompValue) and expr.name == "Builtin_NOW"

    return _bound_only(algebra, is_now)


def _bound_only(algebra: CompValue, kind: Callable[[Any, set[str]], bool]) -> frozenset[str]:
    """Return the variables every binding of which in ``algebra`` (BIND, SELECT or VALUES) is of ``kind``.

    A variable that a triple pattern, a path or an aggregate may also bind, or a VALUES row or an expression
    to something else, is left out: an integer 1 it holds may be data.
    """
    nodes = list(_nodes(algebra))
    extends = [n for n in nodes if n.name == "Extend"]
    tables = [field(n, "res") or [] for n in nodes if n.name == "values"]
    matched = {str(v) for n in nodes for v in _matched(n)}
    known: set[str] = set()
    for rows in tables:
        for var in {v for row in rows for v in row}:
            bound = [row[var] for row in rows if isinstance(row.get(var), Identifier)]
            if bound and all(kind(value, known) for value in bound):
                known.add(str(var))
    while True:  # a variable bound to such a variable is one too: until nothing more is learnt
        more = {str(n["var"]) for n in extends if str(n["var"]) not in known and kind(n["expr"], known)}
        if not more:
            break
        known |= more
    # Bound elsewhere to what may be of another kind: by another expression, or in another VALUES table.
    others = {str(n["var"]) for n in extends if not kind(n["expr"], known)}
    others |= {
        str(v)
        for rows in tables
        for row in rows
        for v, value in row.items()
        if isinstance(value, Identifier) and not kind(value, known)
    }
    return frozenset(known - matched - others)


def _matched(node: CompValue) -> Iterator[Variable]:
    """Yield the variables ``node`` binds to data: a BGP's subjects and objects (paths too), an aggregate's
    result."""
    if node.name == "BGP":
        for triple in field(node, "triples") or []:
            yield from (t for t in triple if isinstance(t, Variable))
    elif node.name == "AggregateJoin":
        for aggregate in field(node, "A") or []:
            if isinstance(field(aggregate, "res"), Variable):
                yield aggregate["res"]
