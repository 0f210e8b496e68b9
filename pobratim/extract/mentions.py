"""Find every mention of a known place in a page: names as written, inflected, or in another script.

A mention is a run of capitalised words (with the small words place names carry inside: "am", "bei",
"sur", "da", "nad") that the offline gazetteer knows, under any of its names in any script. A name the
gazetteer does not know as written is tried without its case ending ("Valjeva" -> Valjevo, "Kraslavos"
-> Kraslava, "Swietłogorska" -> Swietłogorsk) and, when written in Cyrillic or Greek, transliterated
(unidecode). The longest known run at each place wins.
"""

import itertools
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from anyascii import anyascii
from unidecode import unidecode

from pobratim.core import gazetteer
from pobratim.extract.lemmas import name_form

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Words written inside place names in lower case (the one list of them: the readers import it). A run
# continues over them only as far as the gazetteer knows the longer name ("Castiglione delle Stiviere",
# "Vilanova i la Geltrú"), so "Milano e Roma" stays two names.
JOINERS = {
    *("am", "an", "bei", "im", "der", "die", "den", "ob", "in", "upon", "on", "nad", "pod", "na", "pri", "ved"),
    *("van", "aan", "op", "san"),
    # French: "Chalon-sur-Saône", "Fontenay-sous-Bois", "Villeneuve-lès-Avignon", "Castelnau-le-Lez".
    *("sur", "sous", "lès", "lez", "les", "le", "la", "de", "des", "du", "d", "l", "en", "aux", "au"),
    # Italian: "San Giorgio di Piano", "Castiglione delle Stiviere", "Cernusco sul Naviglio".
    *("di", "da", "del", "della", "delle", "dello", "dell", "dei", "degli", "e", "sul", "sull", "sulla", "nel"),
    *("nell", "nella", "al", "all", "alla", "dal", "dall"),
    # Spanish and Portuguese: "Villanueva de la Serena", "Santiago de los Caballeros", "Montemor-o-Novo".
    *("los", "las", "y", "do", "dos", "das", "o"),
    # Catalan: "Sant Vicenç dels Horts", "Vilanova i la Geltrú", "Sant Sadurní d'Anoia".
    *("dels", "i"),
}
# The joiners that as often stand between two names ("Villach e Graz", "Iliny i Kraków", "Kraków in
# Poland"): a reader that cannot ask the gazetteer for the longer name (the fact readers) stops at them.
LOOSE_JOINERS = {"e", "i", "o", "y", "in", "on"}
SURE_JOINERS = JOINERS - LOOSE_JOINERS
# "S. João", "St. Pölten": the abbreviations of saint.
SAINT = {"s": ("são", "santa", "santo", "san", "saint", "sankt"), "st": ("saint", "sankt", "st"), "sv": ("sveti",)}
# Case endings to cut (longest first) and the endings a name's own form may have instead.
_CUT = 3
_RESTORE = ("", "a", "o", "e", "i", "y", "as", "is", "ai", "а", "о", "е", "и", "ы", "й", "ь", "ia", "ie", "ė", "s")
_VOWEL = re.compile(r"[aeiouyáéíóúýěąęůаеиоуъюяыэіїєё]", re.IGNORECASE)
_MAX_WORDS = 6  # "Sant Joan de les Abadesses", "Las Palmas de Gran Canaria"
# What may stand between the words of one name ("Villeneuve – le- Roi" is written so on a page).
SEPARATORS = {" ", "-", ". ", "'", "’", " - ", " – ", "- ", " -", "–"}
_MIN_LETTERS = 3


@dataclass(frozen=True)
class PlaceMention:
    """A known place named on the page."""

    label: str  # as written
    start: int
    end: int
    entries: tuple[gazetteer.Entry, ...]
    # "exact", "lemma" (simplemma's nominative), "declined" (a case ending of the page's language cut),
    # "inflected" (any short ending cut) or "transliterated"
    how: str


def _tokens(text: str) -> list[tuple[int, int]]:
    """Word spans, with words glued by a missing space split at the capital ("PolskoŚWIDNICA")."""
    spans = []
    for m in WORD.finditer(text):
        start = m.start()
        word = m.group(0)
        for i in range(1, len(word)):
            if word[i].isupper() and word[i - 1].islower():
                spans.append((start, m.start() + i))
                start = m.start() + i
        spans.append((start, m.end()))
    return spans


def _elided(word: str) -> bool:
    """A joiner elided onto the next word of a name: "d'Adda", "sull'Oglio", "nell’Emilia"."""
    head, apostrophe, rest = word.partition("'" if "'" in word else "’")
    return bool(apostrophe) and head.casefold() in JOINERS and rest[:1].isupper()


def _is_capital(word: str) -> bool:
    """A word that may open a name: capitalised, or in a script without capitals (Georgian, Hebrew, Arabic),
    where any word may."""
    return word[:1].isupper() or _uncased(word)


def _uncased(word: str) -> bool:
    # Georgian's Mkhedruli letters are lower case to Unicode, but Georgian capitalises no names.
    first = word[:1]
    return len(word) >= _MIN_LETTERS and (not (first.isupper() or first.islower()) or "\u10d0" <= first <= "\u10ff")


# Prefixes written onto a name in scripts without spaces before them: Hebrew "ו" (and), "ב" (in), "ל" (to),
# "מ" (from), "ה" (the); Arabic "و" (and), "ب" (in), "ل" (to), "ال" (the). Tried one at a time.
_ARMENIAN = re.compile(r"[\u0530-\u058f]")
_ABJAD = re.compile(r"[\u0590-\u05ff\u0600-\u06ff]")
_PREFIXES = ("ו", "ב", "ל", "מ", "ה", "וב", "ול", "ומ", "و", "ب", "ل", "ال", "وال", "بال", "لل")


# An apostrophe suffix (Turkish "Konya’nın", "Bursa'da"): the name is what stands before the apostrophe.
_APOSTROPHE_SUFFIX = re.compile(r"^(.{3,}?)['’][^\W\d_]{1,5}$")


@cache
def _variants(word: str) -> tuple[str, ...]:
    """Forms a case-inflected word may have in its dictionary form."""
    apostrophe = _APOSTROPHE_SUFFIX.match(word)
    if apostrophe:
        return (apostrophe.group(1),)
    if len(word) <= _MIN_LETTERS + 1:
        return ()
    out: list[str] = []
    for cut in range(1, _CUT + 1):
        stem = word[:-cut]
        if len(stem) < _MIN_LETTERS + 1:
            break
        out.extend(stem + ending for ending in _RESTORE)
        if len(stem) >= 2 and not _VOWEL.match(stem[-1]) and not _VOWEL.match(stem[-2]):
            # The fleeting vowel of Slavic nouns: Karlovcem -> Karlovac, Sisku -> Sisak.
            out.extend(stem[:-1] + vowel + stem[-1] for vowel in ("a", "e", "o", "ie", "е", "о"))
    return tuple(dict.fromkeys(v for v in out if v != word))


DECLENSION = Path(__file__).parent / "data" / "declension.yaml"
_MAX_FORMS = 200  # the dictionary forms tried for one run of words (each word's forms multiplied)


@cache
def _declension() -> dict[str, dict[object, list[object]]]:
    """Read data/declension.yaml once, for every language."""
    loaded: dict[str, dict[object, list[object]]] = yaml.safe_load(DECLENSION.read_text(encoding="utf-8"))
    return loaded


@cache
def _endings(language: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The case endings of a language's place names (longest first) and the nominative endings each may
    replace, from data/declension.yaml."""
    rules = _declension().get(language) or {}
    for ending, nominatives in rules.items():
        if not isinstance(ending, str) or not ending or not all(isinstance(n, str) for n in nominatives):
            # YAML reads an unquoted "on" as true: a table that says something else than it shows is an error.
            raise ValueError(f"{DECLENSION}: {language}: {ending!r}: an ending and its nominatives must be text")
    checked = {str(k): tuple(str(v) for v in vs) for k, vs in rules.items()}
    return tuple(sorted(checked.items(), key=lambda r: -len(r[0])))


@cache
def declined(word: str, language: str) -> tuple[str, ...]:
    """The nominatives a word may be the declined form of, by the case endings of ``language``
    ("Náchodom" -> Náchod, "Ljubljanom" -> Ljubljana, "Sarajeva" -> Sarajevo, Sarajeve)."""
    out: list[str] = []
    # Compared in lower case, so a heading in capitals declines too ("MARIBORA"); not case-folded, which
    # would make a Greek final sigma a medial one. A letter whose lower case is longer is left as it is.
    lower = word.lower() if len(word.lower()) == len(word) else word
    for ending, nominatives in _endings(language):
        stem = word[: -len(ending)]
        if lower.endswith(ending) and len(stem) >= _MIN_LETTERS:
            out.extend(stem + n for n in nominatives)
    return tuple(dict.fromkeys(v for v in out if v != word))


def _declined_run(words: list[str], seps: list[str], language: str) -> tuple[gazetteer.Entry, ...]:
    """The places a run names with any of its capitalised words declined ("Roseta degli Abruzzi",
    "Valašských Meziříčím")."""
    options = [(w, *declined(w, language)) if _is_capital(w) else (w,) for w in words]
    found: dict[int, gazetteer.Entry] = {}
    for forms in itertools.islice(itertools.product(*options), 1, _MAX_FORMS):  # the first is the run as written
        name = "".join(f + s for f, s in zip(forms, [*seps, ""], strict=True))
        found.update((e.geonameid, e) for e in _known(name))
    return tuple(found.values())


def _known(name: str) -> tuple[gazetteer.Entry, ...]:
    return tuple(gazetteer.name_index().get(gazetteer.fold(name), ()))


def _resolve(words: list[str], seps: list[str], language: str | None) -> tuple[tuple[gazetteer.Entry, ...], str]:
    """Look a run of words up as written, then in its dictionary form, then declined by the page's grammar,
    then with any short ending cut, then transliterated."""
    head = "".join(w + s for w, s in zip(words[:-1], seps, strict=True))
    whole = head + words[-1]
    found = _known(whole)
    if found:
        return found, "exact"
    first = words[0].casefold()
    if first in SAINT and len(words) > 1:
        rest = whole[len(words[0]) :].lstrip(". ")
        for saint in SAINT[first]:
            found = _known(f"{saint} {rest}")
            if found:
                return found, "exact"
    nominative = name_form(words[-1], language) if language else None
    if nominative:
        found = _known(head + nominative)
        if found:
            return found, "lemma"
    if language:
        found = _declined_run(words, seps, language)
        if found:
            return found, "declined"
    # Every dictionary form the ending allows (Karlovcem: Karlovci? Karlovac?); the reader weighs them later.
    inflected = {e.geonameid: e for variant in _variants(words[-1]) for e in _known(head + variant)}
    if inflected:
        return tuple(inflected.values()), "inflected"
    if _uncased(whole):
        for prefix in _PREFIXES:
            if whole.startswith(prefix) and len(whole) - len(prefix) >= _MIN_LETTERS:
                found = _known(whole[len(prefix) :])
                if found:
                    return found, "inflected"
    if not whole.isascii() and not _ABJAD.search(whole):
        # Hebrew and Arabic write few vowels: a transliteration would match too many short Latin names.
        latins = _transliterations(whole)
        for latin in latins:
            found = _known(latin)
            if found:
                return found, "transliterated"
        # A case ending or a nominative ending on a foreign name ("ნიორტი" niorti -> Niort).
        for latin in latins:
            inflected = {e.geonameid: e for variant in _variants(latin) for e in _known(variant)}
            if inflected:
                return tuple(inflected.values()), "inflected"
    return (), ""


def _transliterations(name: str) -> tuple[str, ...]:
    """Latin spellings of a name in another script: anyascii's (which writes "Юеянг" Yueyang, and reads
    Armenian and Georgian too; its apostrophes for ejectives dropped), unidecode's, and each with "kh" as
    "h" ("Khmelnytskyi")."""
    out = [anyascii(name).replace("'", ""), unidecode(name)]
    out += [n.replace("kh", "h").replace("Kh", "H") for n in out]
    if _ARMENIAN.search(name):
        out += [n.replace("ow", "u").replace("Ow", "U") for n in out]  # Armenian ու is u
    return tuple(dict.fromkeys(n for n in out if n and n != name))


def find_places(text: str, skip: set[str] | None = None, language: str | None = None) -> list[PlaceMention]:
    """Every known place named in ``text``, longest names first, in page order.

    ``skip`` holds folded names never taken as places (the page's own municipality, country names);
    ``language`` is simplemma's code for the page's language, when known.
    """
    skip = skip or set()
    tokens = _tokens(text)
    found: list[PlaceMention] = []
    i = 0
    while i < len(tokens):
        s, e = tokens[i]
        word = text[s:e]
        saint = word.casefold() in SAINT and text[e : e + 1] == "."
        if not _is_capital(word) or (len(word) < 2 and not saint):
            i += 1
            continue
        best: PlaceMention | None = None
        words: list[str] = [word]
        seps: list[str] = []
        j = i
        while True:
            last = words[-1]
            if _is_capital(last) or _elided(last):
                label = text[s : tokens[j][1]]
                if gazetteer.fold(label) not in skip:
                    entries, how = _resolve(words, seps, language)
                    if entries:
                        best = PlaceMention(label, s, tokens[j][1], entries, how)
            if j + 1 >= len(tokens) or len(words) >= _MAX_WORDS:
                break
            sep = text[tokens[j][1] : tokens[j + 1][0]]
            nxt = text[tokens[j + 1][0] : tokens[j + 1][1]]
            if sep not in SEPARATORS or not (_is_capital(nxt) or nxt in JOINERS or _elided(nxt)):
                break
            if sep == ". " and words[-1].casefold() not in SAINT:
                break
            words.append(nxt)
            seps.append(sep)
            j += 1
        if best is not None:
            found.append(best)
            while i < len(tokens) and tokens[i][0] < best.end:
                i += 1
        else:
            i += 1
    return found
