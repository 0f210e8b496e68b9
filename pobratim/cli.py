"""The ``pobratim`` command: parses arguments, calls the functions, prints."""

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pobratim import __version__
from pobratim.core.errors import BuildError
from pobratim.core.ids import DEFAULT_BASE
from pobratim.core.layout import Layout
from pobratim.wikidata.client import WDQS, WikidataClient

if TYPE_CHECKING:
    from pobratim.records.models import Source


def _layout(args: argparse.Namespace) -> Layout:
    """The project's layout (``--project``, else the current folder), with ``--data`` when one is given."""
    layout = Layout.at(Path(args.project) if args.project else None)
    data = getattr(args, "data", None)
    return layout if data is None else replace(layout, data=Path(data))


def _fail(command: str, message: object) -> int:
    """Say what went wrong on standard error and return the exit status for it."""
    print(f"pobratim {command}: {message}", file=sys.stderr)
    return 1


def _progress(message: str) -> None:
    print(f"pobratim: {message}", file=sys.stderr, flush=True)


def _build_time() -> datetime:
    """Use SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


def cmd_build(args: argparse.Namespace) -> int:
    from pobratim import settings
    from pobratim.build.pipeline import run_build
    from pobratim.settings import SettingError

    layout = _layout(args)
    if args.out is not None:
        layout = replace(layout, dist=Path(args.out))
    try:
        result = run_build(
            layout, args.base or settings.base_iri(), _build_time(), _progress, license=settings.load().license
        )
    except SettingError as err:
        return _fail("build", err)
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


def _client(args: argparse.Namespace) -> WikidataClient:
    cache = None if args.no_cache else Path(args.cache) if args.cache else _layout(args).cache / "wikidata"
    return WikidataClient(args.endpoint, cache=cache)


def cmd_link(args: argparse.Namespace) -> int:
    from pobratim.records.corpus import load_corpus
    from pobratim.records.links import load_links, write_links
    from pobratim.wikidata.client import EndpointError
    from pobratim.wikidata.linker import propose

    layout = _layout(args)
    path = Path(args.links) if args.links else layout.links / "wikidata.yaml"
    try:
        corpus = load_corpus(layout)
        existing = load_links(path)
        client = _client(args)
        links = propose(corpus.places.places, client, existing)
    except BuildError as err:
        return _fail("link", err)
    except EndpointError as err:
        return _fail("link", f"{err}; {path} is unchanged")
    write_links(path, links)
    counts: dict[str, int] = {}
    for link in links.links.values():
        counts[link.status] = counts.get(link.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    ambiguous = sum(link.ambiguous for link in links.links.values())
    print(f"wrote {path}: {summary} ({ambiguous} ambiguous); {client.asked} queries to {client.endpoint}")
    return 0


def cmd_wikidata_diff(args: argparse.Namespace) -> int:
    from pobratim.published import NotABuild
    from pobratim.records.links import load_links
    from pobratim.wikidata.client import EndpointError
    from pobratim.wikidata.diff import diff, report

    layout = _layout(args)
    links_path = Path(args.links) if args.links else layout.links / "wikidata.yaml"
    dist = Path(args.dist) if args.dist else layout.dist
    try:
        links = load_links(links_path)
    except BuildError as err:
        return _fail("wikidata-diff", err)
    if links is None or not links.accepted():
        return _fail("wikidata-diff", f"no accepted links in {links_path}; run `pobratim link` and review it")
    try:
        result = diff(dist, links, _client(args))  # the build's own base IRI, from its manifest
    except (EndpointError, NotABuild) as err:
        return _fail("wikidata-diff", err)
    except OSError as err:
        return _fail("wikidata-diff", f"cannot open the build in {dist}: {err}")
    print(report(result, links))
    out = Path(args.quickstatements)
    out.write_text("".join(line + "\n" for line in result.quickstatements), encoding="utf-8")
    print(f"QuickStatements (v1) written to {out}")
    return 0


def _municipality_key(name: str | None, layout: Layout) -> str | None:
    from pobratim.records.models import PlacesFile, load_yaml

    if name is None:
        return None
    places = load_yaml(layout.records / "places.yaml", PlacesFile)
    for key, place in places.places.items():
        if name.casefold() in {n.casefold() for n in place.names}:
            return key
    from pobratim.core import gazetteer
    from pobratim.core.ids import place_key

    found = gazetteer.lookup(name)
    return place_key(found[0].country, found[0].name) if found else None


def cmd_extract(args: argparse.Namespace) -> int:
    import json

    from pobratim.extract.batch import named, read_pages, unreviewed
    from pobratim.extract.proposals import proposals_text

    layout = _layout(args)
    jobs = unreviewed(layout) if args.unreviewed else named(args.page, args.municipality, args.lang, layout)
    if not jobs:
        if args.unreviewed:
            return _fail("extract", f"every source in {layout.sources} is cited by a record file: none to read")
        return _fail("extract", "no pages to read: name pages or folders, or --unreviewed")
    if len(jobs) > 1 or args.unreviewed:
        if not args.json:
            return _fail("extract", "several pages are read with --json (one object per proposal, with its page)")
        status = 0
        for outcome in read_pages(jobs, args.possible):  # the gazetteer and dictionaries loaded once for all
            if outcome.problem:
                status = _fail("extract", outcome.problem)
            for p in outcome.proposals:
                print(
                    json.dumps({"kind": "twinning", **p.as_json(), "page": str(outcome.job.path)}, ensure_ascii=False)
                )
            for f in outcome.facts():
                print(json.dumps({**f.as_json(), "page": str(outcome.job.path)}, ensure_ascii=False))
        return status
    page = jobs[0].path
    outcome = next(read_pages(jobs, args.possible))
    if outcome.problem:
        return _fail("extract", outcome.problem)
    proposals = outcome.proposals
    if args.json:
        for p in proposals:
            print(json.dumps({"kind": "twinning", **p.as_json()}, ensure_ascii=False))
        for f in outcome.facts():
            print(json.dumps(f.as_json(), ensure_ascii=False))
        return 0
    key = _municipality_key(args.municipality, layout)
    if key is None:
        return _fail(
            "extract",
            "name the page's municipality with --municipality (a place in places.yaml or the gazetteer) to write "
            "records; --json needs none",
        )
    facts = outcome.facts()
    body = proposals_text(page, proposals, layout, key, args.lang, facts)
    if args.out:
        Path(args.out).write_text(body, encoding="utf-8")
        print(f"wrote {len(proposals) + len(facts)} proposals to {args.out} ({len(proposals)} twinnings)")
    else:
        sys.stdout.write(body)
    return 0


def _proposals_of(source: "Source", layout: Layout) -> Path | str:
    """Read a captured page and return its proposals file (data/proposals/<id>.yaml), or why it was not read;
    a file kept from an earlier run is returned as it is, so a review goes on where it stopped."""
    from pobratim.extract.batch import Job, read_pages
    from pobratim.extract.proposals import proposals_text

    out = layout.data / "proposals" / f"{source.meta.id}.yaml"
    if out.is_file():
        print(f"going on with the proposals in {out}")
        return out
    page = source.path
    name = next(iter(source.meta.publisher_name.values()))
    outcome = next(read_pages([Job(page, name, str(source.meta.language))]))
    if outcome.problem:
        return outcome.problem
    out.parent.mkdir(parents=True, exist_ok=True)
    facts = outcome.facts()
    body = proposals_text(page, outcome.proposals, layout, source.meta.publisher, str(source.meta.language), facts)
    out.write_text(body, encoding="utf-8")
    n = len(outcome.proposals)
    print(f"read {page}: wrote {n + len(facts)} proposals to {out} ({n} twinnings)")
    return out


def cmd_review(args: argparse.Namespace) -> int:
    from pobratim.extract.proposals import captured, review
    from pobratim.records.models import RecordFile, Twinning, load_yaml

    path = Path(args.proposals)
    if (source := captured(path, _layout(args))) is not None:
        made = _proposals_of(source, _layout(args))
        if isinstance(made, str):
            return _fail("review", made)
        path = made
    try:
        records = load_yaml(path, RecordFile)
    except BuildError as err:
        return _fail("review", err)
    if args.web:
        from pobratim.review.serve import serve_review

        return serve_review(path, _layout(args), args.reviewer, args.port)
    pending = [t for t in records.facts() if t.review is not None and t.review.status == "proposed"]
    decisions: dict[str, str] = {}
    if args.accept_all:
        decisions = {t.id: "accepted" for t in pending}
    for ident in args.accept or []:
        decisions[ident] = "accepted"
    for ident in args.reject or []:
        decisions[ident] = "rejected"
    unknown = set(decisions) - {t.id for t in records.facts()}
    if unknown:
        return _fail("review", f"no proposal {', '.join(sorted(unknown))} in {path}")
    if not decisions:
        for t in pending:
            confidence = t.review.confidence if t.review else None
            if isinstance(t, Twinning):
                print(
                    f"\n{t.id}: {t.municipality} — {t.partner} ({t.partner_label}, {t.country_label}); "
                    f"start {t.start or '—'} ({t.start_kind or '—'}); confidence {confidence}"
                )
            else:  # a document, mayor, event or membership: its fields as the records file writes them
                fields = t.model_dump(exclude={"id", "quote", "review"}, exclude_none=True, exclude_defaults=True)
                print(f"\n{t.id}: {type(t).__name__} {fields}; confidence {confidence}")
            print(f"  quote: {t.quote[0]}")
            if t.review and t.review.evidence:
                print(f"  why: {'; '.join(t.review.evidence)}")
            answer = input("  accept? [y]es / [n]o / [s]kip / [q]uit: ").strip().lower()
            if answer.startswith("q"):
                break
            if answer.startswith("y"):
                decisions[t.id] = "accepted"
            elif answer.startswith("n"):
                decisions[t.id] = "rejected"
    outcome = review(path, decisions, args.reviewer, _layout(args))
    print(f"{outcome.summary()}\nrun `pobratim build` to publish")
    return 1 if outcome.refused else 0


def cmd_capture(args: argparse.Namespace) -> int:
    from pobratim.capture.run import capture_command

    layout = _layout(args)
    if args.refresh == bool(args.pages):
        return _fail("capture", "give pages to capture (with --municipality), or --refresh alone")
    if args.pages and args.municipality is None:
        return _fail("capture", "name the municipality whose pages these are with --municipality")
    return capture_command(
        args.pages,
        args.municipality,
        layout=layout,
        title=args.title,
        contact=args.contact,
        timeout=args.timeout,
        max_bytes=args.max_bytes,
        now=datetime.now(tz=UTC).replace(microsecond=0),
    )


def cmd_serve(args: argparse.Namespace) -> int:
    from pobratim import settings
    from pobratim.endpoint.serve import serve

    overrides: dict[str, object] = {}
    if args.dist is not None or args.project is not None:
        overrides["DIST"] = args.dist or str(_layout(args).dist)
    if args.host is not None:
        overrides["HOST"] = args.host
    if args.port is not None:
        overrides["PORT"] = args.port
    try:
        chosen = settings.load(overrides)
    except settings.SettingError as err:
        return _fail("serve", err)
    return serve(chosen)


def cmd_virtuoso(args: argparse.Namespace) -> int:
    from pobratim import settings
    from pobratim.published import NotABuild
    from pobratim.virtuoso.errors import VirtuosoError
    from pobratim.virtuoso.instance import Instance
    from pobratim.virtuoso.loader import load

    command = f"virtuoso {args.action}"
    try:
        config = settings.load()
        instances = Instance.all(config)
        if args.action == "start":
            for instance in instances:
                started = instance.start(config)
                print(
                    f"Virtuoso {'started' if started else 'already runs'}: SPARQL at {instance.url} ({instance.folder})"
                )
        elif args.action == "stop":
            for instance in instances:
                print(f"Virtuoso {'stopped' if instance.stop() else 'was not running'} ({instance.url})")
        else:
            dist = Path(args.dist) if args.dist else config.dist
            loaded = load(instances, dist.resolve(), config, _progress, args.wait)
            steps = ", ".join(f"{k} {v:.2f}s" for k, v in loaded.timings.items())
            done = f"loaded {loaded.quads} quads ({steps})" if loaded.fresh else "already held"
            print(f"Virtuoso at {loaded.url} holds the build {loaded.version} of {dist}: {done}")
    except (VirtuosoError, NotABuild, ValueError, OSError) as err:
        return _fail(command, err)
    return 0


def parser() -> argparse.ArgumentParser:
    """Build the argument parser (kept separate so tests and docs can inspect it)."""
    p = argparse.ArgumentParser(
        prog="pobratim",
        description=(
            "Publish what municipal web pages say about their twin towns as linked open data: bring pages in, "
            "propose their facts for review, build a SHACL-validated graph, serve it over SPARQL with dumps and "
            "pages, and compare it with Wikidata. Works on the project in the current folder (data/ in, dist/ out)."
        ),
        epilog=(
            "A page's way in: pobratim capture URL --municipality NAME; pobratim extract --unreviewed; "
            "pobratim review PROPOSALS; pobratim build; pobratim serve. "
            "`pobratim COMMAND --help` tells more of each."
        ),
    )
    p.add_argument("--version", action="version", version=f"pobratim {__version__}")
    p.add_argument(
        "--project", default=None, help="the project folder holding data/ and dist/ (default: the current folder)"
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build, validate and publish the graph into dist/")
    b.add_argument(
        "--base",
        default=None,
        help=f"base IRI of every resource (default: env POBRATIM_BASE_IRI, else {DEFAULT_BASE})",
    )
    b.add_argument("--data", default=None, help="input folder with sources/ and records/ (default: data/)")
    b.add_argument("--out", default=None, help="where to publish (default: dist/)")
    b.set_defaults(func=cmd_build)

    def wikidata_options(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument(
            "--endpoint",
            default=os.environ.get("POBRATIM_WIKIDATA_ENDPOINT", WDQS),
            help="SPARQL endpoint holding Wikidata (default %(default)s)",
        )
        cmd.add_argument("--links", default=None, help="the links file (default: data/links/wikidata.yaml)")
        cmd.add_argument(
            "--cache",
            default=None,
            help="where answers are cached so a rerun does not ask again (default: .cache/wikidata/)",
        )
        cmd.add_argument("--no-cache", action="store_true", help="ask the endpoint again")

    lk = sub.add_parser("link", help="propose a Wikidata item for every place into data/links/wikidata.yaml")
    wikidata_options(lk)
    lk.add_argument("--data", default=None, help="input folder (default: data/)")
    lk.set_defaults(func=cmd_link)

    wd = sub.add_parser("wikidata-diff", help="compare our twinnings with Wikidata's P190; write QuickStatements")
    wikidata_options(wd)
    wd.add_argument("--dist", default=None, help="the published build to compare (default: dist/)")
    wd.add_argument(
        "--quickstatements",
        default="wikidata-quickstatements.tsv",
        help="where to write the QuickStatements v1 lines (default %(default)s)",
    )
    wd.set_defaults(func=cmd_wikidata_diff)

    ex = sub.add_parser("extract", help="propose twinning records from a page's text")
    ex.add_argument(
        "page", nargs="*", type=Path, help="pages' texts (as captured: menus and sidebars included), or folders of them"
    )
    ex.add_argument(
        "--unreviewed", action="store_true", help="read every source in data/sources/ that no record file cites"
    )
    ex.add_argument("--possible", action="store_true", help="also list the unsure proposals below the cut")
    ex.add_argument("--municipality", default=None, help="the municipality whose page it is (English or Bulgarian)")
    ex.add_argument("--lang", default=None, help="the page's language (default: from data/sources/, else und)")
    ex.add_argument("--json", action="store_true", help="print one JSON object per proposed twinning")
    ex.add_argument("--out", default=None, help="write the proposals file here (default: standard output)")
    ex.add_argument("--data", default=None, help="data folder whose places and sources to use (default: data/)")
    ex.set_defaults(func=cmd_extract)

    rv = sub.add_parser("review", help="accept or reject proposals into data/records/")
    rv.add_argument(
        "proposals",
        help="a proposals file written by `pobratim extract`, or a captured page in data/sources/ (read first, "
        "its proposals kept in data/proposals/)",
    )
    rv.add_argument("--accept", action="append", metavar="ID", help="accept this proposal (repeatable)")
    rv.add_argument("--reject", action="append", metavar="ID", help="reject this proposal (repeatable)")
    rv.add_argument("--accept-all", action="store_true", help="accept every pending proposal")
    rv.add_argument("--reviewer", default=os.environ.get("USER", "reviewer"), help="who decides (default $USER)")
    rv.add_argument("--data", default=None, help="data folder to write the records into (default: data/)")
    rv.add_argument("--web", action="store_true", help="review in the browser: a page on 127.0.0.1 with a token")
    rv.add_argument("--port", type=int, default=0, help="the review page's port with --web (default: a free one)")
    rv.set_defaults(func=cmd_review)

    cp = sub.add_parser("capture", help="bring pages in: fetch (or read saved) pages into data/sources/")
    cp.add_argument("pages", nargs="*", metavar="URL|FILE", help="web addresses, or saved .html / .txt files")
    cp.add_argument("--municipality", default=None, help="whose pages they are: a place in places.yaml (key or name)")
    cp.add_argument("--refresh", action="store_true", help="fetch every captured address again (conditionally)")
    cp.add_argument("--title", default=None, help="the title of a page that has none (a .txt file)")
    cp.add_argument("--data", default=None, help="data folder with sources/ and records/ (default: data/)")
    cp.add_argument(
        "--contact",
        default=os.environ.get("POBRATIM_CONTACT", os.environ.get("POBRATIM_BASE_IRI", DEFAULT_BASE)),
        help="the address the User-Agent names for site owners (env POBRATIM_CONTACT; default the base IRI)",
    )
    cp.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a server (default %(default)s)")
    cp.add_argument(
        "--max-bytes", type=int, default=5 * 1024 * 1024, help="the largest page taken (default %(default)s)"
    )
    cp.set_defaults(func=cmd_capture)

    s = sub.add_parser("serve", help="serve dist/ over SPARQL and HTTP")
    s.add_argument("--host", default=None, help="interface to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=None, help="port (default 8080)")
    s.add_argument("--dist", default=None, help="the published folder to serve (default: dist/)")
    s.set_defaults(func=cmd_serve)

    vt = sub.add_parser(
        "virtuoso", help="run pobratim's own Virtuoso (POBRATIM_VIRTUOSO_* settings) and load a build into it"
    )
    vt.add_argument("action", choices=["start", "stop", "load"], help="start or stop the instance, or load a build")
    vt.add_argument("--dist", default=None, help="the published build to load (default: dist/)")
    vt.add_argument(
        "--wait",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="how long a load waits for servers to let go of the build it would replace (default %(default)s)",
    )
    vt.set_defaults(func=cmd_virtuoso)
    # `pobratim COMMAND --help` opens with the line `pobratim --help` lists for it.
    for action in sub._choices_actions:
        command = sub.choices[action.dest]
        said = action.help or ""
        command.description = command.description or f"{said[:1].upper()}{said[1:]}."
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line."""
    args = parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
