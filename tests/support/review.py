"""The German fixture site's Waiblingen page captured and read into proposals, for the review tests."""

import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from pobratim.cli import main
from pobratim.core.layout import Layout
from pobratim.extract.proposals import section_of
from pobratim.records.models import PlacesFile, RecordFile, load_yaml
from tests.support.paths import SEED
from tests.support.sites import serving

# The false partner the issue met: a word of the page's menu, given the sentence and date of another partner.
RATHAUS = {
    "id": "waiblingen-rathaus-planted",
    "municipality": "de/waiblingen",
    "partner": "ch/zurich-kreis-1-rathaus",
    "partner_label": "Rathaus",
    "country_label": "Switzerland",
    "kind": "twinning",
    "start": "1962-05-02",
    "review": {"status": "proposed", "confidence": 0.61},
}


@dataclass(frozen=True)
class Project:
    layout: Layout
    proposals: Path
    page: Path  # the captured text

    def proposal(self, partner_label: str) -> dict[str, Any]:
        """The proposal of ``partner_label`` as the proposals file holds it (YAML: any value)."""
        data = yaml.safe_load(self.proposals.read_text(encoding="utf-8"))
        return next(t for t in data["twinnings"] if t["partner_label"] == partner_label)

    def fact(self, ident: str) -> dict[str, Any]:
        """The proposal ``ident``, of any section, as the proposals file holds it."""
        found = section_of(yaml.safe_load(self.proposals.read_text(encoding="utf-8")), ident)
        assert found is not None, f"no proposal {ident} in {self.proposals}"
        return found[1]

    def places(self) -> PlacesFile:
        return load_yaml(self.layout.records / "places.yaml", PlacesFile)

    def written(self) -> RecordFile:
        return load_yaml(next(self.layout.records.glob("de-waiblingen-*-extracted.yaml")), RecordFile)

    def copy(self, into: Path) -> "Project":
        """A copy of the whole project (data and proposals) in ``into``, to review without touching this one."""
        shutil.copytree(self.proposals.parent, into)
        layout = replace(self.layout, data=into / "data", dist=into / "dist")
        return Project(layout, into / "proposals.yaml", layout.sources / self.page.name)


def capture_waiblingen(root: Path) -> Project:
    """The seed data in ``root`` with the Waiblingen page captured (Waiblingen is in no places.yaml) and read
    into proposals with the real commands, the Rathaus planted among them."""
    shutil.copytree(SEED.data, root / "data")
    layout = replace(SEED, data=root / "data", dist=root / "dist")
    with serving() as site:
        assert (
            main(
                ["capture", site.url + "/de/partnerstaedte", "--municipality", "Waiblingen", "--data", str(layout.data)]
            )
            == 0
        )
    page = next(layout.sources.glob("de-waiblingen-*.txt"))
    proposals = root / "proposals.yaml"
    args = ["extract", str(page), "--municipality", "Waiblingen", "--out", str(proposals), "--data", str(layout.data)]
    assert main(args) == 0
    # The Rathaus is planted whether or not today's reader still proposes it.
    data = yaml.safe_load(proposals.read_text(encoding="utf-8"))
    mayenne = next(t for t in data["twinnings"] if t["partner_label"] == "Mayenne")
    data["twinnings"] = [t for t in data["twinnings"] if t["partner_label"] != "Rathaus"] + [
        RATHAUS | {"quote": mayenne["quote"]}
    ]
    proposals.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Project(layout, proposals, page)
