"""Settings flow one way — defaults, environment, explicit — are checked once, and docs/endpoint.md lists them."""

import subprocess
from dataclasses import FrozenInstanceError, replace
from pathlib import Path

import pytest

from pobratim.endpoint import create_app
from pobratim.published import NotABuild
from pobratim.settings import SPECS, STORE_NAMES, SettingError, Settings, base_iri, load, markdown_table
from pobratim.stores import STORES
from tests.support.cli import pobratim
from tests.support.paths import REPO

from .conftest import Built


def test_the_docs_carry_the_settings_table_as_the_settings_make_it() -> None:
    text = (REPO / "docs" / "endpoint.md").read_text(encoding="utf-8")
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("|")]
    assert table == markdown_table().splitlines()


def test_every_store_the_settings_accept_is_in_the_registry() -> None:
    assert set(STORE_NAMES) == set(STORES)


def test_defaults_then_environment_then_overrides() -> None:
    assert load({}, environ={}).query_timeout == 10.0
    env = {
        "POBRATIM_QUERY_TIMEOUT": "3.5",
        "POBRATIM_CORS_ORIGINS": "https://a.example, https://b.example",
        "POBRATIM_TRUST_PROXY": "yes",
        "POBRATIM_VIRTUOSO_SQL_PORT": "2000, 2001",
    }
    cfg = load({}, environ=env)
    assert cfg.query_timeout == 3.5 and cfg.trust_proxy is True
    assert cfg.cors_origins == ("https://a.example", "https://b.example")
    assert cfg.virtuoso_sql_port == (2000, 2001)
    given = load({"QUERY_TIMEOUT": 1, "DIST": "elsewhere", "CORS_ORIGINS": ["https://c.example"]}, environ=env)
    assert given.query_timeout == 1.0 and isinstance(given.query_timeout, float)
    assert given.dist == Path("elsewhere") and given.cors_origins == ("https://c.example",)


def test_settings_are_frozen_and_changes_are_checked() -> None:
    cfg = load({}, environ={})
    with pytest.raises(FrozenInstanceError):
        cfg.query_timeout = 3.0  # type: ignore[misc]
    assert replace(cfg, query_timeout=2.0).query_timeout == 2.0 and cfg.query_timeout == 10.0
    with pytest.raises(SettingError, match=r"QUERY_TIMEOUT=-1\.0 is not accepted"):
        replace(cfg, query_timeout=-1.0)
    with pytest.raises(SettingError, match="VIRTUOSO_SQL_PORT='1112' is not accepted"):
        Settings(virtuoso_sql_port=(1112,)).virtuoso_databases()
    one = Settings(virtuoso_url=("http://127.0.0.1:8891/sparql",))  # a server reads one database: no SQL port
    assert one.virtuoso_url == ("http://127.0.0.1:8891/sparql",)


# Issue 26: each of these once started a server that answered /health with 200 and every query with 503.
NONSENSE = [
    ("QUERY_TIMEOUT", "-5", "a number of seconds greater than 0"),
    ("RESULT_LIMIT", "0", "a whole number of at least 1"),
    ("ANSWER_MAX_BYTES", "-1", "a whole number of at least 1"),
    ("HEADER_TIMEOUT", "0", "a number of seconds greater than 0"),
    ("THREADS", "100000", "a whole number from 1 to 256"),
    ("PORT", "eighty", "a whole number from 1 to 65535"),
    ("TRUST_PROXY", "maybe", "a boolean"),
    ("STORE", "fuseki", "one of embedded, virtuoso"),
    ("BASE_IRI", "https://x.example/data", "an absolute IRI ending in '/'"),
    ("VIRTUOSO_URL", "https://x.example/sparql", "http:// URL"),
]


@pytest.mark.parametrize(("name", "value", "accepts"), NONSENSE)
def test_a_nonsense_value_is_refused_naming_the_setting_and_what_it_accepts(
    name: str, value: str, accepts: str
) -> None:
    with pytest.raises(SettingError) as refused:
        load({}, environ={f"POBRATIM_{name}": value})
    assert str(refused.value).startswith(f"POBRATIM_{name}={value!r} is not accepted: {name} takes ")
    assert accepts in str(refused.value)
    with pytest.raises(SettingError, match=f"^{name}="):
        load({name: value}, environ={})


def test_every_default_is_accepted_and_every_setting_says_what_it_accepts() -> None:
    assert Settings() == load({}, environ={})
    assert all(s.kind.accepts and s.meaning for s in SPECS)


def test_unknown_settings_are_named() -> None:
    with pytest.raises(SettingError, match="unknown setting 'TIMEOUT'"):
        load({"TIMEOUT": 3}, environ={})


def test_one_reader_of_the_base_iri() -> None:
    assert base_iri({}) == load({}, environ={}).base_iri
    assert base_iri({"POBRATIM_BASE_IRI": "https://x.example/"}) == "https://x.example/"
    with pytest.raises(SettingError, match=r"POBRATIM_BASE_IRI=.x\.example/. is not accepted"):
        base_iri({"POBRATIM_BASE_IRI": "x.example/"})


def test_app_refuses_a_folder_without_a_build(tmp_path: Path) -> None:
    with pytest.raises(NotABuild, match="no published build"):
        create_app({"DIST": str(tmp_path)})


def test_app_refuses_a_build_for_another_base(built: Built) -> None:
    with pytest.raises(NotABuild, match="base IRI"):
        create_app({"DIST": str(built.dist), "BASE_IRI": "http://elsewhere.example/"})


def test_app_serves_with_the_settings_it_is_given(built: Built) -> None:
    given = load({"DIST": str(built.dist), "QUERY_WORKERS": 1}, environ={})
    app = create_app(given)
    try:
        st = app.extensions["pobratim"]
        assert st.settings is given  # not loaded again
        assert st.dist == built.dist.resolve() and st.manifest.triples > 2000
        client = app.test_client()
        health = client.get("/health").json
        assert health is not None and health["status"] == "ok"
    finally:
        app.extensions["pobratim"].pool.close()


def _serve(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return pobratim("serve", "--dist", str(tmp_path), "--port", "9", env=env, timeout=60)


def test_serve_exits_cleanly_without_a_build(tmp_path: Path) -> None:
    out = _serve(tmp_path, {})
    assert out.returncode == 1 and "no published build" in out.stderr


def test_serve_refuses_nonsense_settings_before_anything_else(tmp_path: Path) -> None:
    out = _serve(tmp_path, {"POBRATIM_QUERY_TIMEOUT": "-5"})
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert "POBRATIM_QUERY_TIMEOUT='-5' is not accepted: QUERY_TIMEOUT takes a number of seconds" in out.stderr
