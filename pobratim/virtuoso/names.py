"""The IRIs pobratim keeps inside Virtuoso besides the build's own graphs, in one place.

Virtuoso has no default graph apart from its named graphs: a build's default-graph triples are kept in
``DEFAULT_GRAPH``, which no query sees as a named graph. Which build Virtuoso holds is recorded in
``LOADED``; a build being loaded waits under ``STAGING`` names until it is switched in.
"""

DEFAULT_GRAPH = "urn:x-pobratim:default-graph"
LOADED = "urn:x-pobratim:loaded"  # graph, and subject of the record of the build switched in
HOLDS = "urn:x-pobratim:holds"  # LOADED HOLDS <urn:x-pobratim:build:VERSION>
BUILD = "urn:x-pobratim:build:"
STAGING = "urn:x-pobratim:staging:"  # + VERSION + ":" + a number: a graph of a build not yet switched in
NOWHERE = "urn:x-pobratim:no-graph"  # never loaded: stands for a graph a client names that the build lacks


def build_iri(version: str) -> str:
    """Name the build ``version`` as Virtuoso records it."""
    return BUILD + version
