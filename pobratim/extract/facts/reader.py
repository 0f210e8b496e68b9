"""Read every kind of fact from a page, beside the twinnings the twinning reader proposes."""

from pobratim.extract.facts.documents import read_documents
from pobratim.extract.facts.events import read_events
from pobratim.extract.facts.mayors import read_mayors
from pobratim.extract.facts.memberships import read_memberships
from pobratim.extract.facts.model import FactProposal
from pobratim.extract.facts.text import Reading
from pobratim.extract.reader import Proposal, extract


def read_facts(
    text: str,
    municipality: str | None = None,
    language: str | None = None,
    twinnings: list[Proposal] | None = None,
) -> list[FactProposal]:
    """Propose the documents, mayors, events and memberships a page states, in page order; ``twinnings``
    are the page's proposed twinnings (read here when not given), whose partners the facts are tied to."""
    if twinnings is None:
        twinnings = extract(text, municipality, language=language)
    r = Reading(text, municipality, twinnings, language)
    facts: list[FactProposal] = [*read_documents(r), *read_mayors(r), *read_events(r), *read_memberships(r)]
    return sorted(facts, key=lambda f: (f.start, f.kind))
