"""Where the tests find the repository's own project: the seed data in data/."""

from pathlib import Path

from pobratim.core.layout import Layout

REPO = Path(__file__).resolve().parent.parent.parent
SEED = Layout.at(REPO)
