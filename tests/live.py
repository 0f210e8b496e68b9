"""Start the real server (``pobratim serve``, granian) on a free loopback port for the tests."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True)
class Live:
    """A running server: its URL and process."""

    url: str
    process: subprocess.Popen[bytes]

    def get(self, path: str, **kwargs: object) -> requests.Response:
        return requests.get(self.url + path, timeout=60, allow_redirects=False, **kwargs)  # type: ignore[arg-type]

    def post(self, path: str, **kwargs: object) -> requests.Response:
        return requests.post(self.url + path, timeout=60, allow_redirects=False, **kwargs)  # type: ignore[arg-type]


@contextmanager
def serving(dist: Path, **settings: str) -> Iterator[Live]:
    """Run ``pobratim serve`` on ``dist`` with ``POBRATIM_*`` settings until the block ends."""
    port = free_port()
    env = {**os.environ, **{f"POBRATIM_{k}": v for k, v in settings.items()}}
    process = subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "serve", "--dist", str(dist), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                out = process.stdout.read().decode() if process.stdout else ""
                raise RuntimeError(f"the server exited with {process.returncode}:\n{out}")
            try:
                if requests.get(url + "/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not come up within 60 s")
            time.sleep(0.2)
        yield Live(url, process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
