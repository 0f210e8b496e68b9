"""What the fact reader proposes: documents, mayors, events and memberships, each with its quote and why."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FactProposal:
    """A fact read from a page, for a person to review: its quote (verbatim, whitespace folded), the words
    that made the reader propose it, how sure the reader is, and the twinning partner it belongs to."""

    quote: str
    confidence: float
    why: list[str] = field(default_factory=list)
    twinning: str | None = None  # the partner of the twinning the page ties the fact to
    start: int = 0  # where the quote starts in the page (for ordering and scoring, not printed)

    kind = "fact"

    def fields(self) -> dict[str, Any]:
        raise NotImplementedError

    def as_json(self) -> dict[str, Any]:
        """The contract of ``pobratim extract --json``: kind, the kind's fields, quote, why, confidence."""
        return {
            "kind": self.kind,
            **self.fields(),
            "quote": self.quote,
            "why": self.why,
            "confidence": self.confidence,
            "twinning": self.twinning,
        }


@dataclass
class DocumentProposal(FactProposal):
    partner: str | None = None  # the partner's name as the gazetteer knows it, None for a decision about none
    partner_label: str | None = None  # as the page writes it
    document_kind: str = "agreement"
    date: str | None = None

    kind = "document"

    def fields(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "partner_label": self.partner_label,
            "document_kind": self.document_kind,
            "date": self.date,
        }


@dataclass
class MayorProposal(FactProposal):
    person: str = ""
    of: str = ""
    date: str | None = None

    kind = "mayor"

    def fields(self) -> dict[str, Any]:
        return {"person": self.person, "of": self.of, "date": self.date}


@dataclass
class EventProposal(FactProposal):
    partner: str | None = None
    event_kind: str = "event"
    label: str = ""
    date: str | None = None
    recurring: bool = False
    occasion: str = ""  # the word that names the occasion, whole, as the page writes it ("Festakt")

    kind = "event"

    def fields(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "event_kind": self.event_kind,
            "label": self.label,
            "date": self.date,
            "recurring": self.recurring,
        }


@dataclass
class MembershipProposal(FactProposal):
    network: str = ""

    kind = "membership"

    def fields(self) -> dict[str, Any]:
        return {"network": self.network}
