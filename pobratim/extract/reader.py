"""Propose twinning records from a municipality's page text (menus, sidebars and footers included).

The extractor looks for a place named next to a country ("Лесковац, Сърбия", "град Верия (Гърция – от
1980 г.)", "The city of Bor /Republic of Serbia/", "Kalarasz – miasto w Rumunii"), resolves the place in
the offline gazetteer for that country, merges repeated mentions (menus, captions, sidebars), and reads
the start of each relation from the text that follows the mention, up to the next partner: the earliest
date of a signing, decision or beginning — not of a meeting, a founding or a publication. It proposes;
a person reviews. It never proposes a place that is not on the page.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pobratim.core import gazetteer
from pobratim.core.countries import country_code, country_names
from pobratim.core.quotes import normalise
from pobratim.core.text_dates import DateMention, find_dates
from pobratim.extract.candidates import Candidate, PatternMention, Spot, find_candidates, joined_to, list_entry
from pobratim.extract.context import Page
from pobratim.extract.country_names import find_countries
from pobratim.extract.cues import is_menu, twin_cues
from pobratim.extract.lemmas import code as lemma_code
from pobratim.extract.mentions import JOINERS
from pobratim.extract.namesakes import find_namesakes
from pobratim.extract.score import Model
from pobratim.extract.score import load as load_model
from pobratim.extract.script import check_readable

# Words that name the kind of place or office rather than the place (stripped from the front or back).
GENERIC_BEFORE = re.compile(
    r"^(?:(?:the\s+)?(?:city|town|municipality|commune|village|district)\s+of|град|гр\.|община|общ\.|село|с\.|"
    r"herb(?:\s+(?:miasta|gminy|rejonu|powiatu))?|miasto|miasta|gmina|gminy|rejon|rejonu|stadt|gemeinde|"
    r"ville\s+de|commune\s+de|comune\s+di|città\s+di|city|town|municipality|общината|столица\s+на|"
    r"и|and|i|oraz|und|et)\s+",
    re.IGNORECASE,
)
GENERIC_AFTER = re.compile(r"\s+(?:municipality|city|town|district|rajon|община|град)$", re.IGNORECASE)
# The front of a country name that is really part of it, or an abbreviation of "republic".
COUNTRY_PREFIX = re.compile(
    r"(?:\b(?:р\.?|republic\s+of|република|republika|republik|république\s+de)\s*)$", re.IGNORECASE
)
TRAILING_PREPOSITION = re.compile(
    r"\s+(?:w|we|na|in|to|of|from|z|ze|в|във|на|от|из|en|di|de|da|nach|im)$", re.IGNORECASE
)
CONJUNCTION = re.compile(r"\s+(?:и|and|i|oraz|und|et|e|y|ve|și|si)\s+")
PART_SEPARATOR = re.compile(r"\s*,\s*|\s+[–—-]\s+|\s*/\s*")
CLAUSE_BOUNDARY = re.compile(r"[():;\[\]{}]|(?<=[^\W\d]{3})\.\s")
NAME_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")
# The joiners of place names (one list, in mentions.py), and a Korean ward's "gu" ("Jung-gu").
LOWER_JOINERS = JOINERS | {"gu", "-gu"}

# A council that consents to (approves) a twinning: its decision's date is not the twinning's start.
CONSENT = re.compile(
    r"съглас|consent|approv|одобр|zgod|zustimm|genehmig|approuv|approva|aprob|jóváhagy|souhlas|schvál|"
    r"погодж|onay|pritar|apstiprin|έγκρισ",
    re.I,
)

# What a sentence says about a date (checked in this order; the first that fits decides).
KIND_WORDS: list[tuple[str, re.Pattern[str]]] = [
    (
        "successor",
        re.compile(r"приемни|successor|następc|nachfolge|successeur|successor|правонаступ|jogutód|διάδοχ", re.I),
    ),
    (
        "council_decision",
        re.compile(
            r"решение\b.*\bсъвет|съвет\b.*\bрешение|council decision|decision of the "
            r"(?:municipal|city) council|decision\b.*\bcouncil\b|council\b.*\b(?:decided|decision)|"
            r"uchwał|beschluss|délibération|delibera|hotărâr|hotărar|odluk|"
            r"határozat|usnesení|sklep občinskega|рішення|απόφαση",
            re.I,
        ),
    ),
    (
        "protocol",
        re.compile(r"протокол|protocol|protokół|protokoll|protocole|protocollo|protokol|πρωτόκολλ", re.I),
    ),
    (
        "agreement",
        re.compile(
            r"споразумени|agreement|umow|porozumieni|abkommen|vereinbarung|accord\b|accordo|"
            r"convenzione|convention|угод|sporazum|dohod|pogodb|megállapodás|anlaşma|acord\b|sutart|līgum|"
            r"acuerdo|acordo|overeenkomst|συμφων|smlouv",
            re.I,
        ),
    ),
    (
        "twinning",
        re.compile(
            r"побратим|twinning|twin town|jumelage|gemellaggio|partnerschaft|städtepartner|"
            r"декларация|declaration|αδελφοποί|testvér|kardeş|înfrăț|înfrăţ|pobraten|pobratim|geminação|"
            r"hermanamiento|sadraudzīb|listin[aeo] o pobratenju",
            re.I,
        ),
    ),
    ("agreement", re.compile(r"договор|contract|kontrakt|vertrag|contratto|contrat", re.I)),
    (
        "other",
        re.compile(
            r"relationship|co-?operat|сътрудничеств|контакт|връзки|współprac|zusammenarbeit|"
            r"coopération|cooperazione|relations",
            re.I,
        ),
    ),
]
# Dates in such sentences are not the start of a relation.
NOT_A_START = re.compile(
    r"meeting|среща|spotkani|treffen|réunion|riunione|основан|founded|założon|gegründet|fondé|fondat|"
    r"пр\.\s*н\.\s*е|\bB\.?C\.?\b|публикува|актуализира|публ\.|published|updated|opublikowan|"
    r"until \d|до \d{4}|do \d{4} roku|stolicą|capital in|population|жители|inhabitants|mieszkańc|"
    r"©|copyright|всички права|all rights|wszelkie prawa",
    re.IGNORECASE,
)
PAGE_TWINNING = re.compile(r"побратим|twin|partnersk|jumel|gemell|partnerstadt|städtepartner", re.IGNORECASE)
PLACE_AFTER_GENERIC = re.compile(
    r"(?:град|гр\.|city of|town of|the town|the city|miasto|miasta|stadt|ville de|città di)\s+"
    r"((?-i:[A-ZА-ЯЁ][\w-]+(?:\s+[A-ZА-ЯЁ][\w-]+)?))",
    re.IGNORECASE,
)
HEADER_LINE = re.compile(r"^(?:page-kind|origin|language):\s")


@dataclass
class Mention:
    """A place named beside a country."""

    label: str
    country: str
    country_label: str
    start: int
    end: int  # end of the country mention
    heading: bool
    entry: gazetteer.Entry | None


@dataclass
class Proposal:
    """A proposed twinning, ready for review."""

    municipality: str | None
    partner: str
    partner_label: str
    country: str
    country_label: str = ""
    start: str | None = None
    start_kind: str | None = None
    quote: str = ""
    confidence: float = 0.0
    geonameid: int | None = None
    mentions: list[Spot] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    possible: bool = False  # below the cut: shown to a reviewer on request, never measured as proposed

    def as_json(self) -> dict[str, str | bool | float | None]:
        out: dict[str, str | bool | float | None] = {
            "municipality": self.municipality,
            "partner": self.partner,
            "partner_label": self.partner_label,
            "country": self.country,
            "start": self.start,
            "start_kind": self.start_kind,
            "quote": self.quote,
            "confidence": self.confidence,
        }
        if self.possible:
            out["possible"] = True
        return out


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        spans.append((pos, pos + len(line.rstrip("\r\n"))))
        pos += len(line)
    return spans


def _line_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for start, end in spans:
        if start <= pos <= end:
            return start, end
    return pos, pos


def _strip_generic(name: str) -> str:
    previous = None
    while previous != name:
        previous = name
        name = GENERIC_BEFORE.sub("", name).strip(" ,;:–—-/(•*·▪►»").strip()
        name = GENERIC_AFTER.sub("", name).strip()
    return name


def _split_names(text: str) -> list[str] | None:
    """Split "Луксор и Александрия" into its names; None unless every piece is a name."""
    pieces = [p.strip() for p in CONJUNCTION.split(text) if p.strip()]
    return pieces if pieces and all(_is_name(p) for p in pieces) else None


def _is_name(name: str) -> bool:
    words = name.split()
    if not words or len(words) > 5 or not name[0].isupper():
        return False
    if len(words) > 1 and name.isupper() and sum(w.isalpha() for w in words) > 1:
        return False  # SHOUTED HEADINGS ("НАЦИОНАЛЕН ПРАЗНИК") are not place names
    return all(NAME_WORD.match(w) and (w[0].isupper() or w.lower() in LOWER_JOINERS or w[0] in "-–") for w in words)


def _trailing_name(part: str) -> tuple[str, bool]:
    """Return the capitalised run at the end of ``part`` and whether only generic words stood before it."""
    stripped = _strip_generic(part)
    if _is_name(stripped):
        return stripped, True
    words = part.split()
    run: list[str] = []
    for word in reversed(words):
        if word[:1].isupper() or (run and word.lower() in LOWER_JOINERS):
            run.insert(0, word)
        else:
            break
    while run and run[0].lower() in LOWER_JOINERS:
        run.pop(0)
    return " ".join(run), False


def _names_before(head: str, country: str, heading: bool) -> tuple[list[str], bool, str]:
    """Read the place name(s) written just before a country: the names, whether they stand alone
    (nothing but generic words in front), and the separator before the country."""
    tail = head.rstrip()
    separator = ""
    match = re.search(r"[\s,–—/(-]*$", tail)
    if match:
        separator = match.group(0).strip()
        tail = tail[: match.start()]
    tail = COUNTRY_PREFIX.sub("", tail).rstrip(" ,–—-/(")
    tail = TRAILING_PREPOSITION.sub("", tail).rstrip(" ,–—-/(")
    pieces = CLAUSE_BOUNDARY.split(tail)
    clause = pieces[-1].strip(" ,") if pieces else ""
    if not clause:
        return [], False, separator
    whole = _strip_generic(clause)
    if whole and whole[0].isupper() and _resolve(whole, country) is not None:
        return [whole], True, separator  # "Villeneuve – le- Roi" is one name, dashes and all
    parts = PART_SEPARATOR.split(clause)
    if heading:
        # An entry heading names the partner first: "Град Денпасар, столица на остров Бали, …".
        names = _split_names(_strip_generic(parts[0]))
        if names:
            return names, True, separator
    names = _split_names(whole)
    if names and not PART_SEPARATOR.search(whole):
        return names, True, separator
    # "община Нилюфер, град Бурса": the longest run of name-like parts before the country; the first is the
    # partner and the rest describe it (its city, its island).
    run: list[str] = []
    for part in reversed(parts):
        name = _strip_generic(part)
        if _is_name(name) and not find_countries(part):
            run.insert(0, name)
        else:
            break
    if run:
        alone = len(run) == len(parts) or not parts[: len(parts) - len(run)][-1].strip()
        first = run[0]
        return [n for n in CONJUNCTION.split(first) if n], alone, separator
    name, alone = _trailing_name(parts[-1])
    return ([name] if name else []), alone and len(parts) == 1, separator


def _resolve(name: str, country: str) -> gazetteer.Entry | None:
    found = gazetteer.lookup(name, country)
    if not found and " " in name:
        found = gazetteer.lookup(name.replace(" ", "-"), country)
    return found[0] if found else None


def _is_country(name: str) -> bool:
    return any(m.start == 0 and m.end == len(name) for m in find_countries(name))


def find_mentions(text: str, municipality: str | None) -> list[Mention]:
    """Every place named beside a country that could be a partner."""
    spans = _lines(text)
    own = {gazetteer.fold(municipality)} if municipality else set()
    if municipality:
        own |= {gazetteer.fold(e.name) for e in gazetteer.lookup(municipality)[:1]}
        own_ids = {e.geonameid for e in gazetteer.lookup(municipality)[:1]}
    else:
        own_ids = set()
    mentions: list[Mention] = []
    countries = find_countries(text)
    previous_end: dict[int, int] = {}
    for c in countries:
        line_start, line_end = _line_of(spans, c.start)
        head_start = max(line_start, previous_end.get(line_start, line_start))
        previous_end[line_start] = c.end
        head = text[head_start : c.start]
        line = text[line_start:line_end].strip()
        heading = len(line) <= 70 and len(find_countries(line)) <= 2
        names, alone, separator = _names_before(head, c.code, heading)
        tight = heading or (alone and ("(" in separator or "/" in separator))
        for name in names:
            if not name or _is_country(name) or gazetteer.fold(name) in own:
                continue
            entry = _resolve(name, c.code)
            if entry is not None and entry.geonameid in own_ids:
                continue
            if entry is None and not (tight and alone):
                continue
            start = text.find(name, head_start, c.start) if name in text[head_start : c.start] else head_start
            mentions.append(Mention(name, c.code, c.text, start, c.end, heading, entry))
    return mentions


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    pos = start
    for m in re.finditer(
        r"(?:(?<=[^\W\d]{2}[.!?])|(?<=\sг\.)|(?<=\d\s\.)|(?<=\d{4}\.))\s+(?=\W*[A-ZА-ЯЁ0-9])|\s*\n\s*", text[start:end]
    ):
        yield pos, start + m.start()
        pos = start + m.end()
    yield pos, end


def _kind(sentence: str) -> str | None:
    for kind, pattern in KIND_WORDS:
        if pattern.search(sentence):
            return kind
    return None


def _start_of(text: str, scopes: list[tuple[int, int]]) -> tuple[DateMention | None, str | None, str]:
    """Pick the start of a relation in its scopes: the earliest date that begins something.

    A date alone on its line is usually a publication date; it is taken only when the scopes hold no
    other (a list whose dates stand on the line under each name: "Zvolen - Zólyom" / "1995. augusztus 20.").
    """
    best: tuple[DateMention, str | None, str] | None = None
    alone: tuple[DateMention, str | None, str] | None = None
    for s, e in scopes:
        sentences = list(_sentences(text, s, e))
        for i, (a, b) in enumerate(sentences):
            sentence = text[a:b]
            if NOT_A_START.search(sentence):
                continue
            for d in find_dates(sentence):
                # Sentences end at line ends, so nothing else in the sentence means a date alone on its line:
                # a publication date, not a start.
                if not (sentence[: d.start] + sentence[d.end :]).strip(" .г\xa0"):
                    if alone is None:
                        alone = (DateMention(d.when, a + d.start, a + d.end), None, sentence)
                    continue
                kind, said = _kind(sentence), sentence
                if kind is None and i + 1 < len(sentences):
                    follower = text[sentences[i + 1][0] : sentences[i + 1][1]]
                    if not find_dates(follower):
                        # "… on 25 May 1978. The protocol signed then …"; "с решение от … г. Общински съвет …"
                        kind = _kind(sentence + " " + follower)
                        if kind is not None:
                            said = text[a : sentences[i + 1][1]]  # the words that gave the kind, verbatim
                mention = DateMention(d.when, a + d.start, a + d.end)
                if best is None or (mention.when.bounds() or ("9",))[0] < (best[0].when.bounds() or ("9",))[0]:
                    best = (mention, kind, said)
    if best is None:
        return alone or (None, None, "")
    return best


# A line that is a year and nothing else, but a dash or a bullet: a heading ("- 2001") over a partner's paragraph.
YEAR_HEADING = re.compile(r"[\s\-–—•*·]*((?:19|20)\d\d)[\s.:]*")


def _year_heading(page: Page, pos: int) -> tuple[DateMention, str] | None:
    """The year heading right above the paragraph holding ``pos``, with its line (a list of partners each
    under the year it began: "- 2001" / "With only 1500 inhabitants, Nin is …")."""
    for s, e in page.previous_lines(pos, 1):
        m = YEAR_HEADING.fullmatch(page.text, s, e)
        if m is not None:
            found = find_dates(m.group(1))
            if len(found) == 1:
                return DateMention(found[0].when, m.start(1), m.end(1)), page.text[s:e].strip()
    return None


def _body_start(text: str) -> int:
    """Skip the capture's header lines (page-kind:, origin:, language:)."""
    body_start = 0
    for line in text.splitlines(keepends=True):
        if HEADER_LINE.match(line):
            body_start += len(line)
        else:
            break
    return body_start


def page_language(text: str) -> str | None:
    """The language the capture's header names ("language: pl")."""
    match = re.search(r"^language:\s*([a-z]{2,3})\b", text[: _body_start(text)], re.MULTILINE)
    return match.group(1) if match else None


def read(text: str, municipality: str | None = None, language: str | None = None) -> tuple[Page, list[Candidate]]:
    """Find every candidate partner on a page, with its features; raise UnreadablePage for a script
    the reader does not know. ``language`` (ISO 639-1) defaults to the one the capture's header names."""
    check_readable(text)
    body_start = _body_start(text)
    lang = lemma_code(language or page_language(text))
    pattern = [
        PatternMention(m.label, m.country, m.start, m.start + len(m.label), m.entry)
        for m in find_mentions(text, municipality)
        if m.start >= body_start
    ]
    return find_candidates(text, municipality, pattern, body_start, lang)


def extract(
    text: str,
    municipality: str | None = None,
    model: Model | None = None,
    language: str | None = None,
    possible: bool = False,
) -> list[Proposal]:
    """Propose the twinnings a page states, best first (with ``possible``, the unsure ones below the cut
    after them, marked possible)."""
    page, candidates = read(text, municipality, language)
    return decide(page, candidates, municipality, model or load_model(), possible)


def _scopes(page: Page, cand: Candidate, others: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where a partner's own words are: from its mention (or its heading line) to the next partner's."""
    scopes = []
    for spot in cand.spots:
        index = page.line_index(spot.start)
        line_start, line_end = page.lines[index]
        heading = page.is_heading(index)
        sentence_start = page.sentence(spot.start)[0]
        # A list in a sentence: each entry's words follow its name; a partner named alone in its sentence
        # owns the whole sentence ("C'est en 1963 que … de Nackenheim, apposent …").
        listed = any(sentence_start <= s < spot.start for s, _e in others)
        begin = line_start if heading or list_entry(page, spot) else spot.start if listed else sentence_start
        begin = max([begin, *(e for s, e in others if e <= spot.start)])
        stop = min([len(page.text), spot.end + 1500, *(s for s, _e in others if s >= spot.end)])
        if not heading:
            stop = min(stop, line_end)
        scopes.append((begin, stop))
    return scopes


def _country_label(page: Page, cand: Candidate) -> str:
    """The country as the page writes it nearest the partner when the records know that name, else its
    English ISO name."""
    first = cand.spots[0].start
    written = sorted((c for c in page.countries if c.code == cand.country), key=lambda c: abs(c.start - first))
    for c in written:
        if country_code(c.text, {}) == cand.country:
            return c.text
    return country_names(cand.country)["en"]


def _same_place(a: Proposal, b: Proposal) -> bool:
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    names = {gazetteer.fold(a.partner_label), gazetteer.fold(a.partner)}
    return a.country == b.country and bool(names & {gazetteer.fold(b.partner_label), gazetteer.fold(b.partner)})


def _kind_of(dated: bool, kind: str | None, page_twin: bool) -> str | None:
    """A dated start's kind is what its sentence says (a twinning on a page about twin towns); an undated
    partner on such a page has none."""
    if dated:
        return kind or ("twinning" if page_twin else "other")
    return None if page_twin else "other"


def _about_twinning(page: Page) -> bool:
    """Say whether the page's own text (not its site's menus) speaks of twinning."""
    return any(twin_cues(page.text[a:b]) for a, b in page.lines if b > page.body_start and not is_menu(page.text[a:b]))


def decide(
    page: Page, candidates: list[Candidate], municipality: str | None, model: Model, possible: bool = False
) -> list[Proposal]:
    """Keep the candidates the model finds likely partners and read each one's start; with ``possible``,
    also those between the model's floor and its cut, marked possible."""
    text = page.text
    scored = [(model.probability(c.features), c) for c in candidates]
    floor = min(model.possible, model.threshold) if possible else model.threshold
    chosen = [(p, c) for p, c in scored if p >= floor]
    if possible and not chosen and scored and _about_twinning(page):
        # A page about twinning never leaves its reviewer with nothing: its likeliest reading is shown,
        # as possible, however unsure ("Tatlısu", a village GeoNames lacks, read as another place).
        chosen = [max(scored, key=lambda pc: pc[0])]
    # A second town in a partner's list entry is a partner too ("Луксор и Александрия – Египет").
    taken = {(s.start, s.end): p for p, c in chosen for s in c.spots}
    countries = {(s.start, s.end): c.country for _p, c in chosen for s in c.spots}
    for _p, cand in scored:
        if any(o is cand for _q, o in chosen):
            continue
        joined = [joined_to(page, s, list(taken)) for s in cand.spots]
        partner = next((j for j in joined if j is not None and countries[j] == cand.country), None)
        if partner is not None:
            chosen.append((taken[partner], cand))
    proposals: list[Proposal] = []
    successors: list[Proposal] = []
    page_twin = bool(PAGE_TWINNING.search(text))
    for prob, cand in chosen:
        others = [(s.start, s.end) for _p, o in chosen if o is not cand for s in o.spots]
        scopes = _scopes(page, cand, others)
        when, kind, sentence = _start_of(text, scopes)
        if when is None:
            when, sentence = _year_heading(page, cand.spots[0].start) or (None, sentence)
        consent = None
        if when is not None and kind == "council_decision" and CONSENT.search(sentence):
            # A council's consent to twin dates the decision, not the twinning (the pages do not say the
            # twinning began then): the start stays empty, the decision's date goes to the reviewer.
            consent, when = when, None
        best = next(
            (
                s
                for s in cand.spots
                if cand.evidence and any(w in text[slice(*page.sentence(s.start))] for w in cand.evidence)
            ),
            cand.spots[0],
        )
        quote = sentence if when else text[slice(*page.sentence(best.start))]
        sources = sorted({s.country_from for s in cand.spots})
        proposal = Proposal(
            municipality=municipality,
            partner=cand.entry.name if cand.entry else cand.label,
            partner_label=cand.label,
            country=cand.country,
            country_label=_country_label(page, cand),
            start=when.iso if when else None,
            start_kind="council_decision" if consent is not None else _kind_of(when is not None, kind, page_twin),
            quote=_trim(quote) if when else normalise(quote),
            confidence=round(prob, 2),
            geonameid=cand.entry.geonameid if cand.entry else None,
            mentions=cand.spots,
            possible=prob < model.threshold,
            evidence=[
                *cand.evidence,
                f"country: {cand.country} ({', '.join(sources)})",
                *([f"council decision of {consent.iso} (a consent, not the start)"] if consent else []),
            ],
        )
        proposals.append(proposal)
        successors.extend(_successors(text, proposal, scopes))
    proposals += [n for n in _namesakes(page, municipality, model) if not any(_same_place(n, p) for p in proposals)]
    for successor in successors:
        # A successor read from its predecessor's words replaces the same place proposed on its own without
        # a start; a place proposed with a start of its own keeps it.
        same = [p for p in proposals if _same_place(p, successor)]
        if any(p.start for p in same):
            continue
        proposals = [p for p in proposals if not _same_place(p, successor)]
        proposals.append(successor)
    return sorted(proposals, key=lambda p: -p.confidence)


def _namesakes(page: Page, municipality: str | None, model: Model) -> list[Proposal]:
    """Partners named by the rest of a name they share with the municipality ("the other Santa Colomas: de
    Queralt, de Farners"), in a sentence of twinning that lists them: proposed at the model's cut, in the
    country the gazetteer, the rest ("de Andorra") or the list's spelling of the shared name ("las saintes
    colombes des Illes") says, else in the municipality's, which the evidence says is a guess for the
    reviewer to check."""
    home = next(iter(gazetteer.lookup(municipality)[:1]), None) if municipality else None
    out = []
    for n in find_namesakes(page, municipality):
        country = n.country or (home.country if home else None)
        if country is None:
            continue
        told = n.told or "the municipality's, not said"
        out.append(
            Proposal(
                municipality=municipality,
                partner=n.entry.name if n.entry else n.name,
                partner_label=n.label,
                country=country,
                country_label=country_names(country)["en"],
                start_kind=_kind_of(False, None, bool(PAGE_TWINNING.search(page.text))),
                quote=normalise(page.text[slice(*page.sentence(n.start))]),
                confidence=round(model.threshold, 2),
                geonameid=n.entry.geonameid if n.entry else None,
                possible=False,
                evidence=[f"the rest of a name shared with {municipality}: {n.name}", f"country: {country} ({told})"],
            )
        )
    return out


def _trim(quote: str) -> str:
    """Cut the generic words a list's next entry leaves at the end of a quote ("…), град")."""
    return re.sub(
        r"[\s,;]*(?:(?:и|and)\s+)?(?:град|гр\.|община|the city of|city of)?[\s,;]*$",
        "",
        normalise(quote),
        flags=re.IGNORECASE,
    )


def _successors(text: str, proposal: Proposal, scopes: list[tuple[int, int]]) -> list[Proposal]:
    """A partner taken over by a successor town ("град Науса става приемник на град Стенимахос")."""
    found = []
    for s, e in scopes:
        for a, b in _sentences(text, s, e):
            sentence = text[a:b]
            if _kind(sentence) != "successor":
                continue
            dates = find_dates(sentence)
            # A town the sentence names as a town ("град Науса", "the town of X") or that the gazetteer knows.
            named = [m.group(1) for m in PLACE_AFTER_GENERIC.finditer(sentence)]
            for word in [*named, *re.findall(r"(?<!\w)[A-ZА-ЯЁ][\w-]+", sentence)]:
                entry = _resolve(word, proposal.country)
                if gazetteer.fold(word) == gazetteer.fold(proposal.partner_label) or (
                    entry is not None and entry.geonameid == proposal.geonameid
                ):
                    continue
                if entry is None and word not in named:
                    continue
                found.append(
                    Proposal(
                        municipality=proposal.municipality,
                        partner=entry.name if entry else word,
                        partner_label=word,
                        country=proposal.country,
                        country_label=proposal.country_label,
                        start=dates[0].iso if dates else None,
                        start_kind="successor",
                        quote=normalise(sentence),
                        confidence=proposal.confidence,
                        geonameid=entry.geonameid if entry else None,
                        possible=proposal.possible,
                    )
                )
                return found
    return found
