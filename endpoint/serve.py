"""Run the endpoint under waitress, a production WSGI server that is pure Python and threads well."""

import argparse
import logging
from typing import Any

from waitress import serve as waitress_serve

from . import create_app


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
        app = create_app(overrides)
    except (RuntimeError, ValueError, KeyError) as err:
        logging.getLogger("pobratim").error("cannot serve: %s", err)
        return 1
    cfg = app.config
    print(f"pobratim: serving {cfg['DIST']} at http://{cfg['HOST']}:{cfg['PORT']}/ (SPARQL at /sparql)", flush=True)
    # With TRUST_PROXY the app's ProxyFix reads X-Forwarded-*; waitress must then pass them through untouched.
    waitress_serve(
        app,
        host=cfg["HOST"],
        port=int(cfg["PORT"]),
        threads=int(cfg["THREADS"]),
        ident="pobratim",
        channel_timeout=60,
        clear_untrusted_proxy_headers=not cfg["TRUST_PROXY"],
    )
    return 0
