"""Take a page's main text, title and language out of its HTML.

The main text is what readability-lxml keeps of the page (menus, sidebars and footers dropped), laid out
as text by inscriptis (a list item or a table row per line); docs/capture.md says why these two and what
they were measured against.
"""

import re
from dataclasses import dataclass

import lxml.html
import py3langid
from inscriptis import get_text
from lxml import etree
from pydantic import TypeAdapter
from readability import Document

from pobratim.records.models import LangTag

_BLANK_RUNS = re.compile(r"\n{3,}")
_LANG = TypeAdapter(LangTag)


class NoText(ValueError):
    """The page holds no text to keep."""


@dataclass(frozen=True)
class Page:
    title: str | None  # the page's <title>, as written
    text: str  # its main text
    declared_language: str | None  # the primary subtag of <html lang>, if the page gives one


def _tidy(text: str) -> str:
    """Strip each line and keep at most one blank line between blocks."""
    lines = [line.strip() for line in text.splitlines()]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip() + "\n"


def _language_tag(value: str | None) -> str | None:
    """The primary language subtag of a BCP 47 tag (``de-AT`` → ``de``), None when it is not one."""
    if not value:
        return None
    primary = value.strip().split("-")[0].split("_")[0].lower()
    try:
        return _LANG.validate_python(primary)
    except ValueError:
        return None


def read_html(html: str) -> Page:
    """Return the title, main text and declared language of an HTML page; raise NoText for an empty one."""
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError) as err:
        raise NoText(f"not HTML that can be read: {err}") from None
    title = " ".join((root.findtext(".//title") or "").split()) or None
    declared = _language_tag(root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang"))
    # Navigation is marked as such (HTML §4.3.4 <nav>, WAI-ARIA role=navigation): menus and breadcrumbs go
    # before readability weighs the rest, so a menu word ("Rathaus") never reaches the text.
    for nav in root.xpath("//nav | //*[@role='navigation']"):
        nav.drop_tree()
    main = _tidy(get_text(Document(lxml.html.tostring(root, encoding="unicode")).summary(html_partial=True)))
    if not main.strip():
        raise NoText("the page has no main text")
    return Page(title, main, declared)


def read_text(text: str) -> Page:
    """Return a plain text file as a page: its text unchanged, no title, no declared language."""
    if not text.strip():
        raise NoText("the file holds no text")
    return Page(None, text, None)


def detect_language(text: str) -> str:
    """Identify the language of a text (py3langid: ISO 639-1 codes, 97 languages)."""
    code, _score = py3langid.classify(text)
    return str(code)
