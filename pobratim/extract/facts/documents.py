"""Documents a page says were signed or decided: agreements, protocols, charters, memoranda, letters of
intent, declarations, contracts, and council decisions.

A sentence states a document when it names one (words.DOCUMENT_KINDS) and says something of it: that it was
signed or concluded, when, or with whom. Each partner the sentence names gets the document (one date shared
by two agreements is both agreements' date); a sentence that names none belongs to the partner whose entry
it stands under; a line that introduces a list ("the following protocols were signed:") gives its kind to
the list's entries. A council's approval is a council decision, dated; the agreement it approves is a
document too, but the approval does not date it. A signing still to come is proposed without a date.
"""

from dataclasses import dataclass
from itertools import pairwise

from pobratim.core.text_dates import DateMention
from pobratim.extract.facts.model import DocumentProposal
from pobratim.extract.facts.text import Named, Reading, same_name
from pobratim.extract.facts.words import APPROVE, CLAUSE, COUNCIL, DECISION, DOCUMENT_KINDS, PLAN, RENEW, SIGN

LIST_LINES = 40
LIST_LINE_CHARS = 120


@dataclass
class _Word:
    kind: str
    start: int
    end: int
    text: str


def document_words(sentence: str) -> list[_Word]:
    """The document words of a sentence, in order; where two tables match the same word the first wins."""
    found: list[_Word] = []
    for kind, pattern in DOCUMENT_KINDS:
        for m in pattern.finditer(sentence):
            if any(w.start < m.end() and m.start() < w.end for w in found):
                continue
            found.append(_Word(kind, m.start(), m.end(), m.group()))
    return sorted(found, key=lambda w: w.start)


def _nearest(dates: list[DateMention], pos: int) -> DateMention | None:
    return min(dates, key=lambda d: (abs(d.start - pos), d.start)) if dates else None


def read_documents(r: Reading) -> list[DocumentProposal]:
    """Propose the documents the page states."""
    text = r.text
    out: list[DocumentProposal] = []
    sentences = r.sentences()
    listed_until = -1
    for index, (s, e) in enumerate(sentences):
        sentence = text[s:e]
        words = document_words(sentence)
        decision = bool(DECISION.search(sentence) and COUNCIL.search(sentence)) or bool(
            COUNCIL.search(sentence) and APPROVE.search(sentence)
        )
        if (not words and not decision) or RENEW.search(sentence):
            continue  # no document; or one confirmed or renewed: an occasion, not a new document
        dates = r.dates_in(s, e)
        if decision and not dates and index:
            # "… с решение от 23.05.2023 г. Общински съвет дава съгласие …": a date that ends the sentence
            # before, with nothing after it, dates this one.
            ps, pe = sentences[index - 1]
            before = r.dates_in(ps, pe)
            if before and not text[before[-1].end : pe].strip(" .г\xa0") and r.page.line(ps) == r.page.line(s):
                dates = before[-1:]
        signed = SIGN.search(sentence)
        plan = PLAN.search(sentence)
        word = words[0] if words else None
        if s <= listed_until:
            continue
        if words and sentence.rstrip().endswith(":") and not r.partners_in(s, e) and index + 1 < len(sentences):
            listed_until = _list_entries(r, sentences, index, words[0].kind, out)
            continue
        named, how = _partners(r, s, e, s + word.start if word else s)
        if not named and not decision:
            continue
        if not (signed or dates or decision or how.startswith("named")):
            continue  # a document named in passing, neither signed nor dated nor tied to a partner here
        why_base = [f"document word: {word.text!r}" if word else "a council's decision"]
        if signed:
            why_base.append(f"signed: {signed.group()!r}")
        kinds: list[tuple[str, bool]] = []  # (kind, dated)
        if decision:
            kinds.append(("council_decision", True))
            # The agreement the council approved is a document of its own, undated by the approval; a
            # decision that tells someone to sign one ("… to sign the agreement") has no agreement yet.
            if word is not None and word.kind != "council_decision" and not signed:
                kinds.append((word.kind, False))
        elif word is not None:
            kinds.append((word.kind, not plan))
        anchor = s + (word.start if word else 0)
        targets: list[Named | None] = [*named] if named else [None]
        for n in targets:
            for kind, dated in kinds:
                near = _nearest(dates, n.start if n and len(named) > 1 and len(dates) > 1 else anchor)
                date = near.when.lexical() if near and dated else None
                why = [*why_base, f"partner {how}" if n else "no partner named"]
                if plan and kind != "council_decision":
                    why.append(f"not yet signed ({plan.group()!r}): no date")
                if not dated and kind != "council_decision" and decision:
                    why.append("approved by the council, not said to be signed: no date")
                confidence = 0.9 if how.startswith("named") else 0.75
                if plan:
                    confidence -= 0.2
                out.append(
                    DocumentProposal(
                        quote=r.quote(s, e),
                        confidence=round(confidence, 2),
                        why=why,
                        twinning=n.partner.name if n else None,
                        start=s,
                        partner=n.partner.name if n else None,
                        partner_label=text[n.start : n.end] if n else None,
                        document_kind=kind,
                        date=date,
                    )
                )
    return _merge(out)


def _partners(r: Reading, s: int, e: int, at: int) -> tuple[list[Named], str]:
    """The partners a document at ``at`` is with: those its clause names, else its sentence, else a place
    the twinning reader did not propose, else the partner whose entry the sentence stands under."""
    sentence = r.text[s:e]
    bounds = [s, *(s + m.end() for m in CLAUSE.finditer(sentence)), e]
    clause = next(((a, b) for a, b in pairwise(bounds) if a <= at < b), (s, e))
    # The clause the document word is in, and those after it (a list goes on: "…, and with 3 towns: A, B");
    # the clauses before it are about something else ("friends such as Rome, and agreements with Beijing").
    for span, how in (((clause[0], e), "named in the clause"), ((s, e), "named in the sentence")):
        named = [n for n in r.partners_in(*span) if not r.is_own(n.partner.label)]
        if named:
            return named, how
        places = r.places_in(*span)
        if places:
            return places, "named in the sentence (a place the twinning reader did not propose)"
    before = r.partner_before(s)
    # The entry's heading may name a place the twinning reader did not propose ("Град Прилеп, Република
    # Македония" above "Договор за сътрудничество … е подписан 1993 година.").
    for hs, he in r.page.previous_lines(s, 1):
        if r.page.is_heading(r.page.line_index(hs)) and (before is None or before.end <= hs):
            places = r.places_in(hs, he)
            if places:
                return places[:1], "under the entry's heading"
    return ([before], "under the partner's entry") if before else ([], "")


def _list_entries(
    r: Reading, sentences: list[tuple[int, int]], index: int, kind: str, out: list[DocumentProposal]
) -> int:
    """Give a list's heading kind ("… se celebraram os Protocolos de Geminação seguintes:") to the entries
    under it that name a partner; return where the list ends."""
    end = sentences[index][1]
    for s, e in sentences[index + 1 : index + 1 + LIST_LINES]:
        if e - s > LIST_LINE_CHARS:
            break
        named = r.partners_in(s, e)
        if not named:
            break
        dates = r.dates_in(s, e)
        for n in named:
            out.append(
                DocumentProposal(
                    quote=r.quote(s, e),
                    confidence=0.8,
                    why=[f"an entry of the list of {kind}s headed {r.quote(*sentences[index])!r}"],
                    twinning=n.partner.name,
                    start=s,
                    partner=n.partner.name,
                    partner_label=r.text[n.start : n.end],
                    document_kind=kind,
                    date=dates[0].when.lexical() if dates else None,
                )
            )
        end = e
    return end


def _merge(found: list[DocumentProposal]) -> list[DocumentProposal]:
    """One proposal per document: the same partner's document of the same kind named again, undated or on
    the same date, is the same document (the dated mention kept)."""
    out: list[DocumentProposal] = []
    for d in sorted(found, key=lambda d: (d.date is None, d.start)):
        same = next(
            (
                o
                for o in out
                if o.document_kind == d.document_kind
                and _same_partner(o, d)
                and (d.date is None or o.date is None or o.date == d.date)
            ),
            None,
        )
        if same is None:
            out.append(d)
    return sorted(out, key=lambda d: d.start)


def _same_partner(a: DocumentProposal, b: DocumentProposal) -> bool:
    if a.partner is None or b.partner is None:
        return a.partner is b.partner
    return a.partner == b.partner or same_name(a.partner_label or "", b.partner_label or "")
