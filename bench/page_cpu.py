"""CPU time of distinct pages through one checkout's whole WSGI application, on command: ``bench.pages``'s worker.

Run as a script (``python bench/page_cpu.py DIST PAGES``, with ``PYTHONPATH`` naming the checkout to measure), so
that it imports that checkout's pobratim and nothing else of this one. It opens the build, prints ``ready``,
then for each line ``FIRST LAST`` it reads from stdin serves the pages from ``FIRST`` to ``LAST`` of the file
``PAGES`` (one path a line) once each and prints the mean CPU µs a page. The environ of each request is built
before the timing starts, as granian hands one over; every middleware, Flask and the view run inside it.
"""

import json
import sys
import time
from collections.abc import Callable
from types import TracebackType

from werkzeug.test import EnvironBuilder


def main(dist: str, pages_file: str) -> None:
    """Serve slices of ``pages_file``'s pages on command and print each slice's CPU µs a page."""
    from pobratim import settings
    from pobratim.endpoint.serve import web_app
    from pobratim.endpoint.state import state

    with open(pages_file, encoding="utf-8") as lines:
        pages = [line.strip() for line in lines if line.strip()]
    # As a web process makes it: what it read at start frozen out of the collector's sight (``web_app``).
    app = web_app(settings.load({"DIST": dist}))

    def start_response(
        status: str,
        headers: list[tuple[str, str]],
        exc_info: tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None] | None = None,
        /,
    ) -> Callable[[bytes], object]:
        if not status.startswith("200 "):
            raise RuntimeError(f"a page answered {status}")
        return lambda _data: None

    print("ready", flush=True)
    for command in sys.stdin:
        first, last = (int(n) for n in command.split())
        environs = []
        for page in pages[first:last]:
            path, _mark, query = page.partition("?")
            environs.append(EnvironBuilder(path=path, query_string=query).get_environ())
        started = time.process_time()
        for environ in environs:
            body = app(environ, start_response)
            b"".join(body)
            close = getattr(body, "close", None)
            if close is not None:
                close()
        print(json.dumps((time.process_time() - started) / len(environs) * 1e6), flush=True)
    state(app).pool.close()  # its query server and workers end with it


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
