"""One blueprint per URL family: /sparql, /id and /graph, /dumps, and the pages."""
