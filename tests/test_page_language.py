"""Every word a page shows is in the page's language: templates say each visible string through ``tr()`` (or
in a branch on the language), and values are noted in the page's language.

The check reads the templates with Jinja's own parser and their markup with Python's HTML parser: text left
outside ``tr()`` and outside a branch on ``lang`` would be shown untranslated on the Bulgarian pages.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import lxml.html
import pytest
from jinja2 import nodes

from .support.inprocess import InProcess

TEMPLATES = Path(__file__).resolve().parent.parent / "pobratim" / "endpoint" / "templates"
# Names that are the same in every language: the product, the standards and files they name.
NAMES = {"pobratim", "SPARQL", "YASGUI", "VoID", "SHA256SUMS", "SHA-256", "/.well-known/void", "(CONSTRUCT)"}
WORD = re.compile(r"[^\W\d_]{2,}")


def _on_language(test: nodes.Node) -> bool:
    names = [n.name for n in test.find_all(nodes.Name)] + [n.attr for n in test.find_all(nodes.Getattr)]
    return "lang" in names or (isinstance(test, nodes.Name) and test.name == "lang")


def _template_text(node: nodes.Node) -> list[str]:
    """The literal markup of a template, leaving out branches taken by language (each is one language's text)."""
    if isinstance(node, nodes.If | nodes.CondExpr) and _on_language(node.test):
        return []
    if isinstance(node, nodes.TemplateData):
        return [node.data]
    return [text for child in node.iter_child_nodes() for text in _template_text(child)]


class _Visible(HTMLParser):
    """Collect text a browser shows, leaving out code samples (<code>, <pre>), which are not prose."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.code += tag in ("code", "pre")
        for name, value in attrs:
            if name in ("title", "placeholder", "aria-label", "alt") and value and WORD.search(value):
                self.words.append(value)

    def handle_endtag(self, tag: str) -> None:
        self.code -= tag in ("code", "pre")

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if not self.code and WORD.search(text) and text not in NAMES:
            self.words.append(text)


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_no_template_shows_a_string_outside_tr(template: str) -> None:
    env = jinja2.Environment()
    visible = _Visible()
    visible.feed(" ".join(_template_text(env.parse((TEMPLATES / template).read_text("utf-8")))))
    leftover = [w for w in visible.words if not set(w.replace("·", " ").split()) <= NAMES]
    assert leftover == []


def test_the_checker_finds_an_untranslated_string() -> None:
    env = jinja2.Environment()
    visible = _Visible()
    page = "<p>{{ tr('Twin towns', 'Побратими') }}</p><h2>Statements</h2>{% if lang == 'bg' %}<p>Да</p>{% endif %}"
    visible.feed(" ".join(_template_text(env.parse(page))))
    assert visible.words == ["Statements"]


@pytest.mark.parametrize(
    "path", ["/id/place/bg/kazanlak.html", "/source/kazanlak-cremona.html", "/id/twinning/bg-kazanlak--it-cremona.html"]
)
def test_values_are_noted_in_the_pages_language(server: InProcess, path: str) -> None:
    doc = lxml.html.fromstring(server.get(path + "?lang=bg").text)
    notes = {n.text_content().strip() for n in doc.cssselect("table.statements .note")}
    english = {"date", "decimal", "gYear", "gYearMonth", "integer", "string"}
    assert notes and not notes & english
