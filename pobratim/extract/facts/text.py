"""What every fact reader needs from a page: its sentences, its dates, and where its partners are named.

The partners are the twinning reader's (``pobratim.extract.reader``): a fact is tied to a partner the page
names in the fact's sentence, in an inflected form too ("z Montaną", "Białogardu"), or, failing that, to the
partner whose entry the sentence stands under; a place the twinning reader did not propose is read from
the sentence itself (``Reading.places_in``). Dates are the twinning reader's (``core/text_dates``), at the
precision the page gives; a day and month without a year take a year written just before them, else the
year of the page's dateline (a short dated line at the top: "Thursday, 19 August 2010"), else none.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, cached_property

from pobratim.core import gazetteer
from pobratim.core.dates import PartialDate
from pobratim.core.quotes import normalise
from pobratim.core.text_dates import DateMention, find_dates, month_names
from pobratim.extract.context import Page
from pobratim.extract.country_names import find_countries
from pobratim.extract.facts.words import PLACE_UNIT
from pobratim.extract.lemmas import code as lemma_code
from pobratim.extract.lemmas import is_common_word, lemma, name_form
from pobratim.extract.mentions import SURE_JOINERS
from pobratim.extract.reader import HEADER_LINE, Proposal, page_language

WORD = re.compile(r"[^\W\d_][\w'’.]*")
# Endings of the cases a town's name takes after a preposition ("sa Ljubljanom", "z Moskvą", "Pekingom"),
# each with what the dictionary form may end in instead.
CASE_ENDINGS = [
    ("om", ("a", "")),
    ("em", ("", "e")),
    ("ом", ("а", "")),
    ("ем", ("", "е")),
    ("ą", ("a",)),
    ("ę", ("a",)),
    ("u", ("", "a")),
    ("y", ("a",)),
    ("os", ("a", "as")),
    ("e", ("a",)),
    ("а", ("", "о")),
    ("я", ("ь", "й")),
    ("o", ("", "a")),
]
# The endings a name takes in the cases of the languages read (a stem of four letters or more, then at most
# four letters: "Montany", "Białogardu", "Kraslavos", "Gnieznem", "Tatlısu’yu").
MAX_ENDING = 4
MIN_STEM = 4
VOWELS = "aeiouyаеиоуыэюяіїєъь"
DATELINE_LINES = 8
DATELINE_CHARS = 100
# Abbreviations written before a name ("гр. Кремона", "St. Anna", "Sv. Nikola"): no sentence ends there.
NAME_ABBREVIATION = re.compile(r"(?<![^\W\d_])(?:гр|с|св|ул|st|sv|ste|sta|s|dr|д-р|mr|mrs|m|mme)\.$", re.IGNORECASE)
# A stretch that is only a date, as a sentence splitter may leave one ("2003 m. gegužės 12 d.").
DATE_ONLY = re.compile(r"[\d\s.,/-]*(?:[^\W\d_]{1,12}\.?[\d\s.,/-]+){0,3}[^\W\d_]{0,3}\.?")
# How far before a day and month a bare year may stand and still be theirs ("En 1966, le 20 août").
YEAR_REACH = 12
# Shorter than this, a line is a heading or a menu entry, not a sentence that states a fact.
MIN_SENTENCE = 40
# A sentence ending in a short word and a point may end in an abbreviation ("nr.", "m.", "no.").
ABBREVIATION = re.compile(r"(?<![^\W\d_])[^\W\d_]{1,3}\.$")


MIN_POPULATION = 50_000


def _bare(word: str) -> str:
    """A name without a suffix joined by an apostrophe ("Karatay’ın", "Lavantegg’o") or a final point."""
    return re.split(r"[’']", word)[0].rstrip(".")


def _inflected_common(word: str, language: str) -> bool:
    """Say whether a capitalised word is an inflected form of a word of the language that names no town
    ("Namen" -> Name): a town's own name is its own dictionary form, or a town's."""
    form = lemma(word, language)
    # Only a capitalised dictionary form (a German noun's): a lower-case one is a common word's, which
    # is_common_word already tells, or a verb simplemma guessed ("Colmar" -> colmare).
    return form[:1].isupper() and form != word and not gazetteer.lookup(form)


def _joined(text: str, word: tuple[int, int], other: tuple[int, int, str]) -> bool:
    """Say whether ``other`` is a capitalised word written next to ``word`` with only a space between."""
    gap = text[word[1] : other[0]] if other[0] > word[0] else text[other[1] : word[0]]
    return other[2][:1].isupper() and not gap.strip()


def _capitalised_run(words: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    """The capitalised words at the front of ``words`` (joiners such as "am", "degli" inside), up to a
    punctuation mark."""
    run: list[tuple[int, int, str]] = []
    for s, e, w in words[:5]:
        if run:
            gap = text[run[-1][1] : s] if s > run[-1][0] else text[e : run[-1][0]]
            if gap.strip(" -"):
                break
        if w[:1].isupper() or (w.casefold() in SURE_JOINERS and run):
            run.append((s, e, w))
        else:
            break
    while run and run[-1][2].casefold() in SURE_JOINERS:
        run.pop()
    return run


def stem(word: str) -> str:
    """A word's folded form without its final vowels (the part its cases share)."""
    folded = gazetteer.fold(word)
    # A nominative's own ending goes too: Lithuanian and Latvian -as, -is, -us, -s ("Visaginas" -> visagin).
    if len(folded) > MIN_STEM + 2 and folded.endswith("s") and folded[-2] in VOWELS:
        folded = folded[:-1]
    return folded.rstrip(VOWELS) or folded


def same_name(written: str, name: str) -> bool:
    """Say whether ``written`` (as the page has it, maybe inflected) is ``name`` (word by word)."""
    a, b = written.replace("-", " ").split(), name.replace("-", " ").split()
    if len(a) != len(b) or not a:
        return False
    for w, n in zip(a, b, strict=True):
        fw, fn = gazetteer.fold(w.strip("’'.")), gazetteer.fold(n)
        if fw == fn:
            continue
        s = stem(n)
        if len(s) < MIN_STEM or not fw.startswith(s) or len(fw) - len(s) > MAX_ENDING:
            return False
    return True


@dataclass
class Partner:
    """A partner the twinning reader found: its names and where the page names it."""

    name: str
    label: str
    names: list[str]


@dataclass
class Named:
    """A partner named at a place on the page."""

    partner: Partner
    start: int
    end: int


class Reading:
    """A page read once for the fact readers."""

    def __init__(
        self, text: str, municipality: str | None, twinnings: list[Proposal], language: str | None = None
    ) -> None:
        self.text = text
        self.municipality = municipality
        self.language = lemma_code(language or page_language(text))
        body = 0
        for line in text.splitlines(keepends=True):
            if not HEADER_LINE.match(line):
                break
            body += len(line)
        self.body_start = body
        self.page = Page(text, body)
        self.partners = self._partners(twinnings)

    def _partners(self, twinnings: list[Proposal]) -> list[Partner]:
        partners: list[Partner] = []
        for t in twinnings:
            names = list(dict.fromkeys([t.partner_label, t.partner, *(s.label for s in t.mentions)]))
            if self.language and is_common_word(t.partner_label, self.language):
                continue  # "Rathaus", "Thursday": a word of the page's language, not a partner's name
            same = next((p for p in partners if p.name == t.partner), None)
            if same is not None:
                same.names = list(dict.fromkeys([*same.names, *names]))
                continue
            partners.append(Partner(t.partner, t.partner_label, names))
        return partners

    @cached_property
    def words(self) -> list[tuple[int, int, str]]:
        """Every word of the body, with its place."""
        return [(m.start(), m.end(), m.group()) for m in WORD.finditer(self.text, self.body_start)]

    def words_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The words between ``start`` and ``end``."""
        return [w for w in self.words[max(self.word_index(start) - 1, 0) :] if start <= w[0] and w[1] <= end][:500]

    def word_index(self, pos: int) -> int:
        return bisect_right([s for s, _e, _w in self.words], pos)

    @cached_property
    def named(self) -> list[Named]:
        """Every place a partner is named (inflected forms too), in page order, longest name first."""
        found: list[Named] = []
        taken: list[tuple[int, int]] = []
        words = self.words
        candidates = sorted(((p, n) for p in self.partners for n in p.names if n), key=lambda pn: -len(pn[1].split()))
        for partner, name in candidates:
            size = len(name.replace("-", " ").split())
            for i in range(len(words) - size + 1):
                start, end = words[i][0], words[i + size - 1][1]
                if not words[i][2][:1].isupper():
                    continue
                if any(start < e and s < end for s, e in taken):
                    continue
                written = " ".join(w for _s, _e, w in words[i : i + size])
                if same_name(written, name):
                    taken.append((start, end))
                    found.append(Named(partner, start, end))
        return sorted(found, key=lambda n: n.start)

    def partners_in(self, start: int, end: int) -> list[Named]:
        """The partners named between ``start`` and ``end``, each once, in page order."""
        seen: set[str] = set()
        out = []
        for n in self.named:
            if start <= n.start and n.end <= end and n.partner.name not in seen:
                seen.add(n.partner.name)
                out.append(n)
        return out

    def partner_before(self, pos: int, reach: int = 1500) -> Named | None:
        """The partner whose entry ``pos`` stands under: the last one named on an earlier line."""
        before = [n for n in self.named if n.end <= pos and pos - n.end <= reach]
        return before[-1] if before else None

    def places_in(self, start: int, end: int) -> list[Named]:
        """Places the twinning reader did not propose, named between ``start`` and ``end``: a capitalised
        name beside a word for a municipality ("Tatlısu Belediyesi", "z gminą Iliny"), or a town of more than
        MIN_POPULATION people the gazetteer knows (in its dictionary form: "Pekingom" -> Peking)."""
        words = [(s, e, w) for s, e, w in self.words if start <= s and e <= end]
        found: list[Named] = []

        def add(run: list[tuple[int, int, str]], name: str) -> None:
            written = " ".join(_bare(x[2]) for x in run)
            if not run or any(self.is_own(n) or self.is_country(n) for n in (name, written)):
                return
            if any(n.start < run[-1][1] and run[0][0] < n.end for n in found):
                return
            found.append(Named(Partner(name, name, [name]), run[0][0], run[-1][1]))

        for i, (_s, _e, w) in enumerate(words):
            if not PLACE_UNIT.match(w):
                continue
            gap_after = self.text[words[i][1] : words[i + 1][0]] if i + 1 < len(words) else "."
            gap_before = self.text[words[i - 1][1] : words[i][0]] if i else "."
            after = _capitalised_run(words[i + 1 :], self.text) if not gap_after.strip() else []
            before = _capitalised_run(words[:i][::-1], self.text)[::-1] if not gap_before.strip() else []
            for run, side in ((after, "after"), (before, "before")):
                if any(self.is_own(_bare(x[2])) for x in run):
                    break
                if side == "before":  # "İlçe Belediyesi": a common word before the unit is part of its name
                    run = [x for x in run if not (self.language and is_common_word(x[2], self.language))]
                if run and found and self.text[found[-1].end : run[0][0]].strip(" ,") in {"", w}:
                    break  # "Gola Pristan, raionul Cherson": the district a partner lies in, not a partner
                if run:
                    add(run, " ".join(_bare(x[2]) for x in run))
                    break
        for c in self.page.countries_in(start, end):
            # "Bruneck (Italien)": a name with its country in brackets after it.
            if not self.text[: c.start].rstrip().endswith("("):
                continue
            bracket = self.text.rindex("(", 0, c.start)
            before = [x for x in words if x[1] <= bracket]
            run = _capitalised_run(before[::-1], self.text)[::-1]
            if run and not self.text[run[-1][1] : bracket].strip():
                written = " ".join(_bare(x[2]) for x in run)
                hits = next((h for form in self._forms(written) if (h := gazetteer.lookup(form, c.code))), [])
                add(run, hits[0].name if hits else written)
        for i, (s, e, w) in enumerate(words):
            # A capitalised word inside a sentence is a name in the languages that write nouns in lower case,
            # even where it is also a word ("Colmar", a form of colmare); German nouns are caught below.
            if (i == 0 and s == start) or not w[:1].isupper() or len(w) < MIN_STEM:
                continue
            if any(_joined(self.text, (s, e), x) for x in words[max(i - 1, 0) : i + 2] if x[0] != s):
                continue  # part of a longer name ("Kuzey Kıbrıs Türk Cumhuriyeti"), not a town on its own
            bare = _bare(w)
            if (
                i
                and PLACE_UNIT.match(words[i - 1][2])
                and any(not self.text[n.end : words[i - 1][0]].strip(" ,") for n in found)
            ):
                continue  # "Gola Pristan, raionul Cherson": the district a place lies in
            if self.language and _inflected_common(bare, self.language):
                continue  # "ihre Namen": a common noun's inflected form, not Namur's German name
            for form in self._forms(bare):
                hits = gazetteer.lookup(form)
                if hits and hits[0].population >= MIN_POPULATION:
                    add([(s, e, w)], hits[0].name)
                    break
        return sorted(found, key=lambda n: n.start)

    def _forms(self, name: str) -> list[str]:
        """A name as written, in its dictionary form, and without a case ending ("Любліна" -> Люблін)."""
        forms = [name]
        form = name_form(name, self.language) if self.language and " " not in name else None
        if form:
            forms.append(form)
        forms += [name[: -len(end)] + new for end, news in CASE_ENDINGS if name.endswith(end) for new in news]
        return forms

    def is_own(self, word: str) -> bool:
        """Say whether ``word`` names the page's own municipality (inflected too, or in another script)."""
        if not self.municipality:
            return False
        if any(same_name(word, own) for own in self._own_names):
            return True
        return bool(self._own_ids) and any(e.geonameid in self._own_ids for e in gazetteer.lookup(word))

    @cached_property
    def _own_ids(self) -> set[int]:
        return {e.geonameid for e in gazetteer.lookup(self.municipality)[:1]} if self.municipality else set()

    @cached_property
    def _own_names(self) -> list[str]:
        names = [self.municipality] if self.municipality else []
        if self.municipality:
            names += [e.name for e in gazetteer.lookup(self.municipality)[:1]]
            names += [w for w in self.municipality.split() if len(w) >= MIN_STEM + 1]
        return names

    @cached_property
    def _sentences(self) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for s, e in self.page.sentences:
            if s < self.body_start or not self.text[s:e].strip():
                continue
            head = self.text[s:e].lstrip()[:1]
            if (
                out
                and DATE_ONLY.fullmatch(self.text[out[-1][0] : out[-1][1]].strip())
                and find_dates(self.text[out[-1][0] : out[-1][1]])
                and "\n" not in self.text[out[-1][1] : s]
            ):
                out[-1] = (out[-1][0], e)  # "2003 m. gegužės 12 d. Panevėžio meras …": a date opens the sentence
                continue
            if (
                out
                and NAME_ABBREVIATION.search(self.text[out[-1][0] : out[-1][1]])
                and not self.text[out[-1][1] : s].count("\n")
            ):
                out[-1] = (out[-1][0], e)  # "от гр. Кремона", "St. Anna": an abbreviation before a name
                continue
            if out and head and not head.isupper() and "\n" not in self.text[out[-1][1] : s]:
                # A sentence does not begin in lower case or after an abbreviation: "1997 m. rugpjūčio 30 d.",
                # "2010. godine", "Hotărârea nr. 173": the page's sentence goes on.
                previous = self.text[out[-1][0] : out[-1][1]]
                if not head.isdigit() or ABBREVIATION.search(previous):
                    out[-1] = (out[-1][0], e)
                    continue
            out.append((s, e))
        return out

    def sentences(self) -> list[tuple[int, int]]:
        """The body's sentences (every line end ends one)."""
        return self._sentences

    @cached_property
    def dateline(self) -> PartialDate | None:
        """The date of the page: a short line near the top holding a date to the day."""
        seen = 0
        for s, e in self.page.lines:
            if s < self.body_start or not self.text[s:e].strip():
                continue
            seen += 1
            if seen > DATELINE_LINES:
                break
            if e - s > DATELINE_CHARS:
                continue
            for d in find_dates(self.text[s:e]):
                if d.when.day is not None:
                    return d.when
        return None

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        """The dates written between ``start`` and ``end`` (page positions), a day and month without a year
        completed from the dateline."""
        found = [DateMention(d.when, start + d.start, start + d.end) for d in find_dates(self.text[start:end])]
        for m in _day_month().finditer(self.text, start, end):
            if any(d.start <= m.start() < d.end or m.start() <= d.start < m.end() for d in found):
                continue
            # A year just before the day and month ("En 1966, le 20 août") is theirs; else the dateline's.
            years = [d for d in found if d.when.month is None and 0 <= m.start() - d.end <= YEAR_REACH]
            year = years[-1].when.year if years else self.dateline.year if self.dateline else None
            if year is None:
                continue
            # Read with the year written after it, by the same reader as every other date.
            completed = find_dates(f"{m.group(0)} {year}")
            if completed and completed[0].when.day is not None:
                found = [d for d in found if d not in years[-1:]]
                found.append(DateMention(completed[0].when, (years[-1].start if years else m.start()), m.end()))
        return sorted(found, key=lambda d: d.start)

    def quote(self, start: int, end: int) -> str:
        """The words between ``start`` and ``end``, whitespace folded (a quote the page contains)."""
        return normalise(self.text[start:end])

    def is_country(self, word: str) -> bool:
        # Written as a country's name: an inflected reading ("Bruneck" as Brunei's) does not make a town one.
        return any(c.exact and c.start == 0 and c.end == len(word) for c in find_countries(word))


@cache
def _day_month() -> re.Pattern[str]:
    """A day and a month written without a year ("On 20 August", "18. jūnijā", "10 травня")."""
    months = "|".join(re.escape(m) for m in sorted(month_names(), key=len, reverse=True))
    return re.compile(rf"(?<![\d.])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?\s*(?:of\s+|de\s+)?(?P<mn>{months})\b", re.I)
