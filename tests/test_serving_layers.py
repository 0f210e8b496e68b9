"""The serving stages import downwards only: the SPARQL layer knows no store, a store knows no endpoint, and
no module imports another of pobratim's inside a function (where a cycle would hide)."""

import ast
from pathlib import Path

import pytest

from tests.support.paths import REPO

PACKAGE = REPO / "pobratim"
# Each stage, and the stages above it that it must not import.
ABOVE = {
    "sparql": ("pobratim.oxigraph", "pobratim.virtuoso", "pobratim.stores", "pobratim.endpoint", "pobratim.cli"),
    "oxigraph": ("pobratim.virtuoso", "pobratim.stores", "pobratim.endpoint", "pobratim.cli"),
    "virtuoso": ("pobratim.oxigraph", "pobratim.stores", "pobratim.endpoint", "pobratim.cli"),
    "endpoint": ("pobratim.oxigraph", "pobratim.virtuoso", "pobratim.cli"),
}


def _imports(path: Path) -> list[tuple[str, bool]]:
    """Each module ``path`` imports, and whether the import is inside a function."""
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, inside: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ImportFrom) and child.module:
                found.append((child.module, inside))
            elif isinstance(child, ast.Import):
                found.extend((alias.name, inside) for alias in child.names)
            visit(child, inside or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)))

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


@pytest.mark.parametrize("stage", sorted(ABOVE))
def test_a_stage_imports_no_stage_above_it_and_nothing_inside_functions(stage: str) -> None:
    for path in sorted((PACKAGE / stage).rglob("*.py")):
        for module, inside in _imports(path):
            where = f"{path.relative_to(REPO)} imports {module}"
            assert not module.startswith(ABOVE[stage]), where
            assert not (inside and module.startswith("pobratim")), where + " inside a function"
