"""Wikidata at the edge: the SPARQL client, linking places to items, comparing twinnings with P190."""
