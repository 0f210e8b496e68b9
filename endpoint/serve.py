"""Run the endpoint under granian, a production HTTP server written in Rust, with several processes.

Each web server process runs the Flask app with its own query workers, all forked by one query server
started here, so the graph is held in memory once; the HTTP work is done in Rust.
waitress, pure Python, kept one thread busy with socket I/O and topped out near 1,300 requests/s here.
"""

import argparse
import logging
import os
from typing import Any

from granian import Granian
from granian.constants import Interfaces

from . import settings
from .state import check_build, start_query_server


def serve(args: argparse.Namespace) -> int:
    """Start serving ``dist/`` until interrupted."""
    overrides: dict[str, Any] = {}
    if args.dist is not None:
        overrides["DIST"] = args.dist
    if args.host is not None:
        overrides["HOST"] = args.host
    if args.port is not None:
        overrides["PORT"] = args.port
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        cfg = settings.load(overrides)
        dist, _manifest = check_build(cfg)
        server = None if cfg["QUERY_SOCKET"] else start_query_server(cfg, dist)
    except (RuntimeError, ValueError, KeyError) as err:
        logging.getLogger("pobratim").error("cannot serve: %s", err)
        return 1
    if server is not None:
        overrides["QUERY_SOCKET"] = server.address
    # The web server processes build the app from the environment: the command line's values go there,
    # where they still take precedence over the defaults.
    for key, value in overrides.items():
        os.environ[settings.BY_NAME[key].env] = str(value)
    print(f"pobratim: serving {cfg['DIST']} at http://{cfg['HOST']}:{cfg['PORT']}/ (SPARQL at /sparql)", flush=True)
    try:
        Granian(
            "endpoint:create_app",
            factory=True,
            interface=Interfaces.WSGI,
            address=str(cfg["HOST"]),
            port=int(cfg["PORT"]),
            workers=int(cfg["WEB_WORKERS"]),
            blocking_threads=int(cfg["THREADS"]),
            log_access=False,
        ).serve()
    finally:
        if server is not None:
            server.close()
    return 0
