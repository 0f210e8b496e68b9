"""The one registry of stores the endpoint can serve from, by the name the ``STORE`` setting gives."""

from pobratim.oxigraph.backend import Embedded
from pobratim.sparql.store import Store
from pobratim.virtuoso.backend import Virtuoso

STORES: dict[str, Store] = {"embedded": Embedded(), "virtuoso": Virtuoso()}


def chosen(name: str) -> Store:
    """Return the store named ``name``; raise ValueError naming the known ones."""
    try:
        return STORES[name]
    except KeyError:
        raise ValueError(f"STORE must be one of {', '.join(STORES)}, not {name!r}") from None
