"""OpenLink Virtuoso as the store behind the endpoint: its instance, the loader, and the query client."""
