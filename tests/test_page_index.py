"""The page index: the build writes, for every resource, what its page reads of the graph; a page reads it there,
and finds what the store itself would give; a build without it, or with it changed, is refused."""

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from pobratim import published
from pobratim.core.ids import DEFAULT_BASE, NAMESPACES
from pobratim.page_index import COLUMNS, HAS_BODY, PageIndex, read, resources, write_index

from .conftest import Built
from .support.cli import pobratim
from .support.inprocess import InProcess
from .support.live import free_port
from .support.paths import REPO


def _same_as_the_store(index: PageIndex, store: ox.Store, iris: list[str]) -> None:
    """Each resource reads from the (bulk-written) index what ``read`` gives resource by resource, in order."""
    for iri in iris:
        found, expected = index.get(iri), read(store, iri)
        assert found is not None, iri
        assert found.description == expected.description, iri
        # The index keeps an empty answer where the store was asked and found nothing: the same rows.
        assert {k: v for k, v in found.rows.items() if v} == {k: v for k, v in expected.rows.items() if v}, iri


def test_every_resource_reads_from_the_index_what_the_store_gives(built: Built) -> None:
    store = built.open_store()
    index = PageIndex(built.dist / published.PAGES)
    iris = resources(store, DEFAULT_BASE)
    assert {DEFAULT_BASE + "id/place/bg/kazanlak", DEFAULT_BASE + "id/twinning/bg-kazanlak--it-cremona"} <= set(iris)
    assert not [iri for iri in iris if "#" in iri]  # a part is shown on its resource's page
    _same_as_the_store(index, store, iris)
    town = index.get(DEFAULT_BASE + "id/place/bg/kazanlak")
    assert town is not None and town.answer("twins") and town.answer("timeline")
    assert index.get(DEFAULT_BASE + "id/place/nowhere/at-all") is None


def test_the_bulk_index_of_a_synthetic_world_is_what_each_resource_reads(tmp_path: Path) -> None:
    """The index is gathered in bulk (one pass over the quads as the loader parses them, each page query once
    over every resource): on a synthetic world of 120 towns (twinnings with several sources, events, mayors),
    every resource finds there what ``read`` gives it from the store, and the index written from the store
    itself (``write_index``) is the same file."""
    data = tmp_path / "data"
    subprocess.run(
        [sys.executable, "-m", "bench.synth", "--towns", "120", "--out", str(data)],
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    dist = tmp_path / "dist"
    out = pobratim("build", "--data", str(data), "--out", str(dist), cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr
    store = ox.Store.read_only(str(dist / published.STORE))
    iris = resources(store, DEFAULT_BASE)
    index = PageIndex(dist / published.PAGES)
    _same_as_the_store(index, store, iris)
    towns = [iri for iri in iris if (page := index.get(iri)) is not None and len(page.answer("twins")) > 1]
    assert len(towns) > 50
    again = tmp_path / "again.sqlite"
    assert write_index(store, DEFAULT_BASE, again) == len(iris)
    assert again.read_bytes() == (dist / published.PAGES).read_bytes()


def test_a_page_the_index_leaves_to_the_store_is_served_from_it(built: Built, server: InProcess) -> None:
    store = built.open_store()
    quote = next(
        q.subject.value
        for q in store.quads_for_pattern(None, HAS_BODY, None, None)
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(DEFAULT_BASE + NAMESPACES["quote"])
    )
    assert PageIndex(built.dist / published.PAGES).get(quote) is None
    page = server.get("/" + quote.removeprefix(DEFAULT_BASE) + ".ttl")
    assert page.status_code == 200 and quote in page.text


def test_the_index_is_a_published_file_with_its_checksum(built: Built) -> None:
    sums = (built.dist / published.CHECKSUMS).read_text(encoding="utf-8")
    assert f"  {published.PAGES}\n" in sums
    with sqlite3.connect(f"{(built.dist / published.PAGES).as_uri()}?mode=ro", uri=True) as db:
        (count,) = db.execute("SELECT COUNT(*) FROM page").fetchone()
        names = [row[1] for row in db.execute("PRAGMA table_info(page)")]
    assert count == len(resources(ox.Store.read_only(str(built.dist / published.STORE)), DEFAULT_BASE))
    assert names == ["iri", *COLUMNS]


def test_a_build_without_its_page_index_is_refused(built: Built, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    shutil.copytree(built.dist.resolve(), dist)
    (dist / published.PAGES).unlink()
    out = pobratim("serve", "--dist", str(dist), "--port", str(free_port()), cwd=REPO, timeout=120)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert published.PAGES in out.stderr, out.stderr
