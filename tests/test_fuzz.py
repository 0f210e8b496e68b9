"""A quick seeded fuzz run, in-process: hostile requests never get a 5xx (``make stress`` runs thousands)."""

from urllib.parse import quote

from .support import fuzz
from .support.inprocess import InProcess


def test_seeded_hostile_requests_never_get_a_5xx(server: InProcess) -> None:
    failures = []
    for n, req in enumerate(fuzz.requests(seed=20261124, count=400)):
        # Each request its own client, as a crowd of attackers: the per-client budget is tested elsewhere.
        address = f"198.51.100.{n % 250 + 1}"  # a client is its address (whatever its User-Agent)
        path = "/".join(quote(part, safe="%:@!$&'()*+,;=~-._") for part in req.path.split("/"))
        r = server.client.open(
            path,
            method=req.method,
            query_string=req.params,
            headers=req.headers,
            data=req.body,
            environ_base={"REMOTE_ADDR": address},
        )
        if not fuzz.acceptable(r.status_code, dict(r.headers)):
            failures.append((r.status_code, req, r.get_data(as_text=True)[:200]))
    assert failures == []
