"""Check that text from a request is an IRI before it reaches a store (RFC 3987), with a clear 400 if not."""

import pyoxigraph as ox

from pobratim.endpoint.problems import fail


def checked_iri(value: str, what: str) -> ox.NamedNode:
    """Return ``value`` as an IRI, or stop the request with 400 saying what is wrong with it."""
    try:
        return ox.NamedNode(value)
    except ValueError as err:
        fail(400, f"{what} is not an absolute IRI ({err}): {value!r}")
