"""rdflib's algebra of a query, for the checks that need its structure: SERVICE targets, FROM, DESCRIBE.

Oxigraph evaluates queries but does not show their structure; rdflib's SPARQL parser does. Parsing is slow
on a large query (seconds), and a query may be asked about twice in a row (its SERVICE calls, then its
dataset): the last query's algebra is kept.
"""

from functools import lru_cache
from typing import Any

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from pobratim.sparql.errors import Unparsed


@lru_cache(maxsize=1)
def algebra(query: str) -> CompValue:
    """Return rdflib's algebra of ``query``; raise Unparsed when it cannot be parsed."""
    try:
        parsed: CompValue = translateQuery(parseQuery(query)).algebra
    except Exception as err:  # pyparsing's ParseException, RecursionError, and bare Exceptions from rdflib
        raise Unparsed(str(err)) from None
    return parsed


def field(node: CompValue, key: str) -> Any:
    """Return ``node[key]``, or None where it has none (rdflib's ``CompValue.get`` gives the key's name)."""
    return node[key] if key in node else None  # noqa: SIM401 -- see above: `get` is not dict.get
