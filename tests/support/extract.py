"""Read a page's text with the extractor, as its tests look at the answer."""

from pobratim.extract.reader import Proposal, extract


def partners(
    text: str, municipality: str | None = None, language: str | None = None, possible: bool = False
) -> dict[str, Proposal]:
    """The partners the reader proposes for ``text``, by name (with ``possible``, the unsure ones too)."""
    return {p.partner: p for p in extract(text, municipality, language=language, possible=possible)}
