"""The console script resolves and the command line answers."""

import argparse
from importlib.metadata import entry_points
from pathlib import Path

import pobratim
from tests.support.cli import pobratim as run


def test_every_console_script_resolves() -> None:
    scripts = [ep for ep in entry_points(group="console_scripts") if ep.value.startswith("pobratim.")]
    assert {ep.name for ep in scripts} >= {"pobratim"}
    for ep in scripts:
        assert callable(ep.load())


def test_version_has_one_source() -> None:
    out = run("--version")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"pobratim {pobratim.__version__}"
    assert pobratim.__version__ != "0.0.0"


def test_unknown_subcommand_fails() -> None:
    out = run("bild")
    assert out.returncode == 2 and "invalid choice" in out.stderr


def test_a_bad_base_iri_in_the_environment_stops_build_and_serve_naming_it(tmp_path: Path) -> None:
    env = {"POBRATIM_BASE_IRI": "pobratim.example/"}
    for command in (["build", "--out", str(tmp_path / "dist")], ["serve", "--dist", str(tmp_path), "--port", "9"]):
        out = run(*command, env=env)
        assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
        assert "POBRATIM_BASE_IRI='pobratim.example/' is not accepted: BASE_IRI takes an absolute IRI" in out.stderr
    assert not (tmp_path / "dist").exists()


def test_help_describes_the_program_and_every_command() -> None:
    from pobratim.cli import parser

    top = parser()
    assert top.description and "linked open data" in top.description and "__" not in top.format_help()
    sub = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    listed = {a.dest: a.help for a in sub._choices_actions}
    assert set(listed) == set(sub.choices)
    for name, command in sub.choices.items():
        assert listed[name], name  # a line in `pobratim --help`
        assert command.description and len(command.description) > 20, name  # and one atop `pobratim NAME --help`
