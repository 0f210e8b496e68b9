"""Turn the places a page names into candidate partners: each with its country, its mentions and the
signs for and against it being a partner (the features the scorer weighs).

The country of a mention comes, in this order, from a country written beside it ("Kalarasz – miasto w
Rumunii", "Курнік (Польща)"), a country adjective in its sentence ("our Polish twin city"), the heading of
its section ("Szlovákia" above "Zvolen - Zólyom"), and otherwise from the gazetteer (the places of the
municipality's own country first, then the most populous).
"""

import math
import re
from dataclasses import dataclass, field

from pobratim.core import gazetteer
from pobratim.core.text_dates import day_names, find_dates, month_names
from pobratim.extract.context import Page
from pobratim.extract.cues import agreement_cues, is_menu, noise_cues, twin_cues
from pobratim.extract.fuzzy import qualified
from pobratim.extract.lemmas import is_common_word
from pobratim.extract.mentions import JOINERS as JOINER_WORDS
from pobratim.extract.mentions import PlaceMention, declined, find_places
from pobratim.extract.nearby import next_door
from pobratim.extract.noise import (
    ADMIN_WORD,
    ADMIN_WORDS,
    CONJUNCTIONS,
    after_company_word,
    after_distance,
    after_quoted_name,
    after_title,
    after_town_word,
    common_word,
    describes_previous,
    generic_word,
    in_hyphenated_name,
    is_own,
    names_a_landmark,
    on_a_name_day_line,
    part_of_longer_name,
    thing_of_a_town,
)

ADJACENT_CHARS = 60
NOISE_CHARS = 50
# The words for "and".
CUE_CHARS = 60
# Between a place and its country: no sentence end, at most two longer lower-case words ("miasto w").
# Between an adjective and the name it qualifies: at most two words ("гръцкия град", "polish twin city").
_ADJECTIVE_GAP = re.compile(r"\s+(?:[^\W\d_]+\s+){0,2}")
# A word for a district or county written as the first word of its name: "Kreis Steinfurt".
UNIT_BEFORE = re.compile(rf"(?<![^\W\d_]){ADMIN_WORDS} $", re.IGNORECASE)
_LOWER_WORD = re.compile(r"(?<![^\W\d_])(?-i:[^\W\d_A-ZА-ЯЁΑ-Ω])[^\W\d_]{3,}")


@dataclass(frozen=True)
class Spot:
    """One place on the page where a candidate is named."""

    label: str
    start: int
    end: int
    how: str  # exact, lemma, inflected, transliterated, pattern
    country_from: str  # beside, adjective, heading, gazetteer


@dataclass
class Candidate:
    """A place the page names, in one country, with what speaks for and against it being a partner."""

    country: str
    entry: gazetteer.Entry | None
    spots: list[Spot] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)
    ambiguous: bool = False  # the gazetteer knows the name in more than one country

    @property
    def label(self) -> str:
        """The name as the page writes it, preferring a form the gazetteer knows as written."""
        exact = [s for s in self.spots if s.how in {"exact", "pattern"}]
        return (exact or self.spots)[0].label

    @property
    def key(self) -> tuple[str, str]:
        return (self.country, str(self.entry.geonameid) if self.entry else gazetteer.fold(self.label))


@dataclass(frozen=True)
class PatternMention:
    """A place the pattern reader found written next to a country."""

    label: str
    country: str
    start: int
    end: int
    entry: gazetteer.Entry | None


def _close(between: str) -> bool:
    return not re.search(r"[.;!?]\s", between) and len(_LOWER_WORD.findall(between)) <= 2


def _beside(page: Page, m: PlaceMention) -> str | None:
    """The country written right after a mention on its line, with only names and commas between
    ("Курнік (Польща)", "Kalarasz – miasto w Rumunii"); else one right before it ("України – Хмільник")."""
    ls, le = page.line(m.start)
    after = page.countries_in(m.end, min(le, m.end + ADJACENT_CHARS))
    if after:
        return after[0].code if _close(page.text[m.end : after[0].start]) else None
    before = page.countries_in(max(ls, m.start - ADJACENT_CHARS), m.start)
    if before and _close(page.text[before[-1].end : m.start]) and "(" not in page.text[before[-1].end : m.start]:
        return before[-1].code
    return None


def _adjective(page: Page, m: PlaceMention) -> str | None:
    """The country adjective that qualifies the mention: one right before it, with at most two words and no
    punctuation between ("гръцкия град Лариса, със сръбския Крушевец"); else the nearest in its sentence
    ("la ville belge de …", "nos amis belges")."""
    s, e = page.sentence(m.start)
    found = page.adjectives_in(s, e)
    if not found:
        return None
    before = [a for a in found if a.end <= m.start and _ADJECTIVE_GAP.fullmatch(page.text[a.end : m.start])]
    if before:
        return before[-1].code
    return min(found, key=lambda a: abs(a.start - m.start)).code


def _resolve(page: Page, m: PlaceMention, home: str | None) -> tuple[str, gazetteer.Entry | None, str] | None:
    """The mention's country and place, and what told the country. When the page writes a country beside
    it, or over its section, that the gazetteer does not know the name in: in a list entry, the place as
    written in that country ("13 de julho de 1996 – Boa Vista (Cabo Verde)"); elsewhere None."""
    evidence = [("beside", _beside(page, m)), ("adjective", _adjective(page, m))]
    evidence.append(("heading", page.section_country(m.start)))
    for source, code in evidence:
        if code is None:
            continue
        inside = [e for e in m.entries if e.country == code]
        if inside:
            return code, max(inside, key=lambda e: e.population), source
        # Only a name written as some known place is written ("Boa Vista"), not an inflected guess ("Herb").
        if source == "beside" and m.how == "exact" and list_entry(page, Spot(m.label, m.start, m.end, m.how, source)):
            return code, None, source
        if source in {"beside", "heading"}:
            return None
    # Otherwise the municipality's own country, then the most populous place. Not the countries the page
    # names elsewhere: a page naming the United States once would take Rim, Atina and Berlin for American towns.
    best = min(m.entries, key=lambda e: (e.country != home, -e.population))
    return best.country, best, "gazetteer"


def _unit_named(page: Page, m: PlaceMention) -> str:
    """The mention's label, with the word for a district or county that opens its name ("Kreis Steinfurt",
    "Powiat Kraśnik", "County Kerry"): the partner is that unit, not the town it is named after. The
    mention still starts at the town's name, so the rules about what stands before it hold."""
    before = UNIT_BEFORE.search(page.text, max(0, m.start - 30), m.start)
    if before is None or not before.group(0)[:1].isupper():
        return m.label
    return page.text[before.start() : m.end]


def _overlaps(m: PlaceMention, spans: list[tuple[int, int]]) -> bool:
    return any(m.start < e and s < m.end for s, e in spans)


def find_candidates(
    text: str,
    municipality: str | None,
    pattern: list[PatternMention],
    body_start: int = 0,
    language: str | None = None,
) -> tuple[Page, list[Candidate]]:
    """Every place on the page that could be a partner, with its features (``language``: the page's, if
    known, as simplemma's code)."""
    page = Page(text, body_start)
    own_entries = gazetteer.lookup(municipality)[:1] if municipality else []
    own_ids = {e.geonameid for e in own_entries}
    home = own_entries[0].country if own_entries else None
    skip = {gazetteer.fold(municipality)} if municipality else set()
    taken = [(c.start, c.end) for c in page.countries] + [(a.start, a.end) for a in page.adjectives]
    groups: dict[tuple[str, str], Candidate] = {}
    found = find_places(text, skip, language)
    places = [
        m
        for m in found
        if m.start >= body_start
        and not _overlaps(m, taken)
        and not own_ids & {e.geonameid for e in m.entries}
        and not is_own(m.label, municipality)
        and not common_word(page, m.label, m.start)
        and not generic_word(m.label)
        and m.label.casefold().rstrip(".") not in month_names()
        and m.label.casefold().rstrip(".") not in day_names()
    ]
    # A name an adjective qualifies that no reading found in the adjective's country: read loosely there.
    for label, start, end, place in qualified(page, [(m.start, m.end, {e.country for e in m.entries}) for m in found]):
        loose = PlaceMention(label, start, end, (place,), "fuzzy")
        if _overlaps(loose, taken):
            continue  # a country's name ("ucraineană din România") is no town, however loosely read
        places = [m for m in places if not (m.start < end and start < m.end)]
        places.append(loose)
    places.sort(key=lambda m: m.start)
    where: dict[int, tuple[str, str]] = {}
    for m in places:
        resolved = _resolve(page, m, home)
        if (
            resolved is None
            or after_title(page, m.start, m.end)
            or part_of_longer_name(page, m.start, m.end, language)
            or names_a_landmark(page, m.end)
            or thing_of_a_town(page, m.end, language)
            or on_a_name_day_line(page, m.start)
            or after_distance(page, m.start)
            or after_company_word(page, m.start)
            or in_hyphenated_name(page, m.start, m.end)
        ):
            continue
        country, entry, source = resolved
        common = language and " " not in m.label and is_common_word(m.label, language)
        if common and (source != "beside" or entry is None):
            continue  # "Miasta", "Comune", "Herb": a word of the language, not a place it names
        key = Candidate(country, entry).key if entry else (country, gazetteer.fold(m.label))
        cand = groups.setdefault(key, Candidate(country, entry))
        cand.spots.append(Spot(_unit_named(page, m), m.start, m.end, m.how, source))
        cand.ambiguous = cand.ambiguous or len({e.country for e in m.entries}) > 1
        where.update({pos: cand.key for pos in range(m.start, m.end)})
    for p in pattern:
        if is_own(p.label, municipality):
            continue
        cand = Candidate(p.country, p.entry)
        key = (p.country, str(p.entry.geonameid) if p.entry else gazetteer.fold(p.label))
        overlapping = where.get(p.start) or where.get(p.end - 1)
        if p.entry is None and overlapping is not None and overlapping[0] == p.country:
            key = overlapping  # "PolskoŚWIDNICA": the pattern reader's "WIDNICA" is the gazetteer's Świdnica
        cand = groups.setdefault(key, cand)
        cand.spots.append(Spot(p.label, p.start, p.end, "pattern", "beside"))
    for label, start, end, country in _unknown_entries(page, where, language, municipality):
        cand = groups.setdefault((country, gazetteer.fold(label)), Candidate(country, None))
        cand.spots.append(Spot(label, start, end, "pattern", "heading"))
    candidates = _inside_longer(_one_place_per_name(_merge_labels(list(groups.values())), language))
    # A place named only in the site's menus, breadcrumbs or footer is not a partner.
    candidates = [c for c in candidates if not all(is_menu(text[slice(*page.line(s.start))]) for s in c.spots)]
    # A town of the municipality's own country next door is the city it lies in or a neighbour, not a twin.
    if own_entries:
        candidates = [c for c in candidates if c.entry is None or not next_door(c.entry, own_entries[0])]
    all_spots = sorted((s.start, s.end) for c in candidates for s in c.spots)
    for cand in candidates:
        # "Община Нилюфер, град Бурса", "GOLA PRISTAN, RAIONUL CHERSON": where the place before it lies.
        # "Ансамбъл „Зорница“, Русе": where a group in quotation marks comes from.
        cand.spots = [
            s
            for s in _distinct(cand.spots)
            if not describes_previous(page, s.start) and not after_quoted_name(page, s.start)
        ]
    candidates = [c for c in candidates if c.spots]
    all_spots = sorted((s.start, s.end) for c in candidates for s in c.spots)
    stated = {(s.start, s.end) for c in candidates for s in c.spots if s.country_from != "gazetteer"}
    for cand in candidates:
        _describe(page, cand, all_spots, stated, home)
    return page, candidates


# A line that is nothing but a name (its other-language name after a dash or a slash may follow): "Jelšava -
# Jolsva". Words of a name: capitalised, or the small words names carry inside.
_NAME_LINE = re.compile(
    r"[\s•*·▪►»-]*((?-i:[^\W\d_])[^\W\d_'’.-]*(?:[ -](?:[^\W\d_][^\W\d_'’.-]*)){0,3})"
    r"(?:\s+[-–—/]\s+[^\W\d_][^\W\d_'’. -]*)?\s*"
)


def _unknown_entries(
    page: Page, where: dict[int, tuple[str, str]], language: str | None, municipality: str | None
) -> list[tuple[str, int, int, str]]:
    """Names the gazetteer does not know, each alone on its line under a heading that names a country and
    dated on the next line (a village of a page listing its partners by country: "Szlovákia" / "Jelšava -
    Jolsva" / "2004. augusztus 20."): the name as written, in the heading's country. Not a line the readers
    placed already, nor one naming a country, nor a word of the page's language, nor an acronym."""
    out = []
    for i, (s, e) in enumerate(page.lines):
        country = page.section_country(s)
        if country is None or s < page.body_start or not page.is_heading(i) or page.countries_in(s, e):
            continue
        if any(pos in where for pos in range(s, e)) or page.adjectives_in(s, e):
            continue
        m = _NAME_LINE.fullmatch(page.text, s, e)
        if m is None:
            continue
        label = m.group(1)
        words = re.findall(r"[^\W\d_]+", label)
        if not all(w[0].isupper() or w.casefold() in JOINER_WORDS for w in words) or not words[0][0].isupper():
            continue
        if is_own(label, municipality) or twin_cues(label) or agreement_cues(label) or noise_cues(label):
            continue
        if language and any(is_common_word(w, language) for w in words if w[0].isupper()):
            continue
        if label.casefold() in month_names() or label.casefold() in day_names() or len(label) < 3:
            continue
        if label.isupper() and len(label) <= 5:
            continue  # an acronym: "ЕСФ", "NGO"
        below = next((page.text[a:b] for a, b in page.lines[i + 1 : i + 4] if page.text[a:b].strip()), "")
        if not find_dates(below):
            continue  # a partner's entry dates it on the line below; a menu item does not
        out.append((label, m.start(1), m.end(1), country))
    return out


def _merge_labels(candidates: list[Candidate]) -> list[Candidate]:
    """Merge a place the gazetteer does not know into the one it knows under the same name and country."""
    known = {(c.country, gazetteer.fold(s.label)): c for c in candidates if c.entry for s in c.spots}
    out = []
    for c in candidates:
        target = known.get((c.country, gazetteer.fold(c.label))) if c.entry is None else None
        if target is not None:
            target.spots.extend(c.spots)
        else:
            out.append(c)
    return out


def _one_place_per_name(candidates: list[Candidate], language: str | None) -> list[Candidate]:
    """Merge a name the gazetteer alone places into the candidate the page states a country for under that
    name: a page means one place by one name ("Swietłogorsk (Białoruś)" and, in a heading, "Herb miasta
    Swietłogorska", which GeoNames also knows as Russia's Svetlogorsk)."""
    stated = {gazetteer.fold(c.label): c for c in candidates if any(s.country_from != "gazetteer" for s in c.spots)}
    out = []
    for c in candidates:
        target = None
        if all(s.country_from == "gazetteer" for s in c.spots):
            names = {gazetteer.fold(s.label) for s in c.spots}
            if language:
                names |= {gazetteer.fold(v) for s in c.spots for v in declined(s.label, language)}
            target = next((stated[n] for n in sorted(names) if n in stated), None)
        if target is not None:
            target.spots.extend(c.spots)
        else:
            out.append(c)
    return out


def _inside_longer(candidates: list[Candidate]) -> list[Candidate]:
    """Drop a name read inside a longer one ("Сен" of "Ромійї-сюр-Сен", "Sainte" of "Pont Sainte Maxence")."""
    spans = [(s.start, s.end, id(c)) for c in candidates for s in c.spots]
    out = []
    for c in candidates:
        c.spots = [
            s
            for s in c.spots
            if not any(a <= s.start and s.end <= b and b - a > s.end - s.start and o != id(c) for a, b, o in spans)
        ]
        if c.spots:
            out.append(c)
    return out


def _distinct(spots: list[Spot]) -> list[Spot]:
    """One spot per place on the page: where both readers found it, the pattern reader's."""
    out: list[Spot] = []
    for spot in sorted(spots, key=lambda s: (s.start, s.how != "pattern")):
        if out and spot.start < out[-1].end:
            continue
        out.append(spot)
    return out


def _opens_sentence(page: Page, pos: int) -> bool:
    """Say whether no letter stands between the start of the sentence holding ``pos`` and ``pos``."""
    s, _e = page.sentence(pos)
    return not re.search(r"[^\W\d_]", page.text[s:pos])


def _is_sentence_start(page: Page, spot: Spot) -> bool:
    return _opens_sentence(page, spot.start)


def _person_like(page: Page, spot: Spot) -> bool:
    """A single capitalised word right after or before another, as in a person's name ("Ersin Tatar");
    not after a country adjective ("the Bulgarian Neszebar") or a word for town or municipality."""
    if " " in spot.label or any(0 < spot.start - a.end <= 1 for a in page.adjectives):
        return False
    if after_town_word(page, spot.start):
        return False  # "grada Đakova Ivan Išasegi": the town word says what the name is
    before = re.search(r"(?<![^\W\d_])([^\W\d_]+) $", page.text[max(0, spot.start - 30) : spot.start])
    after = re.match(r" ([^\W\d_]+)", page.text[spot.end : spot.end + 30])
    # A sentence's first word is capitalised wherever it stands ("Sa Banjalukom je …": "with Banja Luka").
    opens = before is not None and _opens_sentence(page, spot.start - len(before.group(0)))
    return bool((before and before.group(1)[0].isupper() and not opens) or (after and after.group(1)[0].isupper()))


def _noise_near(page: Page, spot: Spot) -> bool:
    """A word of visits, history, diplomacy or location close to the mention, in a sentence and paragraph
    without a twinning word."""
    s, e = page.sentence(spot.start)
    ls, le = page.line(spot.start)
    if twin_cues(page.text[min(s, ls) : max(e, le)]):
        return False  # "a reception for the delegations of the friend cities": the visitors are the partners
    return bool(noise_cues(page.text[max(s, spot.start - NOISE_CHARS) : min(e, spot.end + NOISE_CHARS)]))


def list_entry(page: Page, spot: Spot) -> bool:
    """The mention's line holds little besides it: a list entry or a heading ("- 10 de julho de 1993 –
    Pont Sainte Maxence (França)", "Zvolen - Zólyom")."""
    ls, le = page.line(spot.start)
    rest = page.text[ls : spot.start] + " " + page.text[spot.end : le]
    for c in page.countries_in(ls, le):
        rest = rest.replace(page.text[c.start : c.end], " ")
    words = [w for w in re.findall(r"[^\W\d_]{3,}", rest) if not w[0].isupper()]
    return len(words) <= 3


def _lead(page: Page, spot: Spot, all_spots: list[tuple[int, int]]) -> bool:
    """The first place named after the latest heading line: what a section is about."""
    index = page.line_index(spot.start)
    i = index - 1
    while i >= 0 and not page.is_heading(i):
        i -= 1
    since = page.lines[i][1] if i >= 0 else page.body_start
    if page.is_heading(index):
        since = page.lines[index][0]
    return not any(since <= a < spot.start for a, _b in all_spots)


def joined_to(page: Page, spot: Spot, spots: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The place a mention is joined to by "and" in one list entry ("Луксор и Александрия – Египет")."""
    if not list_entry(page, spot):
        return None
    ls, _le = page.line(spot.start)
    before = [(a, b) for a, b in spots if ls <= a and b <= spot.start]
    if not before:
        return None
    a, b = max(before, key=lambda ab: ab[1])
    return (a, b) if re.fullmatch(rf"\s+(?:{CONJUNCTIONS})\s+", page.text[b : spot.start], re.IGNORECASE) else None


LIST_PLACES = 3  # places one sentence names to be a list


def cue_scope(page: Page, spot: Spot, all_spots: list[tuple[int, int]]) -> tuple[int, int]:
    """The words a mention's cues are read in: its sentence, and for a list, the sentence of its paragraph
    before it, which introduces it ("A reception for the delegations of the friend cities. Present
    were the mayor of Đakovo, the delegation of Budva, …")."""
    s, e = page.sentence(spot.start)
    if sum(1 for a, _b in all_spots if s <= a < e) < LIST_PLACES:
        return s, e
    ls, _le = page.line(spot.start)
    if s <= ls:
        return s, e
    before = page.sentence(s - 1)
    return (before[0], e) if before[0] >= ls else (s, e)


def _cues_near(page: Page, spot: Spot, scope: tuple[int, int]) -> tuple[list[str], list[str]]:
    """Twinning and agreement words close to the mention, in its sentence (or its list's introduction)."""
    s, e = scope
    window = page.text[max(s, spot.start - CUE_CHARS) : min(e, spot.end + CUE_CHARS)]
    if s < page.sentence(spot.start)[0]:
        window = page.text[s : page.sentence(spot.start)[0]] + " " + window
    return twin_cues(window), agreement_cues(window)


def _describe(
    page: Page, cand: Candidate, all_spots: list[tuple[int, int]], stated: set[tuple[int, int]], home: str | None
) -> None:
    """Fill in a candidate's features and the words that speak for it."""
    text = page.text
    twin: list[str] = []
    agree: list[str] = []
    near: list[str] = []
    headings = dated = listed = mates = 0
    twin_near = agree_near = False
    for spot in cand.spots:
        scope = cue_scope(page, spot, all_spots)
        cues_t, cues_a = _cues_near(page, spot, scope)
        twin_near, agree_near = twin_near or bool(cues_t), agree_near or bool(cues_a)
        twin.extend(twin_cues(text[slice(*scope)]))
        agree.extend(agreement_cues(text[slice(*scope)]))
        s, e = page.sentence(spot.start)
        li = page.line_index(spot.start)
        ls, le = page.lines[li]
        headings += page.is_heading(li)
        following = page.lines[li + 1 : li + 2]
        dated += bool(find_dates(text[ls:le]) or any(find_dates(text[a:b]) for a, b in following))
        listed += sum(1 for a, _b in all_spots if s <= a < e) >= 3
        others = [(a, b) for a, b in all_spots if s <= a < e and a != spot.start]
        mates += len(others) >= 2 and sum((a, b) in stated for a, b in others) * 2 >= len(others)
        for a, b in page.previous_lines(spot.start, 2):
            near.extend(twin_cues(text[a:b]) + agreement_cues(text[a:b]))
    n = len(cand.spots)
    folded = gazetteer.fold(cand.label)
    sources = {s.country_from for s in cand.spots}
    hows = {s.how for s in cand.spots}
    cand.features = {
        "beside": float("beside" in sources),
        "adjective": float("adjective" in sources),
        "heading_country": float("heading" in sources),
        "gazetteer_country_only": float(sources == {"gazetteer"}),
        "gazetteer_ambiguous": float(sources == {"gazetteer"} and cand.ambiguous),
        "pattern": float("pattern" in hows),
        "twin_near": float(twin_near),
        "agreement_near": float(agree_near),
        "list_mates_stated": float(mates > 0),
        "twin_sentence": float(bool(twin)),
        "agreement_sentence": float(bool(agree)),
        "cue_above": float(bool(near)),
        "page_twin": float(bool(twin_cues(text[page.body_start :]))),
        "noise_only": float(all(_noise_near(page, s) for s in cand.spots)),
        "heading": float(headings > 0),
        "list_entry": float(any(list_entry(page, s) for s in cand.spots)),
        "lead": float(any(_lead(page, s, all_spots) for s in cand.spots)),
        "in_list": float(listed > 0),
        "dated": float(dated > 0),
        "exact": float(bool(hows & {"exact", "pattern", "transliterated", "declined"})),
        "inflected_only": float(hows == {"inflected"}),
        "lemma": float("lemma" in hows),
        "transliterated": float("transliterated" in hows),
        "unknown_place": float(cand.entry is None),
        "population": math.log10((cand.entry.population if cand.entry else 0) + 1) / 7,
        "mentions": math.log(1 + n),
        "sentence_start_only": float(all(_is_sentence_start(page, s) for s in cand.spots)),
        "person_like": float(all(_person_like(page, s) for s in cand.spots)),
        "after_admin_word": float(all(ADMIN_WORD.search(text[max(0, s.start - 25) : s.start]) for s in cand.spots)),
        "domestic": float(home is not None and cand.country == home),
        "short_name": float(len(folded) <= 3),
    }
    f = cand.features
    told = max(f["beside"], f["adjective"], f["heading_country"])
    structural = max(f["list_entry"], f["heading"])
    # Conjunctions a linear scorer cannot form by itself: a listed place with its country stated, a known
    # name close to a twinning or agreement word.
    f["stated_and_listed"] = told * structural
    f["cue_near_known"] = max(f["twin_near"], f["agreement_near"]) * (1 - f["unknown_place"]) * (1 - f["person_like"])
    f["inflected_by_cue"] = max(f["inflected_only"], f["lemma"]) * f["cue_near_known"] * (1 - f["sentence_start_only"])
    f["stated_and_cue"] = told * max(f["twin_sentence"], f["agreement_sentence"])
    cand.evidence = list(dict.fromkeys([*twin, *agree, *near]))[:6]
