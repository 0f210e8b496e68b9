"""pobratim as an installed tool: a wheel in a fresh virtual environment builds and serves a project folder
outside the checkout, with the ontology, shapes and example queries it ships."""

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from .support.live import serving
from .support.paths import REPO


def _install_wheel(tmp_path: Path) -> Path:
    """Build pobratim's wheel and install it alone into a fresh venv; return the venv's bin folder."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
    )
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    (wheel,) = wheels.glob("pobratim-*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    # The dependencies come from the test's own environment, as a plain path (its .pth files, among them the
    # editable install of this checkout, are not read), so the fresh venv imports pobratim from the wheel.
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


def test_an_installed_wheel_builds_and_serves_a_project_outside_the_checkout(tmp_path: Path) -> None:
    bin_ = _install_wheel(tmp_path)
    where = subprocess.run(
        [str(bin_ / "python"), "-c", "import pobratim; print(pobratim.__file__)"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(tmp_path / "venv")), where
    project = tmp_path / "project"
    shutil.copytree(REPO / "data", project / "data")
    built = subprocess.run(
        [str(bin_ / "pobratim"), "build"], cwd=project, capture_output=True, text=True, timeout=300, check=False
    )
    assert built.returncode == 0, built.stderr
    assert (project / "dist" / "build.json").is_file() and (project / "dist" / "queries" / "twinnings.rq").is_file()
    with serving(project / "dist", command=[str(bin_ / "pobratim")], cwd=project, WEB_WORKERS="1") as live:
        count = live.get(
            "/sparql",
            params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert count.status_code == 200
        assert int(count.json()["results"]["bindings"][0]["n"]["value"]) > 1000
        assert "SELECT" in live.get("/queries/twinnings.rq").text
        assert live.get("/").status_code == 200
