"""The source pages are kept byte for byte, each with complete metadata."""

import hashlib
from pathlib import Path

import pytest

from pobratim.records.corpus import load_sources
from pobratim.records.models import SourceMeta, load_yaml
from tests.support.paths import SEED

SHARED = SEED.data.parent.parent / "shared" / "sources"
METAS = sorted(SEED.sources.glob("*.yaml"))


def test_three_sources_with_metadata() -> None:
    assert len(METAS) == 3
    assert len(load_sources(SEED.sources)) == 3


@pytest.mark.parametrize("meta_path", METAS, ids=[m.stem for m in METAS])
def test_text_matches_its_checksum(meta_path: Path) -> None:
    meta = load_yaml(meta_path, SourceMeta)
    raw = (meta_path.parent / meta.file).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == meta.sha256
    # The captured file name ends with the first 16 hex digits of its capture id; the text is UTF-8.
    raw.decode("utf-8")
    assert meta.language == "bg"
    assert meta.title["bg"]


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/sources is not beside this checkout")
@pytest.mark.parametrize("meta_path", METAS, ids=[m.stem for m in METAS])
def test_text_is_byte_identical_to_the_shared_capture(meta_path: Path) -> None:
    meta = load_yaml(meta_path, SourceMeta)
    assert (meta_path.parent / meta.file).read_bytes() == (SHARED / meta.file).read_bytes()


def test_dates_the_pages_show() -> None:
    metas = {m.id: m for m in (load_yaml(p, SourceMeta) for p in METAS)}
    assert metas["kazanlak-cremona"].published == "2018-11-27"
    assert metas["kazanlak-cremona"].captured == "2025-06-18"
    assert metas["kazanlak-international-cooperation"].published == "2018-11-21"
    assert metas["asenovgrad-twin-towns"].published is None
