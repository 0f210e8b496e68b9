"""The ``pobratim`` command: parses arguments, calls the functions, prints."""

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .errors import BuildError
from .ids import DEFAULT_BASE
from .paths import Layout


def _progress(message: str) -> None:
    print(f"pobratim: {message}", file=sys.stderr, flush=True)


def _build_time() -> datetime:
    """Use SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


def cmd_build(args: argparse.Namespace) -> int:
    from .pipeline import run_build

    layout = Layout()
    if args.data is not None:
        layout = replace(layout, data=Path(args.data))
    if args.out is not None:
        layout = replace(layout, dist=Path(args.out))
    try:
        result = run_build(layout, args.base, _build_time(), _progress)
    except BuildError as err:
        print(
            f"pobratim build: {len(err.problems)} problem(s); nothing was published, {layout.dist} is unchanged:",
            file=sys.stderr,
        )
        for problem in err.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    p = result.published
    steps = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
    print(
        f"published {p.triples} triples ({p.quads} quads in {p.graphs} named graphs) to {layout.dist} -> "
        f"{p.folder.name}; {result.report.graphs_checked} graphs conform to the shapes; {steps}"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from endpoint.serve import serve

    return serve(args)


def parser() -> argparse.ArgumentParser:
    """Build the argument parser (kept separate so tests and docs can inspect it)."""
    p = argparse.ArgumentParser(prog="pobratim", description=__doc__)
    p.add_argument("--version", action="version", version=f"pobratim {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build, validate and publish the graph into dist/")
    b.add_argument(
        "--base",
        default=os.environ.get("POBRATIM_BASE_IRI", DEFAULT_BASE),
        help="base IRI of every resource (env POBRATIM_BASE_IRI; default %(default)s)",
    )
    b.add_argument("--data", default=None, help="input folder with sources/ and records/ (default: data/)")
    b.add_argument("--out", default=None, help="where to publish (default: dist/)")
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("serve", help="serve dist/ over SPARQL and HTTP")
    s.add_argument("--host", default=None, help="interface to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=None, help="port (default 8080)")
    s.add_argument("--dist", default=None, help="the published folder to serve (default: dist/)")
    s.set_defaults(func=cmd_serve)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line."""
    args = parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
