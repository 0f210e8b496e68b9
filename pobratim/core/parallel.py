"""Run one function over many items in forked worker processes, when there are enough items to pay.

The workers are forked, so they inherit the function and the items as they are in memory: only an
index goes to a worker and only a result comes back, never the (large, slow to pickle) corpus.
"""

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items (record files) a worker process costs more than it saves.
PARALLEL_FROM = 64

# What forked workers inherit: the function and the items of the run under way.
_WORK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def worth_forking(count: int, workers: int) -> bool:
    """Tell whether ``count`` items are enough to share among ``workers`` processes."""
    return workers > 1 and count >= PARALLEL_FROM


def _run(index: int) -> Any:
    assert _WORK is not None, "only called in a worker forked by forked()"
    function, items = _WORK
    return function(items[index])


@contextmanager
def forked(
    function: Callable[[T], R], items: Sequence[T], workers: int, *, ordered: bool = True
) -> Iterator[Iterator[R]]:
    """Yield the results of ``function`` over ``items``, computed in ``workers`` forked processes.

    In the items' order, or as each arrives when not ``ordered`` (the caller may work meanwhile).
    """
    global _WORK
    _WORK = (function, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            if ordered:
                yield pool.imap(_run, range(len(items)), chunksize=max(1, len(items) // (workers * 8)))
            else:
                yield pool.imap_unordered(_run, range(len(items)))
    finally:
        _WORK = None


def fork_map(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """Return ``function`` over ``items`` in order: in forked processes when there are enough items."""
    if not worth_forking(len(items), workers):
        return [function(item) for item in items]
    with forked(function, items, workers) as results:
        return list(results)
