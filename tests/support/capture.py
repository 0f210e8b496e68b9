"""Run `pobratim capture` as the CLI does, without the pause between requests to one host."""

from datetime import UTC, datetime

from pobratim.capture.run import capture_command
from pobratim.core.layout import Layout

NOW = datetime(2026, 12, 5, 8, 30, 12, tzinfo=UTC)
CONTACT = "https://twins.example/about"


def capture(
    layout: Layout,
    *pages: str,
    municipality: str | None = "Gabrovo",
    now: datetime = NOW,
    timeout: float = 5.0,
    deadline: float = 10.0,
    max_bytes: int = 1 << 20,
) -> int:
    """Capture ``pages`` for ``municipality`` (no pages and no municipality: refresh every capture)."""
    return capture_command(
        list(pages),
        municipality,
        layout=layout,
        title=None,
        contact=CONTACT,
        now=now,
        timeout=timeout,
        deadline=deadline,
        max_bytes=max_bytes,
        min_interval=0,
    )
