"""Refuse, before a worker sees it, a query deeper or longer in operators than the evaluator can take.

Oxigraph's parser and optimiser recurse once per nesting level and per operator of a chain (``!!!…``,
``a || b || …``, a property path of many steps): past a few thousand (measured: 3,000 nested groups,
10,000 ``!`` or ``||``) a worker overflows its stack and dies. This is a scan of the query's terminals, not
a parse: IRIs, strings and comments (SPARQL 1.1 Query §19.8: IRIREF, STRING_LITERAL*, comments) are taken
out first, so brackets and operators inside them do not count; what is left is measured for nesting depth
and operator count, each bounded by a setting far below the measured breaking points.
"""

import re
from dataclasses import dataclass

# Longest literals first; a comment runs to the end of its line; IRIREF excludes spaces and <>"{}|^`\.
_TERMINALS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n\r]*",
    re.DOTALL,
)
_BRACKETS = re.compile(r"[^(){}\[\]]+")
_OPEN = set("({[")
# Operators whose chains nest in the algebra: logical, arithmetic, comparison, unary and path operators.
_OPERATORS = re.compile(r"\|\||&&|!=|<=|>=|[!|/^*+\-<>=]")


@dataclass(frozen=True)
class Shape:
    """How deep and how long in operators a query is."""

    depth: int
    operators: int


def without_terminals(query: str) -> str:
    """Return ``query`` with its IRIs, strings and comments blanked out: only keywords, names and operators."""
    return _TERMINALS.sub(" ", query)


def may_hold(query: str, keyword: str) -> bool:
    """Say whether the lower-case ``keyword`` may occur in ``query`` as a keyword: outside IRIs, strings and
    comments, or once the \\u and \\U escapes are expanded before parsing (SPARQL 1.1 Query §19.2).

    A cheap pre-filter: where it says yes, a parser decides.
    """
    code = without_terminals(query).lower()
    return keyword in code or "\\u" in code


def shape(query: str) -> Shape:
    """Measure ``query``'s bracket nesting depth and operator count, outside IRIs, strings and comments."""
    code = without_terminals(query)
    depth = deepest = 0
    for char in _BRACKETS.sub("", code):  # the brackets alone: a query of 600 characters holds a dozen
        if char in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return Shape(deepest, len(_OPERATORS.findall(code)))


def refusal(query: str, max_depth: int, max_operators: int) -> str | None:
    """Say why ``query`` is refused, or None when its shape is within the limits."""
    found = shape(query)
    if found.depth > max_depth:
        return f"the query nests brackets {found.depth} deep; at most {max_depth} levels are allowed"
    if found.operators > max_operators:
        return f"the query holds {found.operators} operators; at most {max_operators} operators are allowed"
    return None
