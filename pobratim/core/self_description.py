"""What a published resource document says of itself: one home for those triples.

A document about a thing names the thing it is about and the dataset it is part of (VoID § 6, "Describing
the dataset a resource belongs to"; Cool URIs for the Semantic Web § 4.3: the document is not the thing),
and carries the dataset's licence. The server adds them to every resource document; the build reads them
too, so the JSON-LD term context has keys for their terms.
"""

from collections.abc import Iterable

import pyoxigraph as ox

from pobratim.core.vocab import DCTERMS, FOAF, RDF, VOID


def _named(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def self_description(
    document: ox.NamedNode,
    topic: ox.NamedNode,
    dataset: ox.NamedNode,
    licences: Iterable[ox.NamedNode | ox.BlankNode | ox.Literal] = (),
) -> list[ox.Quad]:
    """Say that ``document`` is a document about ``topic`` in ``dataset``, under each of ``licences``."""
    quads = [
        ox.Quad(document, _named(RDF.type), _named(FOAF.Document)),
        ox.Quad(document, _named(FOAF.primaryTopic), topic),
        ox.Quad(document, _named(VOID.inDataset), dataset),
    ]
    return quads + [ox.Quad(document, _named(DCTERMS.license), licence) for licence in licences]
