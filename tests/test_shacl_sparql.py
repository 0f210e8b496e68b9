"""The shapes compiled to SPARQL on Oxigraph report exactly what pyshacl reports, case by case."""

from pathlib import Path

import pytest
from rdflib import Graph

from pobratim.shacl.compiler import Unsupported, compile_shapes
from pobratim.shacl.gate import check_graph
from pobratim.shacl.reference import validate_graph
from pobratim.shacl.report import Violation

HERE = Path(__file__).parent / "shapes"
INVALID = sorted((HERE / "invalid").glob("*.ru"))
Key = tuple[str, str, str | None, str, str]


def keys(violations: list[Violation]) -> set[Key]:
    return {(v.focus, v.shape, v.path, v.message, v.severity) for v in violations}


def case_graph(case: Path | None) -> Graph:
    data = Graph().parse(HERE / "valid.ttl", format="turtle")
    if case is not None:
        data.update(case.read_text(encoding="utf-8"))
    return data


def test_the_valid_example_passes_both(shapes: Graph) -> None:
    data = case_graph(None)
    assert check_graph(data, shapes, "valid") == validate_graph(data, shapes, "valid") == []


@pytest.mark.parametrize("case", INVALID, ids=[c.stem for c in INVALID])
def test_compiled_checks_equal_pyshacl(case: Path, shapes: Graph) -> None:
    data = case_graph(case)
    reference = validate_graph(data, shapes, case.stem)
    assert reference, f"pyshacl found nothing in {case.name}"
    assert keys(check_graph(data, shapes, case.stem)) == keys(reference)


def test_all_planted_errors_at_once(shapes: Graph) -> None:
    data = case_graph(None)
    for case in INVALID:
        data.update(case.read_text(encoding="utf-8"))
    assert keys(check_graph(data, shapes, "all")) == keys(validate_graph(data, shapes, "all"))


def test_an_unknown_constraint_is_refused_not_skipped(shapes: Graph) -> None:
    extended = Graph()
    extended += shapes
    extended.update(
        """PREFIX sh: <http://www.w3.org/ns/shacl#>
           INSERT { ?p sh:lessThan <https://schema.org/endDate> } WHERE { ?p sh:path <https://schema.org/startDate> }"""
    )
    with pytest.raises(Unsupported, match="lessThan"):
        compile_shapes(extended)
