"""A real headless browser (Debian's Chromium) reviews a captured page on the review page, and a newcomer walks
the README's path: a page from a local web site → capture → extract → review in the browser → build → served.

Screenshots are kept in ``test-artefacts/`` (ignored by git) for a person to look at.
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, ConsoleMessage, Page
from rdflib import Graph, URIRef

from pobratim.core.vocab import POB
from pobratim.records.corpus import REGISTRY_FILES

from .conftest import CHROMIUM
from .support import live, sites
from .support.browser import shoot
from .support.cli import pobratim
from .support.paths import SEED
from .support.review import Project

PARTNERS = {"Mayenne", "Devizes", "Baja", "Jesi"}
BASE = "https://pobratim.example/"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is installed by `make setup`")


def watched(browser: Browser, origin: str) -> tuple[Page, list[str]]:
    """A page in a new context, and a list that gathers requests elsewhere and errors the console reports
    (a script the page's policy blocked, an exception)."""
    pg = browser.new_context(locale="en-GB").new_page()
    trouble: list[str] = []
    pg.on("request", lambda r: None if r.url.startswith(origin) else trouble.append(f"request {r.url}"))
    pg.on("console", lambda m: trouble.append(f"console {m.text}") if _is_error(m) else None)
    pg.on("pageerror", lambda e: trouble.append(f"error {e}"))
    return pg, trouble


def _is_error(message: ConsoleMessage) -> bool:
    return message.type == "error"


@pytest.fixture
def review_page(review_project: Project) -> Iterator[str]:
    """The review page of the project's proposals, as `pobratim review --web` serves it (a process of its own:
    the build it runs keeps its query results in its own threads); its address with the token."""
    root = review_project.proposals.parent
    command = ["review", "--web", str(review_project.proposals), "--data", str(review_project.layout.data)]
    review = subprocess.Popen(
        [sys.executable, "-m", "pobratim", *command, "--reviewer", "B. Rowser"],
        cwd=root,
        env={**os.environ, "POBRATIM_BASE_IRI": BASE},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert review.stdout is not None
        line = review.stdout.readline()
        assert " at http://127.0.0.1:" in line, line
        yield line.split(" at ", 1)[1].split()[0]
    finally:
        review.terminate()
        review.wait(10)


def item(page: Page, label: str) -> str:
    """The id of the proposal whose partner the page spells ``label``."""
    ident = page.locator("li.item", has=page.locator("strong.label", has_text=label)).first.get_attribute("data-item")
    assert ident is not None
    return ident


def select_in_text(page: Page, words: str, name: str) -> None:
    """Select ``name`` where ``words`` stand in the page's text, as a person drags the mouse over it."""
    page.evaluate(
        """([words, name]) => {
            const root = document.getElementById("page-text");
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(words);
                if (at < 0) continue;
                const start = at + words.indexOf(name);
                const range = document.createRange();
                range.setStart(node, start);
                range.setEnd(node, start + name.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                return;
            }
            throw new Error("not in the text: " + words);
        }""",
        [words, name],
    )


def test_a_page_is_reviewed_with_keys_marks_edits_and_a_missed_partner(
    browser: Browser,
    review_page: str,
    review_project: Project,
) -> None:
    # The reader missed Baja: its proposal is taken out, and the reviewer adds it from the text.
    data = yaml.safe_load(review_project.proposals.read_text(encoding="utf-8"))
    data["twinnings"] = [t for t in data["twinnings"] if t["partner_label"] != "Baja"]
    review_project.proposals.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    origin = review_page.split("/review/")[0]
    page, trouble = watched(browser, origin)
    page.goto(review_page)
    # The first proposal is selected and its evidence marked in the text.
    first = page.locator("li.item.selected")
    assert first.count() == 1
    assert page.locator("mark.current").count() >= 1
    shoot(page, "review-start")

    # Keys: walk to the planted "Rathaus" and reject it.
    rathaus = item(page, "Rathaus")
    for _ in range(page.locator("li.item").count()):
        if page.locator("li.item.selected").get_attribute("data-item") == rathaus:
            break
        page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("r")
    assert "rejected" in (page.locator(f"#p-{rathaus}").get_attribute("class") or "")

    # A mark in the text selects its proposal; "a" accepts it.
    mayenne = item(page, "Mayenne")
    page.locator("mark", has_text="Mayenne geschlossen").first.click()
    assert page.locator("li.item.selected").get_attribute("data-item") == mayenne
    with page.expect_navigation():
        page.keyboard.press("a")
    assert "accepted" in (page.locator(f"#p-{mayenne}").get_attribute("class") or "")

    # An edit: Devizes since the year only, as the reviewer prefers; accepted with the button.
    devizes = item(page, "Devizes")
    page.fill(f"#p-{devizes} input[name=start]", "1986")
    with page.expect_navigation():
        page.click(f"#p-{devizes} button.accept")

    # A missed partner: select "Baja" in the text, press n, pick the Hungarian town, add, accept.
    select_in_text(page, "Stadt Baja ist", "Baja")
    page.keyboard.press("n")
    assert page.input_value("#add-label") == "Baja"
    page.wait_for_selector("#add-partner option[value='hu/baja']", state="attached")
    page.select_option("#add-partner", "hu/baja")
    page.fill("#add input[name=start]", "1988-10-03")
    shoot(page, "review-add")
    with page.expect_navigation():
        page.click("#add button[type=submit]")
    baja = item(page, "Baja")
    with page.expect_navigation():
        page.click(f"#p-{baja} button.accept")

    # Build from the page: the reviewed records publish without a hand edit of places.yaml.
    with page.expect_navigation():
        page.click("#build")
    assert "published" in page.locator("pre.message").first.inner_text()
    shoot(page, "review-built")
    assert trouble == []

    written = review_project.written()
    assert {(t.partner, t.start) for t in written.twinnings} == {
        ("fr/mayenne", "1962-05-02"),
        ("gb/devizes", "1986"),
        ("hu/baja", "1988-10-03"),
    }
    places = review_project.places().places
    assert places["hu/baja"].local == {"de": "Baja"} and places["hu/baja"].bg is None
    assert (review_project.layout.dist / "build.json").exists()


def test_the_newcomer_path_from_a_web_page_to_served_facts(browser: Browser, tmp_path: Path) -> None:
    """README's newcomer path, as written there: three commands and one browser tab, no failed build."""
    root = tmp_path / "root"
    (root / "data" / "records").mkdir(parents=True)
    (root / "data" / "sources").mkdir()
    for name in REGISTRY_FILES:
        shutil.copyfile(SEED.records / name, root / "data" / "records" / name)
    with sites.serving() as site:
        # 1. capture: the municipality is the gazetteer's Waiblingen (no one has added it to places.yaml).
        done = pobratim("capture", f"{site.url}/de/partnerstaedte", "--municipality", "Waiblingen", cwd=root)
        assert done.returncode == 0, done.stdout + done.stderr
    capture_file = next((root / "data" / "sources").glob("*.yaml"))
    # 2. review the capture in the browser: it is read first, its proposals kept in data/proposals/; the page
    # builds and publishes.
    env = {**os.environ, "POBRATIM_BASE_IRI": BASE}
    review = subprocess.Popen(
        [sys.executable, "-m", "pobratim", "review", "--web", str(capture_file.relative_to(root))],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert review.stdout is not None
        read = review.stdout.readline()
        assert "proposals to " in read and "/data/proposals/" in read, read
        line = review.stdout.readline()
        address = line.split(" at ", 1)[1].split()[0]
        assert address.startswith("http://127.0.0.1:") and "/review/" in address
        page, trouble = watched(browser, address.split("/review/")[0])
        page.goto(address)
        for _ in range(page.locator("li.item.proposed").count()):  # each decision reloads the page
            li = page.locator("li.item.proposed").first
            ident = li.get_attribute("data-item")
            # A twinning is accepted if it is one of the four partners; the page's other facts (the council's
            # decision on Jesi) are accepted, and published with them.
            twinning = li.locator("span.section").inner_text() == "twinnings"
            accept = not twinning or li.locator("strong.label").inner_text() in PARTNERS
            with page.expect_navigation():
                page.click(f"#p-{ident} button.{'accept' if accept else 'reject'}")
        assert page.locator("li.item.proposed").count() == 0
        with page.expect_navigation():
            page.click("#build")
        message = page.locator("pre.message").first.inner_text()
        assert "published" in message, message
        shoot(page, "newcomer-built")
        assert trouble == []
    finally:
        review.terminate()
        review.wait(10)
    # 3. serve: the municipality's page answers with its four partners.
    with live.serving(root / "dist") as server:
        answer = server.get("/id/place/de/waiblingen.ttl")
        assert answer.status_code == 200, answer.text
        g = Graph().parse(data=answer.text, format="turtle")
        twinned = POB.twinnedWith
        me = URIRef(f"{BASE}id/place/de/waiblingen")
        partners = {str(o).rsplit("/", 1)[-1] for o in g.objects(me, twinned)}
        assert partners == {"mayenne", "devizes", "baja", "jesi"}
        html = server.get("/id/place/de/waiblingen.html", headers={"Accept-Language": "bg"})
        assert html.status_code == 200 and "Waiblingen" in html.text  # no Bulgarian name: the page says the English
