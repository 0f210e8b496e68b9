"""Read the rest of a page: the documents, mayors, events and memberships it states, proposed for review."""

from pobratim.extract.facts.model import (
    DocumentProposal,
    EventProposal,
    FactProposal,
    MayorProposal,
    MembershipProposal,
)
from pobratim.extract.facts.reader import read_facts

__all__ = [
    "DocumentProposal",
    "EventProposal",
    "FactProposal",
    "MayorProposal",
    "MembershipProposal",
    "read_facts",
]
