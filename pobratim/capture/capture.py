"""Bring one page in: from an address or a saved file to a capture in ``data/sources/``."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pobratim.capture import store
from pobratim.capture.charset import Undecodable, decode
from pobratim.capture.fetch import Answer, Fetcher, FetchError
from pobratim.capture.text import NoText, Page, detect_language, read_html, read_text
from pobratim.core.errors import BuildError
from pobratim.core.quotes import comparable
from pobratim.records.models import PlacesFile, SourceMeta, load_yaml

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt"})


class CaptureError(Exception):
    """A page could not be brought in; says which one and why. Nothing was written for it."""

    def __init__(self, target: str, reason: str) -> None:
        super().__init__(f"{target}: {reason}")
        self.target = target
        self.reason = reason


@dataclass(frozen=True)
class Publisher:
    """The municipality whose page it is, as ``places.yaml`` has it."""

    key: str
    names: dict[str, str]


@dataclass(frozen=True)
class Captured:
    meta: SourceMeta
    path: Path  # its metadata file
    new: bool  # False when the same text of the same page was captured before: nothing was written
    declared_language: str | None  # what the page's <html lang> says, beside the detected ``meta.language``


def publisher(name: str, places_path: Path) -> Publisher:
    """Find the municipality ``name`` (its key, or a name it has in ``places.yaml``); say what to do if absent."""
    try:
        places = load_yaml(places_path, PlacesFile).places
    except BuildError as err:
        raise CaptureError(str(places_path), str(err)) from None
    wanted = comparable(name)
    for key, place in places.items():
        if name == key or wanted in {comparable(n) for n in place.names}:
            return Publisher(key, {lang: t for t, lang in place.labels})
    from pobratim.core import gazetteer
    from pobratim.core.ids import place_key

    # A municipality not yet reviewed is the gazetteer's town of that name (or key): `pobratim review` adds it
    # to places.yaml with the gazetteer's name when it accepts the page's first fact (docs/review.md).
    country, _, rest = name.partition("/") if "/" in name else (None, "", name)
    found = {
        place_key(e.country, e.name): e
        for spelling in dict.fromkeys([rest, rest.replace("-", " ")])
        for e in gazetteer.lookup(spelling, country.upper() if country else None)
        if country is None or place_key(e.country, e.name) == name
    }
    if len(found) == 1:
        ((key, entry),) = found.items()
        return Publisher(key, {"en": entry.name})
    towns = ", ".join(f"{e.name}, {e.country} ({k})" for k, e in found.items())
    known = f"the gazetteer knows several towns of that name: {towns}" if found else "nor does the gazetteer"
    raise CaptureError(
        name,
        f"no place {name!r} in {places_path}, and {known}; name one by its key, or add the municipality to "
        f"{places_path.name} (key, en, kind: municipality) and capture again",
    )


def _keep(
    page: Page,
    raw: bytes | None,
    folder: Path,
    who: Publisher,
    name: str,
    origin: str,
    title: str | None,
    **fields: str | None,
) -> Captured:
    """Write a page's capture unless the same text of the same page is already there."""
    digest = store.sha256(page.text)
    ident = store.source_id(who.key, name, digest)
    existing = folder / f"{ident}.yaml"
    if existing.is_file():
        return Captured(load_yaml(existing, SourceMeta), existing, False, page.declared_language)
    heading = page.title or title
    if heading is None:
        raise CaptureError(origin, "the page has no title; give one with --title")
    language = detect_language(page.text)
    data = {
        "id": ident,
        "file": f"{ident}.txt",
        "raw": f"{ident}.html" if raw is not None else None,
        "publisher": who.key,
        "publisher_name": who.names,
        "title": {language: heading},
        "language": language,
        "sha256": digest,
        **fields,
    }
    meta = SourceMeta.model_validate({k: v for k, v in data.items() if v is not None})
    try:
        path = store.write(folder, meta, page.text, raw, origin)
    except OSError as err:
        raise CaptureError(origin, f"cannot write the capture into {folder}: {err}") from None
    return Captured(meta, path, True, page.declared_language)


def _timestamp(now: datetime) -> str:
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def capture_answer(answer: Answer, folder: Path, who: Publisher, now: datetime, title: str | None = None) -> Captured:
    """Keep a page a server sent: its main text, its bytes, where and when it came from."""
    try:
        page = read_html(decode(answer.body, answer.content_type).text)
    except (Undecodable, NoText) as err:
        raise CaptureError(answer.final_url, str(err)) from None
    return _keep(
        page,
        answer.body,
        folder,
        who,
        store.address_name(answer.final_url),
        answer.final_url,
        title,
        url=answer.url,
        final_url=answer.final_url,
        captured=_timestamp(now),
        etag=answer.etag,
        last_modified=answer.last_modified,
    )


def capture_url(
    url: str, fetcher: Fetcher, folder: Path, who: Publisher, now: datetime, title: str | None = None
) -> Captured:
    """Fetch ``url`` politely and keep it; raise CaptureError saying why not."""
    try:
        answer = fetcher.get(url)
    except FetchError as err:
        raise CaptureError(err.url, err.reason) from None
    return capture_answer(answer, folder, who, now, title)


def capture_file(path: Path, folder: Path, who: Publisher, title: str | None = None) -> Captured:
    """Keep a page saved as ``.html`` or ``.txt``; its address and capture time are unknown, so absent."""
    suffix = path.suffix.lower()
    if suffix not in HTML_SUFFIXES | TEXT_SUFFIXES:
        raise CaptureError(str(path), "not a web address, an .html file or a .txt file")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise CaptureError(str(path), f"cannot read: {err.strerror or err}") from None
    try:
        decoded = decode(raw)
        page = read_html(decoded.text) if suffix in HTML_SUFFIXES else read_text(decoded.text)
    except (Undecodable, NoText) as err:
        raise CaptureError(str(path), str(err)) from None
    return _keep(page, raw if suffix in HTML_SUFFIXES else None, folder, who, path.stem, str(path), title)
