"""Query results and threads: the build's writer thread never drops a result iterator another thread made."""

import sys
import threading
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from pobratim.build.built import select

QUERY = "SELECT ?s WHERE { ?s ?p ?o }"


def _store() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal("c")))
    return store


def _dropped_elsewhere(make: Callable[[], object]) -> list[str]:
    """Make a value in this thread, drop it in another; return the errors raised while it was dropped."""
    errors: list[str] = []
    hook = sys.unraisablehook
    sys.unraisablehook = lambda u: errors.append(str(u.exc_value))
    box: dict[str, Any] = {"value": make()}
    try:

        def drop() -> None:
            try:
                box.clear()
            except RuntimeError as err:
                errors.append(str(err))

        thread = threading.Thread(target=drop)
        thread.start()
        thread.join()
    finally:
        sys.unraisablehook = hook
    return errors


def test_a_raw_result_iterator_cannot_be_dropped_in_another_thread() -> None:
    """pyoxigraph's behaviour that ``select`` guards against (if this changes, the guard is no longer needed)."""
    store = _store()
    assert any("unsendable" in e for e in _dropped_elsewhere(lambda: store.query(QUERY)))


def test_rows_from_select_can_be_dropped_in_any_thread() -> None:
    store = _store()
    rows = select(store, QUERY)
    assert [str(r["s"]) for r in rows] == ["<urn:x:a>"]
    assert _dropped_elsewhere(lambda: select(store, QUERY)) == []
