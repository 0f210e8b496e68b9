"""The review page: a proposals file reviewed in the browser, on loopback, with a per-run token."""
