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
        return self._iri(f"id/place/{key}")

    def twinning(self, a: str, b: str) -> URIRef:
        """Name the relation by its sorted parties, so A–B and B–A are one IRI."""
        first, second = sorted((key_slug(a), key_slug(b)))
        return self._iri(f"id/twinning/{first}--{second}")

    def person(self, slug: str) -> URIRef:
        return self._iri(f"id/person/{slug}")

    def organization(self, slug: str) -> URIRef:
        return self._iri(f"id/org/{slug}")

    def event(self, slug: str) -> URIRef:
        return self._iri(f"id/event/{slug}")

    def document(self, slug: str) -> URIRef:
        return self._iri(f"id/document/{slug}")

    def mayor_attestation(self, slug: str) -> URIRef:
        return self._iri(f"id/mayor-attestation/{slug}")

    def membership(self, slug: str) -> URIRef:
        return self._iri(f"id/membership/{slug}")

    def quote(self, slug: str, n: int) -> URIRef:
        return self._iri(f"id/quote/{slug}/{n}")

    def source(self, slug: str) -> URIRef:
        return self._iri(f"source/{slug}")

    def graph(self, slug: str) -> URIRef:
        return self._iri(f"graph/{slug}")

    def dump(self, name: str) -> URIRef:
        return self._iri(f"dumps/{name}")

    def dataset(self) -> URIRef:
        return self._iri("dataset")

    def part(self, iri: URIRef, fragment: str) -> URIRef:
        """Name a node that only exists inside another resource's description (no blank nodes)."""
        return URIRef(f"{iri}#{fragment}")
