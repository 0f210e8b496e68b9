"""Mayors a page names: a town's head by title (words.MAYOR) and name, the town they head, the date.

The name is read after the title ("burmistrz Montany Zlatko Żiwkow", "Head of the Municipality: Ulf
Hansson") or before it ("Bartomeu Muñoz, alcalde de …", "Arnaud Pericard (Bürgermeister von …)"). A deputy
is not the mayor. A name that agrees with an inflected title is given in its nominative ("s gradonačelnikom
Eniom Pavoneom" -> Enio Pavone); a Turkish case suffix after an apostrophe is dropped ("Hayri Orçan’ı").
The town is the one named with the title, else the page's own. The date is the sentence's, else the latest
one earlier in its paragraph, else the page's dateline: the date the page attests the person in office.
"""

import re

from pobratim.core import gazetteer
from pobratim.extract.facts.model import MayorProposal
from pobratim.extract.facts.text import Reading, same_name
from pobratim.extract.facts.words import COUNCIL_NEAR, DEPUTY, HONORIFIC, MAYOR, MUNICIPALITY_NEAR, PRESIDENT, UNIT
from pobratim.extract.mentions import SURE_JOINERS

# The words before a town after a title ("mayor of", "alcalde de", "кмет на"), not the words inside its name.
PREPOSITION = re.compile(r"^(?:of|de|di|da|del|von|vom|du|des|na|на|z|ze|u|w|à|van)$", re.IGNORECASE)
NEAR_TITLE = 200
NEAR_BEFORE = 40
ELISION = re.compile(r"^[dlDL][’']")
TOKEN = re.compile(r"[^\W\d_][\w'’.-]*")
DEPUTY_AFTER = re.compile(r"^\W*(?:adjoint|yardımcı|vietniek|stellvertret|-?stellvertreter)", re.IGNORECASE)
INFLECTED_TITLE = re.compile(r"(?:om|em|ом|ем)$", re.IGNORECASE)
NAME_WORDS = 2
# The gap before a name written before its title: ", ", " (", " (v.l., " (a caption's "from the left").
GAP_BEFORE = re.compile(r"^(?:\s*,\s*|\s*\((?:[^()]{0,8},\s*)?|\s+)$")


def _nominative(word: str, inflected: bool) -> str:
    """A name word in the nominative: a Turkish suffix after an apostrophe dropped; an instrumental ending
    dropped where the title is instrumental too (Croatian, Serbian, Polish: -om, -em)."""
    word = re.split(r"[’']", word)[0]
    if len(word.rstrip(".")) > 1:
        word = word.rstrip(".")  # the sentence's full stop, not an initial's ("E. Galaguz")
    if not inflected:
        return word
    lower = word.casefold()
    if lower.endswith(("eom", "еом")):
        return word[:-2]
    if lower.endswith(("iom", "oom", "иом")):
        return word[:-1]
    if lower.endswith(("om", "em", "ом", "ем")) and len(word) > 4:
        return word[:-2]
    return word


def _titles(sentence: str) -> list[re.Match[str]]:
    found = list(MAYOR.finditer(sentence))
    for m in PRESIDENT.finditer(sentence):
        # A municipality's president heads it; a council's president does not.
        if MUNICIPALITY_NEAR.search(sentence[max(0, m.start() - 60) : m.start()]) and not COUNCIL_NEAR.search(
            sentence[m.end() : m.end() + 25]
        ):
            found.append(m)
    return sorted(found, key=lambda m: m.start())


def _trimmed(place: list[str]) -> list[str]:
    """A town's words without the joiners a break left at their end ("alcalde de Santa Coloma de")."""
    while place and place[-1].casefold() in SURE_JOINERS:
        place = place[:-1]
    return place


def _after(sentence: str, pos: int) -> tuple[list[str], list[str]]:
    """Read the place and the name written after a title: ("Białogardu",), ("Krzysztof", "Bagiński").

    After a preposition ("of", "de", "na", "von") the capitalised words are the town, up to a break (a comma,
    a dash, a courtesy title); else the last words of the capitalised run are the name and those before it
    the town ("gradonačelnik grada Vukovara Ivan Penava")."""
    place: list[str] = []
    run: list[str] = []
    placing = False
    last = pos
    for m in TOKEN.finditer(sentence, pos):
        gap = sentence[last : m.start()]
        last = m.end()
        word = m.group()
        mark = gap.strip(" :–—-,")
        if mark and (run or mark not in {"(", ")"}):
            break
        if gap.strip():
            if len(run) >= NAME_WORDS and not placing:
                break
            place, run, placing = place + run, [], False  # "кметът на Казанлък, г-жа …": the town, then the name
        if HONORIFIC.match(word):
            if placing:
                place, run, placing = place + run, [], False
            continue
        if PREPOSITION.match(word) and not run:
            placing = True
            continue
        if UNIT.match(word) or (word.isupper() and len(word) > 1 and not placing):
            if run:
                place, run = place + run, []
            continue
        if word[:1].isupper():
            run.append(word)
            if len(run) > NAME_WORDS + 2:
                break
            continue
        if placing and word.casefold() in SURE_JOINERS:
            run.append(word)
            continue
        break
    if placing or len(run) < NAME_WORDS:
        return _trimmed(place + run), []
    return place + run[:-NAME_WORDS], run[-NAME_WORDS:]


def _before(sentence: str, pos: int) -> list[str]:
    """Read a name written just before its title: "Bartomeu Muñoz, alcalde", "Arnaud Pericard (Bürgermeister"."""
    tokens = list(TOKEN.finditer(sentence[:pos]))
    if len(tokens) < NAME_WORDS:
        return []
    last = tokens[-NAME_WORDS:]
    if not GAP_BEFORE.match(sentence[last[-1].end() : pos]):
        return []
    if sentence[last[0].end() : last[1].start()] != " ":
        return []
    words = [ELISION.sub("", t.group()) for t in last]
    if not all(w[:1].isupper() and not UNIT.match(w) and not HONORIFIC.match(w) for w in words):
        return []
    return words


def _place_after_title(sentence: str, pos: int) -> list[str]:
    """The town a title names after it, when the name stood before the title ("alcalde de Santa Coloma")."""
    place: list[str] = []
    for m in TOKEN.finditer(sentence, pos):
        word = m.group()
        if UNIT.match(word) and not place:
            continue
        if word[:1].isupper() or (place and word.casefold() in SURE_JOINERS):
            place.append(word)
            continue
        break
    return _trimmed(place)


def _place_before_title(sentence: str, pos: int) -> list[str]:
    """The town named just before a title ("Karatay Belediye Başkanı", "Schwelms Bürgermeister")."""
    tokens = list(TOKEN.finditer(sentence[:pos]))
    if tokens and sentence[tokens[-1].end() : pos].strip() == "" and tokens[-1].group()[:1].isupper():
        return [tokens[-1].group()]
    return []


def read_mayors(r: Reading) -> list[MayorProposal]:
    """Propose the mayors the page names."""
    out: list[MayorProposal] = []
    for s, e in r.sentences():
        sentence = r.text[s:e]
        for m in _titles(sentence):
            if DEPUTY.search(sentence[: m.start()]) or DEPUTY_AFTER.match(sentence[m.end() :]):
                continue
            title = m.group()
            place, name = _after(sentence, m.end())
            tail = " ".join(place[-NAME_WORDS:])
            if not name and len(place) == NAME_WORDS + 1 and f"{place[0]} {tail}" in sentence:
                # "кметът на Габрово Томислав Дончев": after "of", a town the page or the gazetteer knows,
                # then the name.
                town = " ".join(place[:-NAME_WORDS])
                if (
                    r.is_own(town)
                    or any(same_name(town, n) for p in r.partners for n in p.names)
                    or (gazetteer.lookup(_nominative(town, False)))
                ):
                    place, name = place[:-NAME_WORDS], place[-NAME_WORDS:]
            how = "after the title"
            if not name:
                name = _before(sentence, m.start())
                place = _place_after_title(sentence, m.end()) or place
                how = "before the title"
            if not name:
                continue
            if not place and how == "after the title":
                place = [w for w in _place_before_title(sentence, m.start()) if not HONORIFIC.match(w)]
            inflected = bool(INFLECTED_TITLE.search(title.split()[-1]))
            person = " ".join(_nominative(w, inflected) for w in name)
            if any(r.is_own(w) for w in name) or any(same_name(person, p.label) for p in r.partners):
                continue  # a town, not a person ("Mayor Bielsk Podlaski")
            of, tied = _town(r, " ".join(place))
            named_at = sentence.find(name[0]) if name[0] in sentence else m.start()
            date, when = _date(r, s, e, min(m.start(), named_at))
            why = [f"title: {title!r}", f"name {how}"]
            if inflected and person != " ".join(name):
                why.append(f"nominative of {' '.join(name)!r} (the title is inflected too)")
            if when:
                why.append(when)
            start = s + min(m.start(), sentence.find(name[0]) if name[0] in sentence else m.start())
            end = s + max(m.end(), sentence.find(name[-1]) + len(name[-1]) if name[-1] in sentence else m.end())
            out.append(
                MayorProposal(
                    quote=r.quote(start, end),
                    confidence=0.9 if how == "after the title" else 0.8,
                    why=why,
                    twinning=tied,
                    start=s,
                    person=person,
                    of=of,
                    date=date,
                )
            )
    return _merge(out)


def _town(r: Reading, place: str) -> tuple[str, str | None]:
    """The town a title names: a partner (its twinning), the page's own, or the place as written."""
    if place:
        words = place.replace("’", "'").split("'")[0]
        for p in r.partners:
            if any(same_name(words, n) or same_name(n, words) for n in p.names):
                return p.name, p.name
        if r.is_own(words) or any(r.is_own(w) for w in words.split()):
            return r.municipality or words, None
        return words, None
    return r.municipality or "", None


def _date(r: Reading, s: int, e: int, at: int) -> tuple[str | None, str]:
    """The date a sentence attests a mayor on: its own, the paragraph's latest before it, the dateline."""
    # The sentence's date: after the title (the act it attests them at), or just before it ("През месец
    # септември 2017 г. Кмета …"); a year far before is history the sentence tells.
    dates = [d for d in r.dates_in(s, e) if -NEAR_BEFORE <= d.start - (s + at) <= NEAR_TITLE]
    if dates:
        near = min(dates, key=lambda d: abs(d.start - (s + at)))
        return near.when.lexical(), ""
    line_start = r.page.line(s)[0]
    # A date to the month or day earlier in the paragraph ("On 20 August the parade … Then Mayor …"); a bare
    # year there is more often history than the occasion.
    earlier = [d for d in r.dates_in(line_start, s) if d.when.month is not None]
    if earlier:
        return earlier[-1].when.lexical(), "date of the paragraph's earlier sentence"
    if r.dateline is not None:
        return r.dateline.lexical(), "date of the page"
    return None, ""


def _merge(found: list[MayorProposal]) -> list[MayorProposal]:
    """One proposal per person and date: the fullest spelling of the name kept ("E. Galaguz" -> "Erlandas
    Galaguz")."""
    out: list[MayorProposal] = []
    for m in found:
        same = next(
            (
                o
                for o in out
                if _same_person(o.person, m.person)
                and None in (o.date, m.date, *([o.date] if o.date == m.date else []))
            ),
            None,
        )
        if same is None:
            out.append(m)
        else:
            if len(m.person.split()[0]) > len(same.person.split()[0]):
                same.person = m.person
            same.date = same.date or m.date
    return out


def _same_person(a: str, b: str) -> bool:
    wa, wb = a.split(), b.split()
    if not wa or not wb or wa[-1] != wb[-1]:
        return False
    return wa[0] == wb[0] or wa[0].rstrip(".") == wb[0][:1] or wb[0].rstrip(".") == wa[0][:1]
