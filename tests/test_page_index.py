"""The page index: the build writes, for every resource, what its page reads of the graph; a page reads it there,
and finds what the store itself would give; a build without it, or with it changed, is refused."""

import shutil
import sqlite3
from pathlib import Path

import pyoxigraph as ox

from pobratim import published
from pobratim.core.ids import DEFAULT_BASE, NAMESPACES
from pobratim.page_index import COLUMNS, HAS_BODY, PageIndex, read, resources

from .conftest import Built
from .support.cli import pobratim
from .support.inprocess import InProcess
from .support.live import free_port
from .support.paths import REPO


def test_every_resource_reads_from_the_index_what_the_store_gives(built: Built) -> None:
    store = built.open_store()
    index = PageIndex(built.dist / published.PAGES)
    iris = resources(store, DEFAULT_BASE)
    assert {DEFAULT_BASE + "id/place/bg/kazanlak", DEFAULT_BASE + "id/twinning/bg-kazanlak--it-cremona"} <= set(iris)
    assert not [iri for iri in iris if "#" in iri]  # a part is shown on its resource's page
    for iri in iris:
        found, expected = index.get(iri), read(store, iri)
        assert found is not None, iri
        assert found.description == expected.description, iri
        # The index keeps an empty answer where the store was asked and found nothing: the same rows.
        assert {k: v for k, v in found.rows.items() if v} == {k: v for k, v in expected.rows.items() if v}, iri
    town = index.get(DEFAULT_BASE + "id/place/bg/kazanlak")
    assert town is not None and town.answer("twins") and town.answer("timeline")
    assert index.get(DEFAULT_BASE + "id/place/nowhere/at-all") is None


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
