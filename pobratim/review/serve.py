"""Run the review page on 127.0.0.1 until the reviewer stops it (Ctrl-C)."""

import secrets
from pathlib import Path

from werkzeug.serving import make_server

from pobratim.core.errors import BuildError
from pobratim.core.layout import Layout

# Loopback only: the page writes into data/, and its token is its only lock.
HOST = "127.0.0.1"


def serve_review(proposals: Path, layout: Layout, reviewer: str, port: int = 0) -> int:
    """Serve the review page of ``proposals``; print its address, which holds this run's token."""
    import sys

    from pobratim.review.app import create_app

    token = secrets.token_urlsafe(24)
    try:
        app = create_app(proposals, layout, reviewer, token)
    except BuildError as err:
        print(f"pobratim review: {err}", file=sys.stderr)
        return 1
    # One thread: one reviewer, and decisions written one at a time.
    server = make_server(HOST, port, app, threaded=False)
    print(f"review {proposals} at http://{HOST}:{server.server_port}/review/{token}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
