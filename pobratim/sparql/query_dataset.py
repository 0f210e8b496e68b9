"""Whether a query names its own dataset (FROM, FROM NAMED): then the union default graph does not apply.

SPARQL 1.1 Query §13.2: a query's FROM and FROM NAMED clauses describe the RDF dataset it is evaluated on;
only a query without them runs on the service's default dataset, whose default graph is here the union of
every graph. The protocol's default-graph-uri and named-graph-uri, when given, override both (SPARQL 1.1
Protocol §2.1.4). The query is parsed with rdflib's SPARQL parser (``structure.py``); nothing by hand.
"""

from pobratim.sparql.errors import Unparsed
from pobratim.sparql.guard import may_hold
from pobratim.sparql.structure import algebra, field


def names_dataset(query: str) -> bool:
    """Say whether ``query`` has a FROM or FROM NAMED clause."""
    if not may_hold(query, "from"):
        return False
    try:
        found = algebra(query)
    except Unparsed:
        return False  # Oxigraph's parser reports the syntax error, with its position
    return bool(field(found, "datasetClause"))
