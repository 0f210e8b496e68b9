"""Run the command line as a user does: ``python -m pobratim`` in a process of its own."""

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def pobratim(
    *args: str,
    stdin: str | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run ``pobratim`` with ``args`` (``env``: variables set over this process's environment): its exit code,
    output and errors as text (a failing code raises nothing)."""
    return subprocess.run(
        [sys.executable, "-m", "pobratim", *args],
        input=stdin,
        cwd=cwd,
        env=None if env is None else {**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
