"""Per-client fairness, as the Wikidata Query Service does it: concurrent queries and query time per minute.

A client is its address and User-Agent. Each web process keeps its own accounts (a client reaching two
processes gets each one's budget). Only queries that reach a query worker count: answers from a cache
cost nothing.
"""

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from pobratim.endpoint.problems import OverBudget

WINDOW = 60.0  # seconds over which query time is counted


@dataclass
class _Account:
    running: int = 0
    spent: deque[tuple[float, float]] = field(default_factory=deque)  # (finished at, seconds)
    total: float = 0.0  # the seconds in ``spent``: a busy client's window holds thousands of queries

    def used(self, now: float) -> float:
        while self.spent and self.spent[0][0] < now - WINDOW:
            self.total -= self.spent.popleft()[1]
        if not self.spent:
            self.total = 0.0  # no rounding left over from the subtractions
        return self.total

    def charge(self, at: float, seconds: float) -> None:
        self.spent.append((at, seconds))
        self.total += seconds


class Budget:
    """The query budgets of the clients of one web process."""

    def __init__(self, max_concurrent: int, seconds_per_minute: float) -> None:
        self.max_concurrent = max_concurrent
        self.seconds_per_minute = seconds_per_minute
        self._accounts: dict[tuple[str, str], _Account] = {}
        self._lock = threading.Lock()

    @contextmanager
    def spend(self, client: tuple[str, str]) -> Iterator[None]:
        """Run one query for ``client``, or raise OverBudget; the time it takes is charged to the client."""
        now = time.monotonic()
        with self._lock:
            account = self._accounts.setdefault(client, _Account())
            used = account.used(now)
            if account.running >= self.max_concurrent:
                raise OverBudget(
                    f"this client already runs {account.running} queries at once here; at most "
                    f"{self.max_concurrent} are allowed: wait for one to finish",
                    1,
                )
            if used >= self.seconds_per_minute:
                oldest = account.spent[0][0] if account.spent else now
                raise OverBudget(
                    f"this client used {used:.1f} s of query time in the last minute; at most "
                    f"{self.seconds_per_minute:g} s are allowed",
                    max(1, int(oldest + WINDOW - now) + 1),
                )
            account.running += 1
        started = time.monotonic()
        try:
            yield
        finally:
            finished = time.monotonic()
            with self._lock:
                account.running -= 1
                account.charge(finished, finished - started)
                if len(self._accounts) > 10_000:  # forget idle clients rather than grow without bound
                    self._forget(finished)

    def _forget(self, now: float) -> None:
        idle = [k for k, a in self._accounts.items() if not a.running and a.used(now) == 0]
        for key in idle:
            del self._accounts[key]
