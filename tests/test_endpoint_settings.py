"""Configuration flows one way — defaults, environment, explicit — and the README documents every setting."""

from pathlib import Path

import pytest

from pobratim.endpoint import create_app
from pobratim.endpoint.settings import SETTINGS, load
from pobratim.published import NotABuild
from tests.paths import REPO

from .conftest import Built


def test_readme_lists_every_setting() -> None:
    readme = (REPO / "docs" / "endpoint.md").read_text(encoding="utf-8")
    for s in SETTINGS:
        row = next((line for line in readme.splitlines() if line.startswith(f"| `{s.name}` |")), None)
        assert row is not None, f"README has no row for {s.name}"
        assert f"`{s.env}`" in row and s.meaning in row


def test_defaults_then_environment_then_overrides() -> None:
    assert load({}, environ={})["QUERY_TIMEOUT"] == 10.0
    env = {
        "POBRATIM_QUERY_TIMEOUT": "3.5",
        "POBRATIM_CORS_ORIGINS": "https://a.example, https://b.example",
        "POBRATIM_TRUST_PROXY": "yes",
    }
    cfg = load({}, environ=env)
    assert cfg["QUERY_TIMEOUT"] == 3.5 and cfg["TRUST_PROXY"] is True
    assert cfg["CORS_ORIGINS"] == ["https://a.example", "https://b.example"]
    assert load({"QUERY_TIMEOUT": 1.0}, environ=env)["QUERY_TIMEOUT"] == 1.0


def test_bad_settings_are_named() -> None:
    with pytest.raises(ValueError, match="POBRATIM_PORT='eighty'"):
        load({}, environ={"POBRATIM_PORT": "eighty"})
    with pytest.raises(ValueError, match="POBRATIM_TRUST_PROXY"):
        load({}, environ={"POBRATIM_TRUST_PROXY": "maybe"})
    with pytest.raises(KeyError, match="unknown setting 'TIMEOUT'"):
        load({"TIMEOUT": 3}, environ={})
    with pytest.raises(ValueError, match="must end with '/'"):
        load({"BASE_IRI": "https://x.example/data"}, environ={})


def test_app_refuses_a_folder_without_a_build(tmp_path: Path) -> None:
    with pytest.raises(NotABuild, match="no published build"):
        create_app({"DIST": str(tmp_path)})


def test_app_refuses_a_build_for_another_base(built: Built) -> None:
    with pytest.raises(NotABuild, match="base IRI"):
        create_app({"DIST": str(built.dist), "BASE_IRI": "http://elsewhere.example/"})


def test_state_lives_in_app_extensions(built: Built) -> None:
    app = create_app({"DIST": str(built.dist), "QUERY_WORKERS": 1})
    try:
        st = app.extensions["pobratim"]
        assert st.dist == built.dist.resolve() and st.manifest.triples > 2000
        client = app.test_client()
        assert client.get("/health").json["status"] == "ok"  # type: ignore[index]
    finally:
        app.extensions["pobratim"].pool.close()


def test_serve_exits_cleanly_without_a_build(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "pobratim", "serve", "--dist", str(tmp_path), "--port", "9"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 1 and "no published build" in out.stderr
