"""Readable, stable IRIs under one configurable base (Cool URIs: no row numbers, no hashes)."""

import re
from dataclasses import dataclass

from rdflib import URIRef
from unidecode import unidecode

DEFAULT_BASE = "https://pobratim.example/"


def slug(text: str) -> str:
    """A readable ASCII slug: transliterated (unidecode), lower case, hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-") or "place"


def place_key(country: str, name: str) -> str:
    """The key of a place: its country code and the slug of its English name (``it/cremona``)."""
    return f"{country.lower()}/{slug(name)}"


def key_slug(place_key: str) -> str:
    """Turn a place key ``it/cremona`` into the slug ``it-cremona``."""
    return place_key.replace("/", "-")


# Where each kind of resource lives under the base; the key is also the prefix a query editor shows for it.
NAMESPACES: dict[str, str] = {
    "place": "id/place/",
    "twinning": "id/twinning/",
    "person": "id/person/",
    "organization": "id/org/",
    "event": "id/event/",
    "document": "id/document/",
    "mayor_attestation": "id/mayor-attestation/",
    "membership": "id/membership/",
    "quote": "id/quote/",
    "source": "source/",
    "graph": "graph/",
    "dump": "dumps/",
}


@dataclass(frozen=True)
class Iris:
    """Mint the IRI of each kind of resource from its reviewed key."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith("/") or "://" not in self.base:
            raise ValueError(f"the base IRI must be absolute and end with '/': {self.base!r}")

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def place(self, key: str) -> URIRef:
        return self._iri(NAMESPACES["place"] + key)

    def twinning(self, a: str, b: str) -> URIRef:
        """Name the relation by its sorted parties, so A–B and B–A are one IRI."""
        first, second = sorted((key_slug(a), key_slug(b)))
        return self._iri(f"{NAMESPACES['twinning']}{first}--{second}")

    def person(self, slug: str) -> URIRef:
        return self._iri(NAMESPACES["person"] + slug)

    def organization(self, slug: str) -> URIRef:
        return self._iri(NAMESPACES["organization"] + slug)

    def event(self, slug: str) -> URIRef:
        return self._iri(NAMESPACES["event"] + slug)

    def document(self, slug: str) -> URIRef:
        return self._iri(NAMESPACES["document"] + slug)

    def mayor_attestation(self, slug: str) -> URIRef:
        return self._iri(NAMESPACES["mayor_attestation"] + slug)

    def membership(self, slug: str) -> URIRef:
        return self._iri(NAMESPACES["membership"] + slug)

    def quote(self, slug: str, n: int) -> URIRef:
        return self._iri(f"{NAMESPACES['quote']}{slug}/{n}")

    def source(self, slug: str) -> URIRef:
        return self._iri(NAMESPACES["source"] + slug)

    def graph(self, slug: str) -> URIRef:
        return self._iri(NAMESPACES["graph"] + slug)

    def dump(self, name: str) -> URIRef:
        return self._iri(NAMESPACES["dump"] + name)

    def dataset(self) -> URIRef:
        return self._iri("dataset")

    def namespaces(self) -> dict[str, str]:
        """Name each kind's namespace under this base, as a prefix table (query editors show ``place:bg/kazanlak``)."""
        return {kind: self.base + path for kind, path in NAMESPACES.items()}

    def part(self, iri: URIRef, fragment: str) -> URIRef:
        """Name a node that only exists inside another resource's description (no blank nodes)."""
        return URIRef(f"{iri}#{fragment}")
