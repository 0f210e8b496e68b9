"""Names for what has no label of its own, so that pages show what a thing is, never its IRI's last segment.

The terms pobratim reuses from other vocabularies are named in ``term_labels.ttl``; a GeoNames country by its
ISO name; a document by its kind and date, a membership by its member and organisation, an event's role by
who took it and in what capacity, a time by the date it holds. Read once when a build is opened, beside every
resource's own labels, which always win. Display only: nothing here is published.
"""

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from pobratim.core import gazetteer
from pobratim.core.countries import country_names
from pobratim.core.locales import LABEL_LANGUAGES
from pobratim.core.vocab import ELI, GN, ORG, RDFS, SDO, TIME
from pobratim.endpoint.describe import LabelsByIri, pick
from pobratim.sparql.store import ReadStore

TERMS = Path(__file__).with_name("term_labels.ttl")

DOCUMENTS = f"""
SELECT ?it ?kind ?date WHERE {{
  GRAPH ?g {{ ?it <{ELI.type_document}> ?kind . OPTIONAL {{ ?it <{ELI.date_document}> ?date }} }}
}}"""
MEMBERSHIPS = f"""
SELECT ?it ?member ?organization WHERE {{
  GRAPH ?g {{ ?it <{ORG.member}> ?member ; <{ORG.organization}> ?organization }}
}}"""
ROLES = f"""
SELECT ?it ?who ?role WHERE {{
  GRAPH ?g {{ ?event <{SDO.attendee}> ?it . ?it <{SDO.attendee}> ?who . OPTIONAL {{ ?it <{SDO.roleName}> ?role }} }}
}}"""
# A time (OWL-Time) by the date it holds: an instant by its date, an interval by the instant inside it.
_DATE = f"<{TIME.inXSDDate}>|<{TIME.inXSDgYearMonth}>|<{TIME.inXSDgYear}>"
TIMES = f"""
SELECT ?it ?date WHERE {{
  GRAPH ?g {{ {{ ?it {_DATE} ?date }} UNION {{ ?it <{TIME.inside}> ?instant . ?instant {_DATE} ?date }} }}
}}"""
COUNTRIES = f"""
SELECT DISTINCT ?it WHERE {{
  {{ ?place <{GN.parentCountry}> ?it }} UNION {{ GRAPH ?g {{ ?place <{GN.parentCountry}> ?it }} }}
}}"""


def term_labels(path: Path = TERMS) -> LabelsByIri:
    """Read the display names of reused terms, by IRI and language tag."""
    out: LabelsByIri = {}
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if triple.predicate.value == str(RDFS.label) and isinstance(triple.object, ox.Literal):
            out.setdefault(triple.subject.value, {})[triple.object.language or ""] = triple.object.value
    return out


def _rows(store: ReadStore, query: str) -> list[dict[str, Any]]:
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [dict(zip(names, row, strict=True)) for row in result]


def _text(labels: LabelsByIri, term: Any, lang: str) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    return pick(labels.get(term.value), lang, term.value.rstrip("/").rsplit("/", 1)[-1])


def _countries(store: ReadStore) -> LabelsByIri:
    codes = gazetteer.country_codes()
    out: LabelsByIri = {}
    for row in _rows(store, COUNTRIES):
        it = row["it"]
        code = codes.get(it.value.rstrip("/").rsplit("/", 1)[-1])
        if code is not None:
            try:
                out[it.value] = country_names(code)
            except KeyError:  # a GeoNames country ISO 3166 does not name (Kosovo's XK): its code
                out[it.value] = {"": code}
    return out


def described_labels(store: ReadStore, labels: LabelsByIri) -> LabelsByIri:
    """Name documents, memberships, roles and times that have no label, from what they are, in every language."""
    out: LabelsByIri = {row["it"].value: {"": row["date"].value} for row in _rows(store, TIMES)}
    for row in _rows(store, DOCUMENTS):
        for lang in LABEL_LANGUAGES:
            kind, date = _text(labels, row["kind"], lang), _text(labels, row["date"], lang)
            out.setdefault(row["it"].value, {})[lang] = f"{kind}, {date}" if date else kind
    for row in _rows(store, MEMBERSHIPS):
        for lang in LABEL_LANGUAGES:
            member, organization = _text(labels, row["member"], lang), _text(labels, row["organization"], lang)
            out.setdefault(row["it"].value, {})[lang] = f"{member} — {organization}"
    for row in _rows(store, ROLES):
        for lang in LABEL_LANGUAGES:
            who, role = _text(labels, row["who"], lang), _text(labels, row["role"], lang)
            out.setdefault(row["it"].value, {})[lang] = f"{who} ({role})" if role else who
    return out


def with_display_labels(store: ReadStore, own: LabelsByIri) -> LabelsByIri:
    """Add names for whatever has no label of its own; a resource's own labels always win."""
    found = term_labels() | _countries(store)
    merged = {**found, **own}
    for iri, names in described_labels(store, merged).items():
        merged.setdefault(iri, names)
    return merged
