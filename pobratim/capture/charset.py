"""Decode a page as the web does: the encoding it declares, else the one its bytes show."""

from dataclasses import dataclass

import charset_normalizer
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name
    declared: bool  # False when the encoding was detected from the bytes


class Undecodable(ValueError):
    """The bytes are not text in any encoding the page declares or that can be detected."""


def decode(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode an HTML page or a text file.

    The order is the HTML standard's encoding sniffing (§13.2.3.2): a byte order mark, the charset of the
    HTTP Content-Type, a ``<meta>`` declaration in the page (w3lib reads both and maps labels as the
    Encoding Standard does: ``iso-8859-1`` is windows-1252), and only then detection (charset_normalizer).
    A declaration the bytes contradict (they do not decode in it) is passed over: servers often send a
    default ``charset=utf-8`` for pages written in windows-1251 or ISO-8859-2.
    """
    bom_encoding, bom = read_bom(body)
    if bom_encoding is not None and bom is not None:
        return Decoded(body[len(bom) :].decode(bom_encoding, errors="replace"), bom_encoding, True)
    for declared in (http_content_type_encoding(content_type), html_body_declared_encoding(body)):
        if declared is None:
            continue
        try:
            return Decoded(body.decode(declared), declared, True)
        except (UnicodeDecodeError, LookupError):
            continue
    best = charset_normalizer.from_bytes(body).best()
    if best is None:
        raise Undecodable("the bytes are not text in the encoding the page declares or in any that was detected")
    return Decoded(str(best), best.encoding, False)
