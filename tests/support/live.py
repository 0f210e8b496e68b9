"""Start the real server (``pobratim serve``, granian) on a free loopback port for the tests."""

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

MARK = "PYTEST_SERVER_MARK"  # tags every process of one test server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class ServerProcess:
    """``pobratim serve`` in a subprocess: its output read as it comes, its processes findable by a mark."""

    def __init__(
        self,
        dist: Path,
        port: int,
        settings: dict[str, str],
        command: Sequence[str] | None = None,
        cwd: Path | None = None,
    ):
        # Every process of this server, however started and wherever reparented, inherits the environment.
        self.mark = uuid.uuid4().hex
        env = {**os.environ, MARK: self.mark, **{f"POBRATIM_{k}": v for k, v in settings.items()}}
        self.popen = subprocess.Popen(
            [*(command or [sys.executable, "-m", "pobratim"]), "serve", "--dist", str(dist), "--port", str(port)],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()

    @property
    def output(self) -> str:
        with self._changed:
            return "".join(self.lines)

    def wait_for(self, text: str, timeout: float = 60) -> None:
        """Wait until the server has printed ``text``."""
        with self._changed:
            if not self._changed.wait_for(lambda: any(text in line for line in self.lines), timeout):
                raise RuntimeError(f"the server did not print {text!r} within {timeout} s:\n{self.output}")

    def processes(self) -> list[int]:
        """Return the running (not zombie) processes that belong to this server (their environment holds its mark)."""
        found = []
        for process in psutil.process_iter():
            try:
                if process.environ().get(MARK) == self.mark and process.status() != psutil.STATUS_ZOMBIE:
                    found.append(process.pid)
            except psutil.Error:
                continue
        return found

    def stop(self, timeout: float = 10) -> None:
        """Ask the server to stop (SIGTERM); kill it if it has not stopped within ``timeout``."""
        self.popen.terminate()
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


@dataclass(frozen=True)
class Live:
    """A running server: its URL and process."""

    url: str
    server: ServerProcess

    @property
    def process(self) -> subprocess.Popen[str]:
        return self.server.popen

    @property
    def port(self) -> int:
        """The loopback port it listens on, for a raw socket."""
        return int(self.url.rsplit(":", 1)[1])

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        """GET ``path`` with requests' own keyword arguments, as InProcess.get takes them."""
        return requests.get(self.url + path, timeout=60, allow_redirects=False, **kwargs)

    def client(self) -> requests.Session:
        """A client that, like browsers, sends a GET again once when its connection closed before any answer.

        RFC 9112 §9.3.1 lets a client retry an idempotent request so. A server moving to a new build has
        granian stop its old web process gracefully, which closes the connections it has accepted but not
        yet read (hyper's graceful shutdown): measured, 2 connections in 112,003 over 10 moves.
        """
        retry = Retry(total=1, connect=1, read=1, status=0, other=0, allowed_methods={"GET"}, raise_on_status=False)
        session = requests.Session()
        session.mount("http://", HTTPAdapter(max_retries=retry))
        return session

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        """POST to ``path`` with requests' own keyword arguments, as InProcess.post takes them."""
        return requests.post(self.url + path, timeout=60, allow_redirects=False, **kwargs)


@contextmanager
def serving(
    dist: Path,
    *,
    command: Sequence[str] | None = None,
    cwd: Path | None = None,
    settings: Mapping[str, str] | None = None,
    **more: str,
) -> Iterator[Live]:
    """Run ``pobratim serve`` (or ``command serve``) on ``dist`` with ``POBRATIM_*`` settings until the block ends."""
    settings = {**(settings or {}), **more}
    port = free_port()
    server = ServerProcess(dist, port, settings, command, cwd)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.popen.poll() is not None:
                time.sleep(0.2)  # let the reader take the last lines
                raise RuntimeError(f"the server exited with {server.popen.returncode}:\n{server.output}")
            try:
                if requests.get(url + "/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not come up within 60 s:\n{server.output}")
            time.sleep(0.2)
        yield Live(url, server)
    finally:
        server.stop()
