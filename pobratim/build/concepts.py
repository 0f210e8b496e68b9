"""The concept of each closed set of record values: ``pob:<prefix>-<value>``, in a scheme of the ontology.

The record model's ``Literal`` types are the one list of values; the ontology declares each as a concept
with the value as its ``skos:notation``, and tests/test_ontology.py checks the two agree, value by value.
"""

from typing import Any, Literal

from rdflib import URIRef

from pobratim.core.vocab import POB
from pobratim.records.models import DocumentType, EventType, PlaceKind, StartKind, TwinningKind, TwinningStatus

Prefix = Literal["kind", "mode", "status", "doctype", "eventtype", "placekind"]

# Each concept prefix: the record values it names (a Literal type) and the ontology's scheme of them.
SCHEMES: dict[Prefix, tuple[Any, URIRef]] = {
    "kind": (TwinningKind, POB.TwinningKind),
    "mode": (StartKind, POB.EstablishmentMode),
    "status": (TwinningStatus, POB.TwinningStatus),
    "doctype": (DocumentType, POB.DocumentType),
    "eventtype": (EventType, POB.EventType),
    "placekind": (PlaceKind, POB.PlaceKind),
}


def concept(prefix: Prefix, value: str) -> URIRef:
    """Return the concept naming a record value (``concept("kind", "twinning")`` is ``pob:kind-twinning``)."""
    return URIRef(f"{POB._NS}{prefix}-{value}")
