"""A polite client for the Wikidata Query Service (or any SPARQL endpoint), through SPARQLWrapper.

Polite as WDQS asks: a descriptive User-Agent, few large queries (VALUES blocks, not one query per
place), retries with backoff on 429/503 that honour ``Retry-After``, and a cache on disk so that a rerun
does not ask again.
"""

import hashlib
import json
import time
import urllib.error
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from pobratim import __version__

WDQS = "https://query.wikidata.org/sparql"
USER_AGENT = f"pobratim/{__version__} (town-twinning linked data; link and wikidata-diff commands) SPARQLWrapper"
BATCH = 200  # values per VALUES block: WDQS answers these well within its 60 s limit

Binding = dict[str, dict[str, str]]
# The prefixes WDQS predefines, declared so that the queries also run on any other endpoint.
PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pqv: <http://www.wikidata.org/prop/qualifier/value/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


class EndpointError(Exception):
    """The endpoint refused or failed, after the retries."""


def batched(items: Iterable[str], size: int = BATCH) -> Iterator[list[str]]:
    """Split ``items`` into lists of at most ``size``."""
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _retry_after(err: urllib.error.HTTPError, default: float) -> float:
    value = err.headers.get("Retry-After") if err.headers else None
    if not value:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        try:  # an HTTP date (RFC 9110 §10.2.3)
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return default


@dataclass
class WikidataClient:
    """Run SELECT queries against one endpoint, with retries and an on-disk cache."""

    endpoint: str = WDQS
    cache: Path | None = None
    retries: int = 5
    backoff: float = 2.0
    sleep: Callable[[float], None] = time.sleep
    asked: int = 0  # queries sent over the network (cache hits do not count)
    waited: list[float] = field(default_factory=list)

    def _cache_path(self, query: str) -> Path | None:
        if self.cache is None:
            return None
        key = hashlib.sha256(f"{self.endpoint}\n{query}".encode()).hexdigest()
        return self.cache / f"{key}.json"

    def select(self, query: str) -> list[Binding]:
        """Return the bindings of a SELECT query."""
        cached = self._cache_path(query)
        if cached is not None and cached.exists():
            rows: list[Binding] = json.loads(cached.read_text(encoding="utf-8"))
            return rows
        client = SPARQLWrapper(self.endpoint, agent=USER_AGENT)
        client.setQuery(PREFIXES + query)
        client.setMethod(POST)  # long VALUES blocks do not fit in a URL
        client.setReturnFormat(JSON)
        client.setTimeout(90)
        delay = self.backoff
        for attempt in range(self.retries + 1):
            try:
                self.asked += 1
                result: Any = client.queryAndConvert()
                break
            except urllib.error.HTTPError as err:
                if err.code not in {429, 503} or attempt == self.retries:
                    raise EndpointError(f"{self.endpoint} answered {err.code}: {err.reason}") from None
                wait = _retry_after(err, delay)
                self.waited.append(wait)
                self.sleep(wait)
                delay *= 2
            except (SPARQLWrapperException, urllib.error.URLError, OSError, ValueError) as err:
                # SPARQLWrapper turns 400/401/404/414/500 into its own exceptions; none is worth a retry.
                raise EndpointError(f"{self.endpoint}: {err}") from None
        rows = result["results"]["bindings"]
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        return rows


def literal(text: str, lang: str | None = None) -> str:
    """Write a SPARQL string literal with JSON escaping (a subset of SPARQL's escapes that is always valid)."""
    body = json.dumps(text, ensure_ascii=False)
    return body + (f"@{lang}" if lang else "")
