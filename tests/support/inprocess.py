"""The app in the test's own process, through Flask's test client, with the small part of the ``requests``
interface the endpoint tests use (so a test reads the same against the app or a live server)."""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import Headers

URL = "http://localhost"  # the test client's default server name


class Reply:
    """A test-client response read as a ``requests`` response."""

    def __init__(self, status_code: int, headers: Headers, content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.content)


@dataclass
class InProcess:
    """An app served in-process; ``get`` and ``post`` take what ``requests`` takes."""

    app: Flask
    url: str = URL
    client: FlaskClient = field(init=False)

    def __post_init__(self) -> None:
        self.client = self.app.test_client()

    def _call(
        self,
        method: str,
        path: str,
        params: Mapping[str, str] | list[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
        data: Mapping[str, str] | str | bytes | None = None,
    ) -> Reply:
        kwargs: dict[str, Any] = {"query_string": params, "headers": dict(headers or {})}
        if isinstance(data, Mapping):
            kwargs["data"] = data
            kwargs["content_type"] = "application/x-www-form-urlencoded"
        elif data is not None:
            kwargs["data"] = data.encode("utf-8") if isinstance(data, str) else data
            kwargs["content_type"] = kwargs["headers"].pop("Content-Type", None)
        r = self.client.open(path, method=method, **kwargs)
        return Reply(r.status_code, r.headers, r.get_data())

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self._call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Reply:
        return self._call("POST", path, **kwargs)

    def head(self, path: str, **kwargs: Any) -> Reply:
        return self._call("HEAD", path, **kwargs)

    def options(self, path: str, **kwargs: Any) -> Reply:
        return self._call("OPTIONS", path, **kwargs)
