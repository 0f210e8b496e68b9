"""Why pobratim keeps no deadline on a request body (``pobratim/endpoint/body_limit.py``): granian's
``wsgi.input.read(n)`` waits for all ``n`` bytes or the body's end, never returning what has come so far, so
a deadline checked between reads is never reached while a client trickles. When this test fails, granian
reads bodies otherwise and a deadline may have become possible."""

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

from .support.live import free_port

APP = """
import time


def app(environ, start_response):
    started = time.monotonic()
    data = environ["wsgi.input"].read(64)
    print(f"read {len(data)} bytes after {time.monotonic() - started:.2f} s", flush=True)
    start_response("200 OK", [("Content-Length", "0")])
    return [b""]
"""


def test_granians_read_waits_for_all_it_asks_for(tmp_path: Path) -> None:
    (tmp_path / "trickled.py").write_text(APP, encoding="utf-8")
    port = free_port()
    command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--working-dir", str(tmp_path), "trickled:app"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                client = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline and server.poll() is None, "granian did not come up"
                time.sleep(0.1)
        with client:
            client.sendall(b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n")
            for _ in range(6):  # 6 of the 64 bytes asked for, then nothing for 1.5 s, then the connection closes
                client.sendall(b"q")
                time.sleep(0.1)
            time.sleep(1.5)
        time.sleep(0.5)
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    found = re.search(r"read (\d+) bytes after ([\d.]+) s", output)
    assert found, output
    # The 6 bytes came within 0.6 s; read returned them only when the client closed.
    assert int(found.group(1)) == 6 and float(found.group(2)) >= 1.8, found.group(0)
