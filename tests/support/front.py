"""Clients of a path in front of Flask (``endpoint/front.py``) and of Flask alone, to compare what they answer."""

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask
from werkzeug.test import Client, TestResponse

from pobratim.endpoint.front import FrontPath
from pobratim.endpoint.headers import Protective

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


def front_and_alone(app: Flask, path: type[FrontPath]) -> tuple[Client, Client, list[str]]:
    """Give a client of ``path`` in front of ``app``'s Flask alone, a client of that Flask alone, and the list the
    paths of the requests that reached Flask through ``path`` are added to."""
    route = functools.partial(Flask.wsgi_app, app)  # Flask alone, as before the paths in front of it
    reached: list[str] = []

    def counted(environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        reached.append(environ["PATH_INFO"])
        return route(environ, start_response)

    protective = Protective(app.extensions["pobratim"].settings.cors_origins)
    return Client(path(counted, app, protective)), Client(route), reached


def headers_but_vary(response: TestResponse) -> tuple[dict[str, str], set[str]]:
    """A response's headers but Vary, and the names in Vary (in any order)."""
    return {k: v for k, v in response.headers.items() if k != "Vary"}, set(response.vary)
