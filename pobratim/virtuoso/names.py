"""The IRIs pobratim keeps inside Virtuoso besides the build's own graphs, in one place.

Virtuoso has no default graph apart from its named graphs: a build's default-graph triples are kept in a
graph named for the build (``default_graph``), so that its presence also says which build Virtuoso holds.
"""

DEFAULT_GRAPH = "urn:x-pobratim:default-graph:"  # + VERSION: the default graph of the build VERSION
NOWHERE = "urn:x-pobratim:no-graph"  # never loaded: stands for a graph a client names that the build lacks
INTERNAL = "urn:x-pobratim:"  # every name above starts so


def default_graph(version: str) -> str:
    """Name the graph holding the default graph of the build ``version``."""
    return DEFAULT_GRAPH + version
