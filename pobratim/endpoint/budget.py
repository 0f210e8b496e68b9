"""Per-client fairness, as the Wikidata Query Service does it: concurrent queries and query time per minute.

A client is its address: a User-Agent costs nothing to change (issue 26: one address rotating User-Agents
ran four memory-hungry queries at once). It may have ``max_concurrent`` queries at once (five, as the
Wikidata Query Service allows: a second tab, a double-clicked Run, a small threaded script), 429 beyond; of
those, at most ``max_running`` hold a query worker at once, and the others wait for one of the client's own
to finish, so one client never holds every worker, and what its queries can take in memory is bounded by
that many workers' ``QUERY_MEMORY_MB``. At most ``max_waiting`` queries of all clients wait so (503 beyond),
each holding a request thread. Each web process keeps its own accounts (a client reaching two processes gets
each one's budget). Only queries that reach a query worker count: answers from a cache cost nothing.
"""

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from pobratim.endpoint.problems import OverBudget, TooBusy

WINDOW = 60.0  # seconds over which query time is counted


@dataclass
class _Account:
    running: int = 0  # queries admitted: holding a worker or waiting for their turn
    holding: int = 0  # queries holding a worker
    spent: deque[tuple[float, float]] = field(default_factory=deque)  # (finished at, seconds)
    total: float = 0.0  # the seconds in ``spent``: a busy client's window holds thousands of queries
    # On the budget's lock, made when one of the client's queries first waits for its turn: notified when one of
    # the client's queries gives its worker back.
    turn: threading.Condition | None = None

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

    def __init__(
        self, max_concurrent: int, seconds_per_minute: float, max_running: int = 1, max_waiting: int = 1
    ) -> None:
        self.max_concurrent = max_concurrent
        self.seconds_per_minute = seconds_per_minute
        self.max_running, self.max_waiting = max_running, max_waiting
        self._accounts: dict[str, _Account] = {}
        self._lock = threading.Lock()
        self._waiting = 0

    @contextmanager
    def spend(self, client: str, wait: float = 0.0) -> Iterator[None]:
        """Run one query for ``client`` (an address), or raise OverBudget; wait up to ``wait`` seconds for the
        client's turn (raise TooBusy past it, or when too many wait); charge the client the time it takes."""
        now = time.monotonic()
        with self._lock:
            account = self._accounts.setdefault(client, _Account())
            used = account.used(now)
            if account.running >= self.max_concurrent:
                raise OverBudget(
                    f"this client already has {account.running} queries at once here; at most "
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
            if account.holding >= self.max_running:
                if self._waiting >= self.max_waiting:
                    raise TooBusy("too many queries wait for their turn; try again shortly")
                account.running += 1
                self._waiting += 1
                try:
                    if account.turn is None:
                        account.turn = threading.Condition(self._lock)
                    turn = account.turn.wait_for(lambda: account.holding < self.max_running, wait)
                finally:
                    self._waiting -= 1
                if not turn:
                    account.running -= 1
                    raise TooBusy(
                        f"this client's other {account.running} queries held their workers for {wait:g} s; "
                        "try again shortly"
                    )
            else:
                account.running += 1
            account.holding += 1
        started = time.monotonic()
        try:
            yield
        finally:
            finished = time.monotonic()
            with self._lock:
                account.running -= 1
                account.holding -= 1
                account.charge(finished, finished - started)
                # One worker given back: one of this client's waiting queries may take its turn (only this
                # client's wait for it; waking every waiter of every client made each of them take the GIL).
                if account.turn is not None:
                    account.turn.notify()
                if len(self._accounts) > 10_000:  # forget idle clients rather than grow without bound
                    self._forget(finished)

    def in_flight(self, client: str) -> tuple[int, int]:
        """Return how many queries ``client`` has here now, and how many of them hold a worker."""
        with self._lock:
            account = self._accounts.get(client)
            return (account.running, account.holding) if account else (0, 0)

    def _forget(self, now: float) -> None:
        idle = [k for k, a in self._accounts.items() if not a.running and a.used(now) == 0]
        for key in idle:
            del self._accounts[key]
