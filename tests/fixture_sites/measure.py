"""Compare main-text readers, charset detectors and language identifiers on the fixture pages.

Run by hand (not a test) in an environment that has the candidates installed::

    python -m tests.fixture_sites.measure

The figures and the choice they led to are in docs/capture.md.
"""

import importlib
import re
import time
from collections.abc import Callable
from pathlib import Path

from tests.fixture_sites.truth import PAGES

HERE = Path(__file__).parent / "pages"
SPACE = re.compile(r"\s+")
SOURCES = Path(__file__).parents[2] / "data" / "sources"


def norm(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def trafilatura_reader(**options: object) -> Callable[[str], str]:
    import trafilatura

    return lambda html: trafilatura.extract(html, **options) or ""


def readability_reader(html: str) -> str:
    import lxml.html
    from readability import Document

    return str(lxml.html.fromstring(Document(html).summary()).text_content())


def pobratim_reader(html: str) -> str:
    from pobratim.capture.text import read_html

    return read_html(html).text


def justext_reader(language: str) -> Callable[[str], str]:
    import justext

    stoplist = {"bg": "Bulgarian", "cs": "Czech", "de": "German", "pl": "Polish"}[language]
    return lambda html: "\n".join(
        p.text for p in justext.justext(html, justext.get_stoplist(stoplist)) if not p.is_boilerplate
    )


def inscriptis_reader(html: str) -> str:
    import inscriptis

    return str(inscriptis.get_text(html))


def readers(language: str) -> dict[str, Callable[[str], str]]:
    return {
        "inscriptis (whole page)": inscriptis_reader,
        "trafilatura": trafilatura_reader(),
        "trafilatura favor_recall": trafilatura_reader(favor_recall=True),
        "trafilatura favor_precision": trafilatura_reader(favor_precision=True),
        "readability-lxml": readability_reader,
        "pobratim (readability-lxml + inscriptis)": pobratim_reader,
        "justext": justext_reader(language),
    }


def main_text() -> None:
    print("main text: kept (content strings found) / dropped (boilerplate strings absent), per page")
    totals: dict[str, list[int]] = {}
    for name, truth in PAGES.items():
        html = (HERE / name).read_text(encoding="utf-8")
        for reader, read in readers(truth.language).items():
            started = time.perf_counter()
            text = norm(read(html))
            ms = (time.perf_counter() - started) * 1000
            kept = sum(norm(k) in text for k in truth.keep)
            dropped = sum(norm(d) not in text for d in truth.drop)
            t = totals.setdefault(reader, [0, 0, 0, 0])
            t[0] += kept
            t[1] += len(truth.keep)
            t[2] += dropped
            t[3] += len(truth.drop)
            print(
                f"  {name:28} {reader:42} kept {kept}/{len(truth.keep)} dropped {dropped}/{len(truth.drop)} {ms:.0f} ms"
            )
    for reader, (k, kn, d, dn) in totals.items():
        print(f"TOTAL {reader:42} kept {k}/{kn} dropped {d}/{dn}")


def charset() -> None:
    import charset_normalizer

    print("charset detection on the pages with every declaration removed:")
    for name, truth in PAGES.items():
        html = (HERE / name).read_text(encoding="utf-8")
        bare = re.sub(r"<meta[^>]*charset[^>]*>", "", html, flags=re.I)
        raw = bare.encode(truth.encoding)
        best = charset_normalizer.from_bytes(raw).best()
        same = best is not None and str(best) == bare
        print(
            f"  {name:28} served {truth.encoding:12} detected {best.encoding if best else None!s:12} text same: {same}"
        )


def languages() -> None:
    import trafilatura

    texts = {name: trafilatura.extract((HERE / name).read_text(encoding="utf-8")) or "" for name in PAGES}
    truth = {name: t.language for name, t in PAGES.items()}
    for path in sorted(SOURCES.glob("*.txt")):
        texts[path.name] = path.read_text(encoding="utf-8")
        truth[path.name] = "bg"
    identifiers: dict[str, Callable[[str], str]] = {}
    py3langid = importlib.import_module("py3langid")
    identifiers["py3langid"] = lambda t: str(py3langid.classify(t)[0])
    from lingua import LanguageDetectorBuilder

    started = time.perf_counter()
    lingua = LanguageDetectorBuilder.from_all_languages().build()
    print(f"lingua: detector built in {time.perf_counter() - started:.2f}s")

    def lingua_code(t: str) -> str:
        found = lingua.detect_language_of(t)
        return found.iso_code_639_1.name.lower() if found else "und"

    identifiers["lingua (all languages)"] = lingua_code
    import langdetect

    langdetect.DetectorFactory.seed = 0
    identifiers["langdetect"] = lambda t: str(langdetect.detect(t))
    for ident, detect in identifiers.items():
        right = 0
        started = time.perf_counter()
        for name, text in texts.items():
            got = detect(text)
            right += got == truth[name]
            if got != truth[name]:
                print(f"  {ident}: {name} -> {got} (is {truth[name]})")
        short = sum(detect(text[:60]) == truth[name] for name, text in texts.items())
        ms = (time.perf_counter() - started) * 1000
        print(
            f"LANG {ident:24} {right}/{len(texts)} right; first 60 characters only: {short}/{len(texts)}; {ms:.0f} ms"
        )


if __name__ == "__main__":
    main_text()
    charset()
    languages()
