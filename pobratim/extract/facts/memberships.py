"""Networks a page says its town is a member of ("член на … „Кметове за мир“", "a member of Eurocities").

After a word for membership (words.MEMBER), each network the sentence goes on to name is one membership:
a name in quotation marks, or a capitalised phrase around a word for a network or an association, up to
the next comma or "and (of)". The member is the page's own town.
"""

import re

from pobratim.extract.facts.model import MembershipProposal
from pobratim.extract.facts.text import MIN_SENTENCE, Reading
from pobratim.extract.facts.words import MEMBER, NETWORK

QUOTED = re.compile(r"[„“”\"«»‘’‚']([^„“”\"«»]{3,80})[“”\"»’‘]")
# Where a network's name ends: a comma, a semicolon, a bracket, or "and"/"as well as" before the next one.
NAME_END = re.compile(
    r"[,;()]|\s(?:и|and|und|et|e|y|i|oraz|a|ir|un|és|ve|και|както|as well|ainsi|sowie)\s+(?=[^\W\d_]*[^\W\d_A-ZА-ЯЁ])"
    r"(?![A-ZА-ЯЁ])",
)
MAX_NAME = 90
# "membership", "членство", "członkostwo": the word for the state, as headings and menus use it.
ABSTRACT = re.compile(r"\w*(?:ство|ship|stwo|ství|stvo|schaft|ствo)", re.IGNORECASE)


def read_memberships(r: Reading) -> list[MembershipProposal]:
    """Propose the networks the page's town is a member of."""
    out: list[MembershipProposal] = []
    for s, e in r.sentences():
        sentence = r.text[s:e]
        member = MEMBER.search(sentence)
        if member is None or len(sentence.strip()) < MIN_SENTENCE or ABSTRACT.match(sentence, member.end()):
            continue  # a menu entry ("Членство на Казанлък в …"), not a statement
        taken: list[tuple[int, int]] = []
        for m in QUOTED.finditer(sentence, member.end()):
            taken.append((m.start(), m.end()))
            out.append(_proposal(r, s, member.start() if not out else m.start(), m.end(), m.group(1), member))
        for m in NETWORK.finditer(sentence, member.end()):
            if any(a <= m.start() < b for a, b in taken) or m.group() in "„":
                continue
            begin = _name_start(sentence, m.start(), member.end())
            if begin is None:
                continue
            end_match = NAME_END.search(sentence, m.end())
            end = end_match.start() if end_match else len(sentence)
            if end - begin > MAX_NAME or any(a < end and begin < b for a, b in taken):
                continue  # too long for a name, or the quoted name already read ("Netzwerk „Energy Cities“")
            taken.append((begin, end))
            name = sentence[begin:end].strip()
            out.append(_proposal(r, s, begin, end, name, member))
    return out


def _name_start(sentence: str, pos: int, after: int) -> int | None:
    """Where a network's name begins: its first capitalised word at or before the network word, in the
    same stretch (no comma between); None when the phrase has no capital (a common noun, not a name)."""
    start = max(sentence.rfind(",", 0, pos) + 1, sentence.rfind(";", 0, pos) + 1, after)
    words = list(re.finditer(r"\S+", sentence[start : pos + 1]))
    capital = [w for w in words if w.group()[:1].isupper()]
    if sentence[pos : pos + 1].isupper():
        return pos
    return start + capital[-1].start() if capital else None


def _proposal(r: Reading, s: int, begin: int, end: int, name: str, member: re.Match[str]) -> MembershipProposal:
    return MembershipProposal(
        quote=r.quote(s + begin, s + end),
        confidence=0.8,
        why=[f"member: {member.group()!r}", f"network named: {name!r}"],
        start=s + begin,
        network=name.strip(' „“”"«».,;:'),
    )
