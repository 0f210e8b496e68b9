"""The files of a capture in ``data/sources/``: the text, the raw HTML beside it and the metadata YAML.

A capture is never changed once written: the text is what reviewed facts quote and its SHA-256 is pinned.
Files are written under a temporary name and renamed into place, the metadata last (it is what a build
reads), so an interrupted capture leaves nothing a build would take for a source.
"""

import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from pobratim.core.errors import BuildError
from pobratim.core.ids import key_slug, slug
from pobratim.records.models import SourceMeta, load_yaml

# The longest part of a source id taken from the page's address or file name.
_NAME_CHARS = 48


def sha256(text: str) -> str:
    """The checksum the build pins: of the text file's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_id(publisher: str, name: str, digest: str) -> str:
    """A readable, stable id: the publisher, the page's address path (or file name), the text's checksum.

    The same text from the same page gives the same id, so capturing it again writes nothing new; a page
    that changed gets a new id, and the one its reviewed facts cite stays.
    """
    words = slug(name)[:_NAME_CHARS].strip("-")
    return "-".join(part for part in (key_slug(publisher), words, digest[:8]) if part and part != "place")


def address_name(url: str) -> str:
    """The part of an address that names the page: its path, else its host."""
    parts = urlsplit(url)
    path = unquote(parts.path).strip("/")
    return path.rsplit(".", 1)[0] if path.endswith((".html", ".htm", ".php", ".aspx")) else path or parts.netloc


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _yaml(meta: SourceMeta, origin: str) -> str:
    fields: dict[str, Any] = meta.model_dump(exclude_none=True)
    header = (
        f"# Metadata of a page captured by `pobratim capture` from {origin}.\n"
        f"# {meta.file} is its main text, byte-identical to what was captured; sha256 pins it.\n"
    )
    if meta.raw:
        header += f"# {meta.raw} is the HTML, byte for byte as it was received (decompressed).\n"
    leading = ("id", "url", "final_url", "file", "raw")
    first: dict[str, Any] = {name: fields.pop(name) for name in leading if name in fields}
    return header + yaml.safe_dump({**first, **fields}, allow_unicode=True, sort_keys=False, width=120)


def write(folder: Path, meta: SourceMeta, text: str, raw: bytes | None, origin: str) -> Path:
    """Write a capture's files into ``folder``, the metadata last; return the metadata file.

    If any file cannot be written, the ones already written are removed again: nothing is half-written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{meta.id}.yaml"
    files = [(folder / meta.file, text.encode("utf-8")), (target, _yaml(meta, origin).encode("utf-8"))]
    if raw is not None and meta.raw:
        files.insert(0, (folder / meta.raw, raw))
    written: list[Path] = []
    try:
        for path, data in files:
            _write_atomically(path, data)
            written.append(path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return target


@dataclass(frozen=True)
class Stored:
    """A capture already in ``data/sources/``."""

    meta: SourceMeta
    path: Path  # its metadata file

    @property
    def text_path(self) -> Path:
        return self.path.parent / self.meta.file


def captures(folder: Path) -> Iterator[Stored]:
    """Yield every source in ``folder`` whose metadata can be read (errors are the build's to report)."""
    for path in sorted(folder.glob("*.yaml")):
        try:
            yield Stored(load_yaml(path, SourceMeta), path)
        except BuildError:
            continue
