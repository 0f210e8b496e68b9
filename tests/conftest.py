"""Shared fixtures: a real build of the project's data, and fresh copies of the inputs to break."""

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph
import pytest
from rdflib import Dataset, Graph

from pobratim import published
from pobratim.build.assemble import build, load_ontology
from pobratim.build.pipeline import BuildResult, run_build
from pobratim.core.ids import DEFAULT_BASE
from pobratim.core.layout import Layout
from pobratim.endpoint import create_app
from pobratim.records.corpus import Corpus, load_corpus
from pobratim.shacl.report import load_shapes
from tests.support.paths import SEED

from .support import sites
from .support.inprocess import InProcess
from .support.live import Live, serving
from .support.review import Project, capture_waiblingen
from .support.virtuoso import Running, running_virtuoso

if TYPE_CHECKING:  # Playwright is imported by the browser fixture alone, where a browser runs
    from playwright.sync_api import Browser

BUILT_AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
# queries/twinnings.rq is a contract: other tools rely on exactly these variables, in this order.
TWINNINGS_VARIABLES = [
    "municipality",
    "municipalityLabel",
    "partner",
    "partnerLabelEn",
    "partnerLabelBg",
    "country",
    "start",
    "startKind",
    "source",
]


@dataclass(frozen=True)
class Built:
    """A published build of the real data in a temporary folder."""

    layout: Layout
    result: BuildResult

    @property
    def dist(self) -> Path:
        return self.layout.dist

    def open_store(self) -> pyoxigraph.Store:
        """Open the build's Oxigraph store, read only."""
        return pyoxigraph.Store.read_only(str(self.dist / published.STORE))


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(SEED)


@pytest.fixture(scope="session")
def dataset(corpus: Corpus) -> Dataset:
    return build(corpus, load_ontology(SEED.ontology), DEFAULT_BASE).to_dataset()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Build the project's data once per session (the build takes seconds, the tests only read it)."""
    root = tmp_path_factory.mktemp("built")
    layout = replace(SEED, dist=root / "dist")
    return Built(layout, run_build(layout, DEFAULT_BASE, BUILT_AT))


@pytest.fixture(scope="session")
def shapes() -> Graph:
    """The seed's SHACL shapes, read once (no test changes them)."""
    return load_shapes(SEED.shapes)


@pytest.fixture
def data_copy(tmp_path: Path) -> Layout:
    """A fresh copy of data/ with its own dist/, for tests that break the inputs."""
    shutil.copytree(SEED.data, tmp_path / "data")
    return replace(SEED, data=tmp_path / "data", dist=tmp_path / "dist")


@pytest.fixture
def capture_project(data_copy: Layout) -> Layout:
    """A fresh copy of data/ with the places of the fixture sites' pages added, for tests that capture them."""
    sites.add_fixture_places(data_copy.records / "places.yaml")
    return data_copy


@pytest.fixture
def site() -> Iterator[sites.Site]:
    """The fixture sites on a local web server (tests/support/sites.py), fresh for each test that may change them."""
    with sites.serving() as running:
        yield running


@pytest.fixture(scope="module")
def captured_waiblingen(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The seed data with the German fixture site's Waiblingen page captured and read, once per module."""
    return capture_waiblingen(tmp_path_factory.mktemp("review"))


@pytest.fixture
def review_project(captured_waiblingen: Project, tmp_path: Path) -> Project:
    """A fresh copy of the captured Waiblingen page and its proposals, for a test to review."""
    return captured_waiblingen.copy(tmp_path / "p")


STORES = ("embedded", "virtuoso")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the tests of a module that sets ``ON_BOTH_STORES = True`` once on each store."""
    if getattr(metafunc.module, "ON_BOTH_STORES", False) and "store" in metafunc.fixturenames:
        metafunc.parametrize("store", STORES, indirect=True, scope="session")


@pytest.fixture(scope="session")
def store(request: pytest.FixtureRequest) -> str:
    """The store behind the endpoint fixtures: ``embedded`` unless the module runs on both."""
    return str(getattr(request, "param", "embedded"))


@pytest.fixture(scope="session")
def virtuoso(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """pobratim's own Virtuoso with the session's build loaded, started once (free loopback ports, temp folder)."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso"), built.dist) as running:
        yield running


def store_settings(store: str, request: pytest.FixtureRequest) -> dict[str, str]:
    """The settings that put the endpoint on ``store`` (starting the session's Virtuoso when it is that)."""
    if store != "virtuoso":
        return {}
    running: Running = request.getfixturevalue("virtuoso")
    return {"STORE": "virtuoso", "VIRTUOSO_URL": running.url}


@pytest.fixture(scope="session")
def server(built: Built, store: str, request: pytest.FixtureRequest) -> Iterator[InProcess]:
    """The app with its default settings on the session's build, in the test's process (Flask's test client)."""
    app = create_app({"DIST": str(built.dist), **store_settings(store, request)})
    try:
        yield InProcess(app)
    finally:
        app.extensions["pobratim"].pool.close()


@pytest.fixture(scope="session")
def live(built: Built, store: str, request: pytest.FixtureRequest) -> Iterator[Live]:
    """The real server (``pobratim serve``) with its default settings, for real clients and the browser."""
    with serving(built.dist, settings=store_settings(store, request)) as running:
        yield running


@pytest.fixture(scope="module")
def one_worker(built: Built) -> Iterator[Live]:
    """The real server with one web process, so that what a hostile request costs it is what every other request
    waits behind; fresh for each module that bends it."""
    with serving(built.dist, WEB_WORKERS="1") as running:
        yield running


@pytest.fixture(scope="session")
def tight(built: Built, store: str, request: pytest.FixtureRequest) -> Iterator[Live]:
    """A server with small limits (2 s timeout, 5 rows, small requests) behind a trusted proxy; one web
    process, so that its two query workers are all the workers there are."""
    with serving(
        built.dist,
        settings=store_settings(store, request),
        WEB_WORKERS="1",
        QUERY_TIMEOUT="2",
        RESULT_LIMIT="5",
        MAX_REQUEST_BYTES="20000",
        QUERY_WORKERS="2",
        TRUST_PROXY="true",
        QUEUE_TIMEOUT="20",
        HEADER_TIMEOUT="1",
    ) as live:
        yield live


HOSTILE = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A server on a build whose labels carry markup, to prove pages escape it."""
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(SEED.data, root / "data")
    places = root / "data" / "records" / "places.yaml"
    text = places.read_text(encoding="utf-8")
    places.write_text(text.replace("{en: Luxor,", "{en: 'Luxor " + HOSTILE.replace("'", "''") + "',"), encoding="utf-8")
    layout = replace(SEED, data=root / "data", dist=root / "dist")
    run_build(layout, DEFAULT_BASE, BUILT_AT)
    with serving(layout.dist) as live:
        yield live


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Chromium as root needs --no-sandbox; the network flags stop it calling home on a closed network.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator["Browser"]:
    """Debian's Chromium, headless, driven by Playwright (no browser download of its own)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
