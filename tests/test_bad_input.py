"""Bad input stops the build with a located message and a non-zero exit, and dist/ stays as it was."""

import shutil
import subprocess
from pathlib import Path

import pytest

from pobratim.build.staging import LOCK, builds_folder
from pobratim.core.layout import Layout
from tests.support.cli import pobratim
from tests.support.files import snapshot

from .conftest import Built


def run_build(layout: Layout) -> subprocess.CompletedProcess[str]:
    return pobratim("build", "--data", str(layout.data), "--out", str(layout.dist), timeout=120)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CASES = {
    "malformed yaml": (
        "records/asenovgrad-twin-towns.yaml",
        "  - id: asenovgrad-kocaeli\n",
        "  - id: [asenovgrad-kocaeli\n",
        ["asenovgrad-twin-towns.yaml:", "malformed YAML"],
    ),
    "unknown field": (
        "records/asenovgrad-twin-towns.yaml",
        "    partner: tr/kocaeli\n",
        "    partner: tr/kocaeli\n    sister: yes\n",
        [
            "asenovgrad-twin-towns.yaml:",
            "record twinnings[0] (id=asenovgrad-kocaeli)",
            "field sister",
            "Extra inputs",
        ],
    ),
    "quote not in source": (
        "records/kazanlak-international-cooperation.yaml",
        "град Верия (Гърция – от 1980 г.)",
        "град Верия (Гърция – от 1981 г.)",
        [
            "kazanlak-international-cooperation.yaml",
            "record Twinning kazanlak-list-veria",
            "field quote[0]",
            "quote not found in 001_75e2292177786f6b.txt",
        ],
    ),
    "unknown country": (
        "records/asenovgrad-twin-towns.yaml",
        "    country_label: Република Индонезия\n",
        "    country_label: Атлантида\n",
        [
            "asenovgrad-twin-towns.yaml",
            "record Twinning asenovgrad-denpasar",
            "field country_label",
            "unknown country 'Атлантида'",
        ],
    ),
    "source checksum changed": (
        "sources/003_aa580feb917a5c0c.txt",
        "Град Килкиш",
        "Град Кукуш",
        ["003_aa580feb917a5c0c.txt", "field sha256", "checksum changed"],
    ),
    "graph fails the shapes": (
        # Kilkis made a region: a twinning's parties are municipalities (checked by the shapes, not the records).
        "records/places.yaml",
        "  gr/kilkis: {en: Kilkis, bg: Килкиш, local: {el: Κιλκίς}, kind: town}\n",
        "  gr/kilkis: {en: Kilkis, bg: Килкиш, local: {el: Κιλκίς}, kind: region}\n",
        [
            "asenovgrad-twin-towns.yaml",
            "record asenovgrad-kilkis",
            "shape pobsh:TwinningShape",
            "pob:Municipality",
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_stops_the_build_and_keeps_dist(case: str, data_copy: Layout, built: Built) -> None:
    shutil.copytree(built.dist.resolve(), data_copy.dist)
    before = snapshot(data_copy.dist)
    relative, old, new, expected = CASES[case]
    edit(data_copy.data / relative, old, new)
    result = run_build(data_copy)
    assert result.returncode != 0
    for fragment in expected:
        assert fragment in result.stderr, (fragment, result.stderr)
    assert "nothing was published" in result.stderr
    assert snapshot(data_copy.dist) == before
    # A build stopped by the gate after staging its folder (store loading meanwhile) leaves no folder behind.
    builds = builds_folder(data_copy.dist)
    # Nothing of the failed build is left; the lock file (no build holds it now) stays for the next one.
    assert not builds.exists() or [p.name for p in builds.iterdir()] == [LOCK]


def test_a_good_build_replaces_dist(data_copy: Layout, built: Built) -> None:
    shutil.copytree(built.dist.resolve(), data_copy.dist)
    (data_copy.dist / "marker").write_text("old build")
    result = run_build(data_copy)
    assert result.returncode == 0, result.stderr
    assert "published" in result.stdout and "conform" in result.stdout
    assert data_copy.dist.is_symlink()
    assert not (data_copy.dist / "marker").exists()
    # The replaced plain folder is kept aside, not deleted: a server may still be reading it.
    kept = list(builds_folder(data_copy.dist).glob("previous-*/marker"))
    assert len(kept) == 1
