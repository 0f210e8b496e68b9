"""Talk to Virtuoso's SPARQL endpoint over HTTP (SPARQL 1.1 Protocol): one keep-alive connection a thread.

Queries read the build's graphs only, never Virtuoso's own: graph-level security lets the anonymous user
read the build's graphs and nothing else (``instance.SECURITY``, ``procedures.sql``). Each carries a
deadline Virtuoso enforces itself (its "anytime" ``timeout`` parameter, in milliseconds: the query is
stopped and Virtuoso says so in its X-SQL-State header).
"""

import http.client
import re
import threading
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from pobratim.virtuoso.errors import VirtuosoTimeout

# pobratim sends queries as they are, with no pragma of Virtuoso's (DEFINE): with `sql:describe-mode`, a
# runaway query's "anytime" answer did not come; with `input:named-graph-exclude`, a constant GRAPH <g>
# matched one triple and the default graph none (both measured on Virtuoso 7.2.5).
# Seconds past the deadline before pobratim stops waiting and closes the connection. Virtuoso answers a
# runaway query at its deadline ("anytime"), but not always: the first heavy queries after a load ran on;
# it stopped them 1-3 s after the connection closed (measured at a million quads).
MARGIN = 1.0
_ERROR = re.compile(r"Virtuoso (\w{5}) Error (\w+): ?(.*)")


@dataclass(frozen=True)
class Reply:
    """Virtuoso's answer: its status, the SQL state it reports (if any), its content type and body."""

    status: int
    sql_state: str
    content_type: str
    body: bytes
    headers: dict[str, str]

    @property
    def error(self) -> tuple[str, str, str] | None:
        """Return (SQL state, Virtuoso's code, message) of an error reply, else None."""
        if self.status == 200:
            return None
        text = self.body.decode("utf-8", "replace")
        found = _ERROR.search(text)
        if found is None:
            return ("", "", text.strip()[:500])
        return found.group(1), found.group(2), found.group(3).strip()


class Endpoint:
    """Virtuoso's /sparql, reached over one keep-alive connection per thread."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"VIRTUOSO_URL must be an http:// URL, not {url!r}")
        self.url = url
        self.host, self.port, self.path = parts.hostname, parts.port or 80, parts.path or "/sparql"
        self._local = threading.local()

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
            self._local.conn = conn
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        return conn

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
        self._local.conn = None

    def ask(
        self,
        query: str,
        accept: str,
        timeout: float,
        default_graphs: tuple[str, ...] = (),
        named_graphs: tuple[str, ...] = (),
    ) -> Reply:
        """Send ``query`` by POST; Virtuoso stops it at ``timeout`` seconds (its "anytime" timeout, in ms)."""
        params = [("query", query), ("timeout", str(max(1, int(timeout * 1000))))]
        params += [("default-graph-uri", g) for g in default_graphs]
        params += [("named-graph-uri", g) for g in named_graphs]
        body = urlencode(params).encode("ascii")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        for attempt in (1, 2):
            conn = self._connection(timeout + MARGIN)
            try:
                conn.request("POST", self.path, body, headers)
                response = conn.getresponse()
                content = response.read()
            except TimeoutError as err:
                self._drop()
                raise VirtuosoTimeout(f"Virtuoso did not answer within {timeout + MARGIN:g} s") from err
            except (ConnectionError, http.client.HTTPException, OSError):
                # A kept-alive connection Virtuoso has closed: once more on a new one.
                self._drop()
                if attempt == 2:
                    raise
                continue
            if response.getheader("Connection", "").lower() == "close":
                self._drop()
            return Reply(
                response.status,
                response.getheader("X-SQL-State", "") or "",
                response.getheader("Content-Type", "") or "",
                content,
                {k.lower(): v for k, v in response.getheaders()},
            )
        raise AssertionError("unreachable")
