"""The console script resolves and the command line answers."""

import subprocess
import sys
from importlib.metadata import entry_points

import pobratim


def test_every_console_script_resolves() -> None:
    scripts = [ep for ep in entry_points(group="console_scripts") if ep.value.startswith("pobratim.")]
    assert {ep.name for ep in scripts} >= {"pobratim"}
    for ep in scripts:
        assert callable(ep.load())


def test_version_has_one_source() -> None:
    out = subprocess.run([sys.executable, "-m", "pobratim", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"pobratim {pobratim.__version__}"
    assert pobratim.__version__ != "0.0.0"


def test_unknown_subcommand_fails() -> None:
    out = subprocess.run([sys.executable, "-m", "pobratim", "bild"], capture_output=True, text=True, check=False)
    assert out.returncode == 2 and "invalid choice" in out.stderr
