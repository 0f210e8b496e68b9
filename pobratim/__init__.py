"""pobratim's build side: sources and reviewed records in, a validated RDF dataset out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pobratim")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
