"""Answers written by Oxigraph and cut at the limit: the same solutions and triples as the whole answer's first ones."""

import csv
import io
from typing import BinaryIO

import pyoxigraph as ox
import pytest

from pobratim.sparql.errors import AnswerTooLarge
from pobratim.sparql.writers import _first_lines, write_boolean, write_solutions, write_triples

BIG = 1 << 30  # no byte limit in the way

EX = "http://example.org/"
ROWS = "SELECT ?s ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/absent> ?none } } ORDER BY ?s ?o"
TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
RESULT_FORMATS = [ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV]


@pytest.fixture()
def store() -> ox.Store:
    """Seven triples whose objects a line-based writer must escape or mark: line breaks, tabs, tags, types."""
    s = ox.Store()
    p = ox.NamedNode(EX + "p")
    objects: list[ox.NamedNode | ox.Literal] = [
        ox.Literal("one\nline two\r\nthree"),
        ox.Literal('tab\there "quoted" \\ back'),
        ox.Literal("Казанлък", language="bg"),
        ox.Literal("1982", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")),
        ox.Literal("日本 🎉"),
        ox.NamedNode(EX + "o"),
    ]
    for i, o in enumerate(objects):
        s.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), p, o))
    s.add(ox.Quad(ox.BlankNode("b1"), p, ox.Literal("from a blank node")))
    return s


def _select(store: ox.Store, query: str) -> ox.QuerySolutions:
    """Run a SELECT query: its solutions."""
    answer = store.query(query)
    assert isinstance(answer, ox.QuerySolutions)
    return answer


def _construct(store: ox.Store, query: str) -> ox.QueryTriples:
    """Run a CONSTRUCT query: its triples."""
    answer = store.query(query)
    assert isinstance(answer, ox.QueryTriples)
    return answer


def _solutions(body: bytes, fmt: ox.QueryResultsFormat) -> list[dict[str, object]]:
    """Read an answer back: terms by variable, or for CSV (which Oxigraph cannot read: it drops term kinds) values."""
    if fmt == ox.QueryResultsFormat.CSV:
        header, *rows = csv.reader(io.StringIO(body.decode(), newline=""))
        return [{n: v for n, v in zip(header, row, strict=True) if v} for row in rows]
    parsed = ox.parse_query_results(body, format=fmt)
    assert isinstance(parsed, ox.QuerySolutions)
    names = [v.value for v in parsed.variables]
    return [{n: t for n, t in zip(names, row, strict=True) if t is not None} for row in parsed]


@pytest.mark.parametrize("fmt", [*RESULT_FORMATS, ox.QueryResultsFormat.TSV])
def test_an_answer_within_the_limit_is_whole(store: ox.Store, fmt: ox.QueryResultsFormat) -> None:
    for limit in (7, 8, 1000):  # exactly the answer's size, one more, far more
        body, rows, cut = write_solutions(_select(store, ROWS), fmt, limit, BIG)
        assert (rows, cut) == (7, False)
        whole = _select(store, ROWS).serialize(format=fmt)
        assert whole is not None
        assert _solutions(body, fmt) == _solutions(whole, fmt)


@pytest.mark.parametrize("fmt", [*RESULT_FORMATS, ox.QueryResultsFormat.TSV])
@pytest.mark.parametrize("limit", [0, 1, 3, 6])
def test_an_answer_past_the_limit_keeps_its_first_solutions(
    store: ox.Store, fmt: ox.QueryResultsFormat, limit: int
) -> None:
    body, rows, cut = write_solutions(_select(store, ROWS), fmt, limit, BIG)
    assert (rows, cut) == (limit, True)
    whole = _select(store, ROWS).serialize(format=fmt)
    assert whole is not None
    assert _solutions(body, fmt) == _solutions(whole, fmt)[:limit]


def test_answers_without_variables_or_rows(store: ox.Store) -> None:
    json = ox.QueryResultsFormat.JSON
    one_empty, rows, cut = write_solutions(_select(store, "SELECT * WHERE {}"), json, 10, BIG)
    assert (rows, cut) == (1, False) and _solutions(one_empty, json) == [{}]
    none, rows, cut = write_solutions(_select(store, "SELECT ?x WHERE { FILTER(false) }"), json, 10, BIG)
    assert (rows, cut) == (0, False) and _solutions(none, json) == []


@pytest.mark.parametrize(
    "fmt", [ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML, ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG]
)
def test_triples_are_cut_at_the_limit(store: ox.Store, fmt: ox.RdfFormat) -> None:
    everything = set(_construct(store, TRIPLES))
    body, count, cut = write_triples(_construct(store, TRIPLES), fmt, 100, BIG)
    assert (count, cut) == (7, False)
    assert {q.triple for q in ox.parse(body, format=fmt)} == everything
    body, count, cut = write_triples(_construct(store, TRIPLES), fmt, 4, BIG)
    kept = {q.triple for q in ox.parse(body, format=fmt)}
    assert (count, cut) == (4, True) and len(kept) == 4 and kept <= everything


@pytest.mark.parametrize(
    ("fmt", "true", "false"),
    [
        (ox.QueryResultsFormat.CSV, b"_askResult\r\ntrue\r\n", b"_askResult\r\nfalse\r\n"),
        (ox.QueryResultsFormat.TSV, b"?_askResult\ntrue\n", b"?_askResult\nfalse\n"),
    ],
)
def test_ask_in_csv_and_tsv_as_jena_writes_it(
    store: ox.Store, fmt: ox.QueryResultsFormat, true: bytes, false: bytes
) -> None:
    yes, no = store.query("ASK { ?s ?p ?o }"), store.query("ASK { ?s ?p 42 }")
    assert isinstance(yes, ox.QueryBoolean) and isinstance(no, ox.QueryBoolean)
    assert (write_boolean(yes, fmt), write_boolean(no, fmt)) == (true, false)


def test_ask_in_json() -> None:
    yes = ox.Store().query("ASK {}")
    assert isinstance(yes, ox.QueryBoolean)
    parsed = ox.parse_query_results(write_boolean(yes, ox.QueryResultsFormat.JSON), format=ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QueryBoolean) and bool(parsed) is True


def test_the_cut_falls_on_a_line_end_wherever_the_writer_breaks_its_output() -> None:
    # Oxigraph hands the sink buffers of its own size: a line end may fall anywhere in them.
    text = b"h\nrow 1\nrow 2\n\nrow 4\n"
    lines = text.splitlines(keepends=True)
    for size in range(1, len(text) + 1):
        for keep in range(len(lines) + 2):

            def write(out: BinaryIO, size: int = size) -> None:
                for start in range(0, len(text), size):
                    out.write(text[start : start + size])

            kept, cut = _first_lines(write, keep, BIG)
            assert (kept, cut) == (b"".join(lines[:keep]), keep < len(lines)), (size, keep)


@pytest.mark.parametrize("fmt", [ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV])
def test_an_answer_past_the_byte_limit_stops_the_writer(fmt: ox.QueryResultsFormat) -> None:
    store = ox.Store()
    huge = 'SELECT ?x WHERE { BIND (REPLACE(STRUUID(), ".", "xxxxxxxxxx") AS ?x) }'
    with pytest.raises(AnswerTooLarge):
        write_solutions(_select(store, huge), fmt, 10, 100)
    body, rows, _cut = write_solutions(_select(store, huge), fmt, 10, 100_000)
    assert rows == 1 and len(body) < 100_000


def test_a_graph_answer_past_the_byte_limit_stops_the_writer() -> None:
    store = ox.Store()
    query = 'CONSTRUCT { <urn:s> <urn:p> ?o } WHERE { BIND (REPLACE(STRUUID(), ".", "yyyyyyyyyy") AS ?o) }'
    with pytest.raises(AnswerTooLarge):
        write_triples(_construct(store, query), ox.RdfFormat.TURTLE, 10, 100)
