"""Keep what a browser test saw: screenshots in ``test-artefacts/`` (ignored by git) for a person to look at."""

from typing import TYPE_CHECKING

from tests.support.paths import REPO

if TYPE_CHECKING:  # Playwright is imported where a browser runs
    from playwright.sync_api import Page

ARTEFACTS = REPO / "test-artefacts"


def shoot(page: "Page", name: str) -> None:
    """Save the whole of ``page`` as ``test-artefacts/<name>.png``."""
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
