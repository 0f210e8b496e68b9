"""Measure the landing page (with its map of the whole network): its size and how long it takes to serve.

Run on a world-scale build::

    .venv/bin/python -m bench.synth --towns 10000 --out /tmp/w
    .venv/bin/pobratim build --data /tmp/w --out /tmp/wd
    .venv/bin/python -m bench.landing --dist /tmp/wd

It times ``GET /`` through the app in process (Flask's test client) and prints one line; not a test.
"""

import argparse
import re
import statistics
import time
from pathlib import Path

from pobratim.endpoint import create_app
from pobratim.endpoint.state import state

DATA = re.compile(rb'<script type="application/json" id="network-map-data">(.*?)</script>', re.S)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, default=Path("dist"), help="a published build (default %(default)s)")
    parser.add_argument("--requests", type=int, default=20, help="requests to time (default %(default)s)")
    args = parser.parse_args()
    started = time.perf_counter()
    app = create_app({"DIST": str(args.dist)})
    opened = time.perf_counter() - started
    try:
        client = app.test_client()
        times, body = [], b""
        for _ in range(args.requests):
            t = time.perf_counter()
            response = client.get("/", headers={"Accept-Language": "en"})
            times.append(time.perf_counter() - t)
            assert response.status_code == 200
            body = response.data
        found = DATA.search(body)
        map_bytes = len(found.group(1)) if found else 0
        net = state(app).network
        print(
            f"app opened in {opened:.2f} s; GET / {len(body):,} bytes (map data {map_bytes:,}); "
            f"first {times[0] * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms; map: {net.mapped:,} of {net.relations:,} twinnings as "
            f"{len(net.lines):,} lines, grid {net.grid or 'none'}"
        )
    finally:
        state(app).pool.close()


if __name__ == "__main__":
    main()
