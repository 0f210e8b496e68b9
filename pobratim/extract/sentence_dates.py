"""Give each proposed twinning the date of the sentence that names its partner.

A page often names its partners twice: in prose with the day ("am 2. Mai 1962 mit … Mayenne") and in a list
with the year ("Mayenne (Frankreich), seit 1962"). The exact date wins when it agrees with the year, and its
sentence becomes the quote; a date stays with the proposal whose sentence holds it, so a proposal whose quote
does not name its partner loses a date taken from a sentence about another partner.
"""

import re
from dataclasses import replace

from pobratim.core.dates import PartialDate, parse_date
from pobratim.core.quotes import comparable, normalise
from pobratim.core.text_dates import find_dates
from pobratim.extract.facts.text import Reading
from pobratim.extract.reader import Proposal


def _precision(date: PartialDate) -> int:
    return (date.month is not None) + (date.day is not None)


def _names(label: str, sentence: str) -> bool:
    """Tell whether ``sentence`` writes ``label`` as a whole word (case and accents folded)."""
    return re.search(rf"(?<!\w){re.escape(comparable(label))}(?!\w)", comparable(sentence)) is not None


def settle_dates(proposals: list[Proposal], text: str, language: str | None = None) -> list[Proposal]:
    """Return ``proposals`` with each start taken from a sentence that names the partner and writes one date."""
    reading = Reading(text, None, [], language)
    sentences = [normalise(text[s:e]) for s, e in reading.sentences()]
    settled = []
    for p in proposals:
        own = _names(p.partner_label, p.quote)
        holding = [s for s in sentences if _names(p.partner_label, s)]
        said = parse_date(p.start) if p.start else None
        best: tuple[PartialDate, str] | None = None
        for sentence in holding:
            found = find_dates(sentence)
            if len(found) != 1:
                continue  # a sentence with two dates ("seit 1996 …, am 21. März 1996 beschlossen") says two things
            date = found[0].when
            if own and said is not None and date.year != said.year:
                continue  # another year is another event, not the same start written more exactly
            if best is None or _precision(date) > _precision(best[0]):
                best = (date, sentence)
        if best is not None and (said is None or not own or _precision(best[0]) > _precision(said)):
            p = replace(p, start=best[0].lexical(), quote=best[1])
        elif not own:
            # The quote is about something else: its date is another partner's. (Its quote is left as it is, so
            # review refuses the proposal until a person quotes where the page names the partner.)
            p = replace(p, start=None, start_kind=None)
        settled.append(p)
    return settled
