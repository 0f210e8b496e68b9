"""Which variables hold booleans or NOW(): read from the query's algebra, never guessed from the answer."""

import pytest

from pobratim.sparql.structure import algebra
from pobratim.virtuoso.kinds import boolean_variables, now_variables

XSD = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "


@pytest.mark.parametrize(
    ("query", "booleans"),
    [
        ("SELECT (true AS ?t) (1 < 2 AS ?c) (!BOUND(?z) AS ?b) {}", {"t", "c", "b"}),
        ("SELECT * { ?s ?p ?o BIND(isIRI(?o) AS ?i) BIND(?i AS ?j) }", {"i", "j"}),
        ("SELECT (COUNT(*) > 0 AS ?any) { ?s ?p ?o }", {"any"}),
        ("SELECT (IF(?o, true, false) AS ?c) (xsd:boolean(?o) AS ?d) { ?s ?p ?o }", {"c", "d"}),
        ("SELECT * { VALUES (?a ?b) { (true 1) (UNDEF false) } }", {"a"}),
        # Bound to data too, or to something else: an integer 1 there may be data, so it is left alone.
        ("SELECT * { { BIND(true AS ?x) } UNION { ?s ?p ?x } }", set()),
        ("SELECT * { { BIND(true AS ?x) } UNION { BIND(1 AS ?x) } }", set()),
        ("SELECT (IF(?o, true, 1) AS ?c) (COALESCE(?z, false) AS ?e) { ?s ?p ?o }", set()),
        ("SELECT * { ?s ?p ?o FILTER(?o = true) }", set()),
    ],
)
def test_boolean_variables(query: str, booleans: set[str]) -> None:
    assert boolean_variables(algebra(XSD + query)) == booleans


def test_now_variables() -> None:
    assert now_variables(algebra("SELECT (NOW() AS ?n) ?o { ?s ?p ?o BIND(?n AS ?m) }")) == {"n", "m"}
    assert now_variables(algebra("SELECT ?n { ?s ?p ?n }")) == set()
