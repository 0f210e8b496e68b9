"""The embedded store: Oxigraph (pyoxigraph) read from the build, queries evaluated in worker processes."""
