"""The store-neutral SPARQL layer: a query job and its outcomes, answer writers, the format table, the
checks made before a query runs (guard, SERVICE allow-list, dataset), and the interface every store gives.

Each store (``pobratim.oxigraph``, ``pobratim.virtuoso``) builds on this package; the endpoint knows only
its interface (``store.py``) and picks a store from one registry (``pobratim.stores``).
"""
