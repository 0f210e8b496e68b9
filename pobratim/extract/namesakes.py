"""Partners named by what follows a name they share with the municipality: "the other Santa Colomas: de
Queralt, de Farners", "die anderen Neustadts: in Holstein und am Rübenberge".

Towns that share a name twin with each other, and a page then writes the shared part once and each partner
by the rest of its name: the words after the joiner ("de", "d'", "sur", "an der", "am", "nad" …) that its
full name carries. The shared part is the municipality's own name up to its first joiner ("Santa Coloma"
of "Santa Coloma de Gramenet"), written on the page in any number or case ("santas colomas"). Each rest
is joined to it and looked up in the gazetteer; a rest that names a country ("de Andorra") is read as a
place in that country, and a list that spells the shared part anew ("las saintes colombes des Illes") places
the rests after that spelling where the gazetteer's places so named are. What none tells, the reader places
in the municipality's country and says so in the evidence.
"""

import re
from dataclasses import dataclass

from pobratim.core import gazetteer
from pobratim.extract.context import Page
from pobratim.extract.cues import twin_cues
from pobratim.extract.mentions import JOINERS
from pobratim.extract.noise import CONJUNCTIONS

# A rest of a name: a joiner glued to a capitalised word ("d'Erdo", "sur-Guette") or before one ("de la
# Comanda", "an der Weinstraße"). It opens with a preposition, never with an article or a conjunction ("la
# de Queralt", "y sur-Guette").
_NOT_OPENING = {"la", "le", "les", "los", "las", "l", "y", "e", "i", "o", "san", "die", "der", "den"}
_OPENER = "|".join(sorted((re.escape(j) for j in JOINERS - _NOT_OPENING), key=len, reverse=True))
_JOINER = "|".join(sorted((re.escape(j) for j in JOINERS), key=len, reverse=True))
_GLUE = r"(?:\s+|['’]|-)"
REST = re.compile(
    rf"(?<![\w'’-])(?:{_OPENER}){_GLUE}(?:(?:{_JOINER}){_GLUE})*(?P<first>[^\W\d_]+)(?:[\s-](?P<second>[^\W\d_]+))?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+")
_CONJUNCTION = re.compile(rf"(?:{CONJUNCTIONS})", re.IGNORECASE)
# Fewer rests than this after the shared name are no list of namesakes but an ordinary phrase.
MIN_RESTS = 2


@dataclass(frozen=True)
class Namesake:
    """A partner written as the rest of its name after a shared part."""

    label: str  # the rest as written ("de Queralt")
    name: str  # the shared part and the rest ("Santa Coloma de Queralt")
    start: int
    end: int
    country: str | None  # None when neither the gazetteer, the rest nor the shared name's spelling says
    entry: gazetteer.Entry | None
    # How the country is known, as the evidence says it: "gazetteer", "named in the rest", "the shared name's
    # spelling", or "" when nothing tells.
    told: str = "gazetteer"


def shared_part(municipality: str) -> list[str]:
    """The words of the municipality's name before its first joiner ("Santa Coloma" of "Santa Coloma de
    Gramenet", "Saint Martin" of "Saint-Martin-de-Ré"); empty when its name has no joiner."""
    words = [w for w in re.split(r"[\s-]+|(?<=['’])", municipality.strip()) if w]
    for i, word in enumerate(words):
        if i and word.casefold().rstrip("'’") in JOINERS:
            return words[:i]
    return []


def _writes_shared(words: list[str], shared: list[str]) -> bool:
    """Say whether ``words`` are the shared part in some number or case ("santas colomas", "Santa Coloma")."""
    return len(words) == len(shared) and all(
        gazetteer.fold(w).startswith(gazetteer.fold(s)[: max(3, len(s) - 1)])
        for w, s in zip(words, shared, strict=True)
    )


def _after_shared(page: Page, shared: list[str]) -> list[tuple[int, int]]:
    """Where the page writes the shared part, with the rest of its sentence after it."""
    spans = []
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(page.text, page.body_start)]
    n = len(shared)
    for i in range(len(words) - n + 1):
        run = words[i : i + n]
        if _writes_shared([w for _s, _e, w in run], shared):
            spans.append((run[-1][1], page.sentence(run[-1][1] - 1)[1]))
    return spans


def _rest(page: Page, m: re.Match[str]) -> tuple[int, int] | None:
    """The span of a rest whose word after the joiners is capitalised, with a second capitalised word when
    there is one ("de Ses Salines")."""
    if not m.group("first")[:1].isupper():
        return None
    second = m.group("second")
    return m.start(), m.end() if second and second[:1].isupper() else m.end("first")


def _respelled(page: Page, start: int, end: int, shared: list[str]) -> tuple[str, str] | None:
    """The shared part as a list spells it anew before a rest, in the singular, and the country whose places
    the gazetteer most often names so: "… de Farners y las saintes colombes des Illes y sur-Guette" on a
    Spanish page names French Sainte-Colombes. None when no other spelling that the gazetteer knows stands
    between ``start`` and ``end``."""
    words = [w for w in _WORD.findall(page.text, start, end) if w.casefold() not in JOINERS | _NOT_OPENING]
    words = [w for w in words if not _CONJUNCTION.fullmatch(w)][-len(shared) :]
    if len(words) < len(shared) or _writes_shared(words, shared):
        return None
    # Another spelling of the same name begins as it does ("saintes colombes", "Santa Coloma"); any other
    # place between two rests ("… in Holstein, sowie Bremen, am Rübenberge") is no spelling of it.
    if not all(gazetteer.fold(w)[:2] == gazetteer.fold(s)[:2] for w, s in zip(words, shared, strict=True)):
        return None
    singular = [(w[:-1] if w.casefold().endswith("s") and len(w) > 3 else w).capitalize() for w in words]
    entries = gazetteer.lookup(" ".join(singular)) or gazetteer.lookup("-".join(singular))
    countries = [e.country for e in entries]
    return (" ".join(singular), max(sorted(set(countries)), key=countries.count)) if countries else None


def _country_named(page: Page, start: int, end: int) -> str | None:
    named = page.countries_in(start, end)
    return named[0].code if named else None


def find_namesakes(page: Page, municipality: str | None) -> list[Namesake]:
    """The partners a page names by the rest of a name shared with ``municipality``, in a sentence that
    speaks of twinning."""
    if not municipality:
        return []
    shared = shared_part(municipality)
    if not shared:
        return []
    own = gazetteer.fold(municipality)
    base = " ".join(shared)
    found: dict[int, Namesake] = {}
    for start, end in _after_shared(page, shared):
        sentence = page.text[slice(*page.sentence(start - 1))]
        rests = [r for r in (_rest(page, m) for m in REST.finditer(page.text, start, end)) if r is not None]
        rests = [(a, b) for a, b in rests if gazetteer.fold(f"{base} {page.text[a:b]}") != own]
        if len(rests) < MIN_RESTS or not twin_cues(sentence):
            continue
        spelled: tuple[str, str] | None = None
        previous = start
        for a, b in rests:
            rest = page.text[a:b]
            spelled = _respelled(page, previous, a, shared) or spelled
            previous = b
            name = f"{spelled[0] if spelled else base} {rest}"
            entries = gazetteer.lookup(name) or gazetteer.lookup(name.replace(" ", "-"))
            entry = max(entries, key=lambda e: e.population) if entries else None
            named = _country_named(page, a, b)
            country = entry.country if entry else named or (spelled[1] if spelled else None)
            told = (
                "gazetteer"
                if entry
                else "named in the rest"
                if named
                else "the shared name's spelling"
                if spelled
                else ""
            )
            found.setdefault(a, Namesake(rest, name, a, b, country, entry, told))
    return sorted(found.values(), key=lambda n: n.start)
