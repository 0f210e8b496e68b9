"""Queries the tests and benchmarks use to load, stall and exhaust a server: one home for each."""

# A three-way cross join counted: at the seed build's size it runs for minutes, so it stands for any query
# that must be stopped at the deadline.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# Four-way: endless even on a server the other tests have made fast (a warm in-memory store).
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
# Doubles a string 27 times: a one-line query that asks for gigabytes.
DOUBLING = (
    'SELECT (STRLEN(?v27) AS ?n) WHERE { BIND ("aaaaaaaaaa" AS ?v0) '
    + " ".join(f"BIND (CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(27))
    + " }"
)
