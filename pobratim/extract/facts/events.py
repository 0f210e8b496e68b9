"""Occasions a page says took place: ceremonies, visits, delegations, festivals, anniversaries, unveilings,
exhibitions, concerts, matches, competitions, receptions, meetings, exchanges, courses and shows.

A sentence states an event when it names an occasion (words.EVENTS) and ties it to something: a date, a
partner, or a ceremony of its own. What has not happened is not an event: a plan, an invitation, "the idea
arose", a signing still to come (words.PLAN). A signing is an event only where the page presents an
occasion (a ceremony, a formal sitting); a document signed is a document, read by ``documents``. An event
that recurs ("every five years", "regular exchanges") is proposed once, marked recurring, without a date.
"""

import re
from functools import cache

from babel import Locale

from pobratim.core.locales import LANGUAGES
from pobratim.extract.facts.model import EventProposal
from pobratim.extract.facts.text import MIN_SENTENCE, Reading
from pobratim.extract.facts.words import APPROVE, COUNCIL, DECISION, EVENTS, PLAN, RECURRING, SIGN

PLAN_REACH = 60


@cache
def weekdays() -> re.Pattern[str]:
    """The days of the week in every language read (CLDR, through Babel), as whole words."""
    names = {
        name.casefold()
        for lang in LANGUAGES
        for context in ("format", "stand-alone")
        for name in Locale.parse(lang).days[context]["wide"].values()
    }
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if len(n) >= 4)
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?![^\W\d_])", re.IGNORECASE)


def read_events(r: Reading) -> list[EventProposal]:
    """Propose the events the page states."""
    out: list[EventProposal] = []
    for s, e in r.sentences():
        sentence = r.text[s:e]
        if len(sentence.strip()) < MIN_SENTENCE:
            continue  # a heading or a menu entry ("Cronologia eventi"), not a sentence about an occasion
        found = next(((kind, m) for kind, pattern in EVENTS for m in [pattern.search(sentence)] if m), None)
        if found is None:
            continue
        kind, word = found
        if kind != "ceremony" and COUNCIL.search(sentence) and (APPROVE.search(sentence) or DECISION.search(sentence)):
            continue  # a council's session that decided something: the decision is a document, not an occasion
        # A plan or an invitation before the occasion's word, or just after it, makes it one still to come
        # ("invited a delegation … to visit", "firmarán … en una ceremonia"); one far after it is another
        # clause's ("… после посещение на делегация … 2013 г. кметът получава покана").
        if PLAN.search(sentence, 0, word.end() + PLAN_REACH):
            continue
        recurring = RECURRING.search(sentence)
        dates = r.dates_in(s, e)
        named = r.partners_in(s, e) or r.places_in(s, e)
        weekday = weekdays().search(sentence)
        host = any(r.is_own(w) for _a, _b, w in r.words_in(s, e) if w[:1].isupper())
        # Tied to something: a date or a weekday ("u petak"), a recurrence, a signing at a ceremony, or a
        # partner together with the page's own town (a partner alone is often background about the partner:
        # its festival, its history).
        if not (dates or weekday or recurring or (kind == "ceremony" and SIGN.search(sentence)) or (named and host)):
            continue
        # The first date of the sentence: an occasion "from 19 to 22 August" began on the 19th.
        near = dates[0] if dates and not recurring else None
        partner = named[0].partner.name if named else None
        why = [f"occasion: {word.group()!r}"]
        if near:
            why.append(f"dated {r.text[near.start : near.end]!r}")
        if recurring:
            why.append(f"recurring: {recurring.group()!r}")
        out.append(
            EventProposal(
                quote=r.quote(s, e),
                confidence=0.7 if (near or partner) else 0.5,
                why=why,
                twinning=partner,
                start=s,
                partner=partner,
                event_kind=kind,
                label=f"{'recurring ' if recurring else ''}{kind}" + (f" with {partner}" if partner else ""),
                date=near.when.lexical() if near else None,
                recurring=bool(recurring),
                occasion=_whole_word(sentence, word.start(), word.end()),
            )
        )
    return out


def _whole_word(sentence: str, start: int, end: int) -> str:
    """The word a match stands in, whole: a stem matched ("Besuch") gives the page's word ("Besuches")."""
    while start > 0 and sentence[start - 1].isalnum():
        start -= 1
    while end < len(sentence) and sentence[end].isalnum():
        end += 1
    return sentence[start:end]
