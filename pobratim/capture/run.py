"""The ``pobratim capture`` command: capture the pages named, or refresh every captured address; print."""

import sys
from datetime import datetime
from pathlib import Path

from pobratim.capture.capture import Captured, CaptureError, capture_file, capture_url, publisher
from pobratim.capture.fetch import Fetcher, Policy, user_agent
from pobratim.capture.refresh import Outcome, refresh
from pobratim.core.layout import Layout


def _is_address(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def _say(captured: Captured) -> str:
    meta = captured.meta
    where = meta.final_url or meta.url or "a saved file"
    if not captured.new:
        return f"unchanged: {where} is already captured as {captured.path} (the same text)"
    note = ""
    if captured.declared_language and captured.declared_language != meta.language:
        note = f"; the page says lang={captured.declared_language}, its text reads as {meta.language}"
    return (
        f"captured {where} -> {captured.path} ({meta.language}, {next(iter(meta.title.values()))!r}{note})\n"
        f"  next: pobratim review --web {captured.path}"
    )


def _report(outcome: Outcome, out: list[str], err: list[str]) -> None:
    if outcome.error is not None:
        err.append(f"failed: {outcome.error}")
    elif outcome.new is None:
        how = "304 Not Modified" if outcome.not_modified else "the same text"
        out.append(f"unchanged: {outcome.url} ({how}; latest capture {outcome.latest.id})")
    else:
        if outcome.earlier:
            out.append(f"changed: {outcome.url}: back to the text of {outcome.new.id}, since {outcome.latest.id}")
        else:
            out.append(f"changed: {outcome.url}: new capture {outcome.new.id} beside {outcome.latest.id}")
        for stale in outcome.stale:
            out.append(
                f"  no longer on the page: {stale.records}: fact {stale.fact} (cites {stale.source}): {stale.quote!r}"
            )
        if outcome.stale:
            out.append(
                f"  the build keeps publishing these against {outcome.latest.id} until they are reviewed on "
                f"{outcome.new.id}"
            )


def capture_command(
    pages: list[str],
    municipality: str | None,
    *,
    layout: Layout,
    title: str | None,
    contact: str,
    timeout: float,
    max_bytes: int,
    now: datetime,
    deadline: float = 30.0,
    min_interval: float = 1.0,
) -> int:
    """Capture ``pages`` for ``municipality`` (or refresh every capture when there are none); return the exit code.

    Each page stands alone: one that fails is named with the reason and the others are still captured.
    """
    policy = Policy(
        user_agent(contact), timeout=timeout, deadline=deadline, max_bytes=max_bytes, min_interval=min_interval
    )
    fetcher = Fetcher(policy)
    out: list[str] = []
    err: list[str] = []
    try:
        if not pages:
            for outcome in refresh(layout.sources, layout.records, fetcher, now):
                _report(outcome, out, err)
            if not out and not err:
                out.append(f"no captured addresses in {layout.sources}")
        else:
            assert municipality is not None
            who = publisher(municipality, layout.records / "places.yaml")
            for target in pages:
                try:
                    if _is_address(target):
                        captured = capture_url(target, fetcher, layout.sources, who, now, title)
                    else:
                        captured = capture_file(Path(target), layout.sources, who, title)
                    out.append(_say(captured))
                except CaptureError as error:
                    err.append(f"failed: {error}; nothing written")
    except CaptureError as error:
        err.append(str(error))
    finally:
        fetcher.close()
    for line in out:
        print(line)
    for line in err:
        print(f"pobratim capture: {line}", file=sys.stderr)
    return 1 if err else 0
