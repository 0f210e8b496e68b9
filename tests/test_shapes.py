"""Every SHACL shape has a valid example that conforms and invalid examples it catches, readably."""

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from pobratim.shacl.reference import validate_graph

HERE = Path(__file__).parent / "shapes"
INVALID = sorted((HERE / "invalid").glob("*.ru"))


def fresh_valid() -> Graph:
    return Graph().parse(HERE / "valid.ttl", format="turtle")


def expected_shape(case: Path) -> str:
    first = case.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{case.name} must start with '# expect: <shape>'"
    return first.removeprefix("# expect: ").strip()


def test_valid_example_conforms(shapes: Graph) -> None:
    assert validate_graph(fresh_valid(), shapes, "valid") == []


def test_valid_example_gives_every_shape_a_focus(shapes: Graph) -> None:
    """The valid example must exercise each shape, or its conformance proves nothing."""
    from pyshacl import validate

    data = fresh_valid()
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        targets = [
            *shapes.objects(shape, SH.targetClass),
            *shapes.objects(shape, SH.targetSubjectsOf),
            *shapes.objects(shape, SH.targetObjectsOf),
        ]
        hit = any((None, RDF.type, t) in data or (None, t, None) in data for t in targets)
        assert hit, f"valid.ttl has no focus node for {shape}"
    assert validate(data, shacl_graph=shapes)[0]


def test_every_shape_has_an_invalid_example(shapes: Graph) -> None:
    names = {shapes.namespace_manager.normalizeUri(str(s)) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    covered = {expected_shape(case) for case in INVALID}
    assert names == covered


@pytest.mark.parametrize("case", INVALID, ids=[c.stem for c in INVALID])
def test_invalid_example_is_caught(case: Path, shapes: Graph) -> None:
    data = fresh_valid()
    data.update(case.read_text(encoding="utf-8"))
    violations = validate_graph(data, shapes, case.stem)
    assert violations, f"{case.name} was not caught"
    expected = expected_shape(case)
    assert {v.shape for v in violations} == {expected}, [str(v) for v in violations]
    for v in violations:
        assert v.severity == "Violation"
        assert v.message and v.message != "(no message)"
        # Readable: the message is one of ours, not pyshacl's generic constraint text.
        assert "Constraint" not in v.message, v.message
        assert v.focus in str(v)
