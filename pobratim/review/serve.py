"""Run the review page on 127.0.0.1 until the reviewer stops it."""

from pathlib import Path

from pobratim.core.layout import Layout


def serve_review(proposals: Path, layout: Layout, reviewer: str, port: int = 0) -> int:
    """Serve the review page of ``proposals``; print its address with the run's token."""
    raise NotImplementedError
