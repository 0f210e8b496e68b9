"""Find a verbatim quote in its source text, after whitespace normalisation only."""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_SPACE = re.compile(r"\s+")
CONTEXT = 32


@lru_cache(maxsize=256)
def normalise(text: str) -> str:
    """Fold every run of white space (no-break spaces included) into one space."""
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Anchor:
    """Where a quote stands in the normalised text, as a Web Annotation TextQuoteSelector."""

    exact: str
    prefix: str
    suffix: str
    start: int


@lru_cache(maxsize=1 << 17)
def anchor(quote: str, text: str) -> Anchor | None:
    """Anchor ``quote`` in ``text`` (both normalised first); None when the text does not contain it.

    Cached: the corpus check and the build anchor every quote, and a page holds many quotes.
    """
    exact = normalise(quote)
    haystack = normalise(text)
    start = haystack.find(exact) if exact else -1
    if start < 0:
        return None
    end = start + len(exact)
    return Anchor(exact, haystack[max(0, start - CONTEXT) : start], haystack[end : end + CONTEXT], start)


@lru_cache(maxsize=1 << 14)
def comparable(text: str) -> str:
    """Fold white space, case and accents: how a name is compared with a quote or with another name."""
    decomposed = unicodedata.normalize("NFKD", normalise(text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
