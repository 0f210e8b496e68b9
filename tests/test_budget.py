"""A client's query time over the last minute: the running total the budget keeps."""

import time

import pytest

from pobratim.endpoint.budget import WINDOW, Budget, _Account
from pobratim.endpoint.problems import OverBudget


def test_query_time_leaves_the_window_a_minute_after_it_was_spent() -> None:
    account = _Account()
    account.charge(0.0, 1.5)
    account.charge(30.0, 1.0)
    assert account.used(59.0) == pytest.approx(2.5)
    assert account.used(WINDOW + 1) == pytest.approx(1.0)
    assert account.used(WINDOW + 31) == 0.0 and not account.spent


def test_thousands_of_queries_are_counted_in_full() -> None:
    account = _Account()
    for n in range(5000):
        account.charge(n * 0.01, 0.002)
    assert account.used(50.0) == pytest.approx(10.0)
    assert account.used(80.0) == pytest.approx(0.002 * sum(1 for n in range(5000) if n * 0.01 >= 20.0))


def test_a_client_over_its_minute_is_refused_until_time_leaves_the_window() -> None:
    budget = Budget(max_concurrent=4, seconds_per_minute=1.0)
    client = "127.0.0.1"
    budget._accounts[client] = account = _Account()
    now = time.monotonic()
    account.charge(now, 1.2)
    with pytest.raises(OverBudget) as refused, budget.spend(client):
        pass
    assert refused.value.retry_after >= 1 and "1.2 s" in str(refused.value)
    account.spent[0] = (now - WINDOW - 1, 1.2)  # the same query, spent over a minute ago
    with budget.spend(client):
        pass
