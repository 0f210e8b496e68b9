"""Run the endpoint under granian, a production HTTP server written in Rust, with several processes.

Each web server process runs the Flask app (and its own query workers); the HTTP work is done in Rust.
waitress, pure Python, kept one thread busy with socket I/O and topped out near 1,300 requests/s here.
"""

import argparse
import logging
import os
from typing import Any

from granian import Granian
from granian.constants import Interfaces

from . import settings
from .state import check_build


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
        check_build(cfg)
    except (RuntimeError, ValueError, KeyError) as err:
        logging.getLogger("pobratim").error("cannot serve: %s", err)
        return 1
    # The web server processes build the app from the environment: the command line's values go there,
    # where they still take precedence over the defaults.
    for key, value in overrides.items():
        os.environ[settings.BY_NAME[key].env] = str(value)
    print(f"pobratim: serving {cfg['DIST']} at http://{cfg['HOST']}:{cfg['PORT']}/ (SPARQL at /sparql)", flush=True)
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
    return 0
