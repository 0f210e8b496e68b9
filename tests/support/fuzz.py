"""Seeded hostile requests: methods, paths, headers, encodings, parameters and mutated example queries.

Used by the quick fuzz test (in-process) and by ``make stress`` (a live server, many more requests). The
same seed gives the same requests.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pobratim.core.layout import QUERIES

METHODS = ["GET"] * 5 + ["POST"] * 4 + ["HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"]
PATHS = [
    "/",
    "/sparql",
    "/query",
    "/health",
    "/dumps/",
    "/dumps/pobratim.ttl",
    "/dumps/SHA256SUMS",
    "/.well-known/void",
    "/queries/",
    "/queries/twinnings.rq",
    "/id/place/bg/kazanlak",
    "/id/place/bg/kazanlak.ttl",
    "/id/twinning/bg-kazanlak--it-cremona.html",
    "/graph/kazanlak-cremona",
    "/source/kazanlak-cremona",
    "/ontology",
    "/dataset",
]
JUNK = ["%00", "%ff", "%3C", "%22", "%7B", "%20", "..", "%2e%2e/", "//", "\u2603", "%C0%AF", "x" * 300, ";", "?", "#"]
TOKENS = [
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ".",
    ";",
    "FILTER(",
    "!",
    "||",
    "SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o }",
    "SERVICE ?x { }",
    "\\u0053ERVICE",
    '"',
    "'''",
    "<",
    ">",
    "# service\n",
    "99999999999999999999999999",
    "LIMIT -1",
    "OFFSET 1e99",
    "GRAPH ?g {",
    "BIND(1/0 AS ?z)",
    "REGEX(?x, '(a+)+$')",
    "\x00",
    "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
]
ACCEPTS = [
    "application/sparql-results+json",
    "text/csv",
    "text/turtle",
    "application/n-quads",
    "application/trig",
    "text/html",
    "*/*",
    "image/png",
    "application/json;q=abc",
    ";;;,,,",
    "text/*;q=0.5, */*;q=0.1",
    "x" * 500,
]
CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/sparql-query",
    "application/sparql-query; charset=latin-1",
    "application/sparql-query; charset=bogus",
    "application/sparql-update",
    "multipart/form-data; boundary=x",
    "text/plain",
    "",
]
PARAMS = ["query", "format", "output", "default-graph-uri", "named-graph-uri", "update", "lang", "q", "query"]


@dataclass
class Hostile:
    """One request: what ``requests`` or the test client needs to send it."""

    method: str
    path: str
    params: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


def _examples() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(Path(QUERIES).glob("*.rq"))]


def mutate(rng: random.Random, text: str) -> str:
    """Cut, duplicate or insert a few pieces of ``text``."""
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(text) + 1)
        roll = rng.random()
        if roll < 0.3 and text:
            text = text[:at] + text[at + rng.randint(1, 40) :]
        elif roll < 0.5:
            text = text[:at] + text[at : at + 200] * rng.randint(2, 50) + text[at:]
        else:
            text = text[:at] + " " + rng.choice(TOKENS) + " " + text[at:]
    return text


def requests(seed: int, count: int) -> Iterator[Hostile]:
    """Yield ``count`` hostile requests, the same ones for the same seed."""
    rng = random.Random(seed)
    examples = _examples()
    for _ in range(count):
        method = rng.choice(METHODS)
        path = "/sparql" if rng.random() < 0.5 else rng.choice(PATHS)
        if rng.random() < 0.3:
            path = path.rstrip("/") + "/" + "".join(rng.choice(JUNK) for _ in range(rng.randint(1, 3)))
        req = Hostile(method, path)
        if rng.random() < 0.7:
            req.headers["Accept"] = rng.choice(ACCEPTS)
        if rng.random() < 0.2:
            req.headers["Accept-Language"] = rng.choice(["bg", "en;q=x", "*", "zz-ZZ", "," * 50])
        if rng.random() < 0.1:
            req.headers["Range"] = rng.choice(["bytes=0-10", "bytes=-5", "bytes=99999999-", "bytes=x-y", "lines=1"])
        if rng.random() < 0.1:
            req.headers["If-None-Match"] = rng.choice(['"x"', "*", "W/", '"' * 20])
        query = mutate(rng, rng.choice(examples)) if rng.random() < 0.8 else rng.choice(TOKENS) * rng.randint(1, 3)
        for _ in range(rng.randint(0, 3)):
            name = rng.choice(PARAMS)
            value = query if name in {"query", "update"} else rng.choice([*JUNK, "http://x.example/g", "json", "xml"])
            req.params.append((name, value))
        if method == "POST":
            req.headers["Content-Type"] = rng.choice(CONTENT_TYPES)
            encoding = rng.choice(["utf-8", "latin-1", "utf-16"])
            raw = query if rng.random() < 0.5 else "query=" + query
            req.body = raw.encode(encoding, "replace")
            if rng.random() < 0.2:
                req.body += bytes(rng.randrange(256) for _ in range(rng.randint(1, 30)))
        yield req


def acceptable(status: int, headers: dict[str, str]) -> bool:
    """A hostile request may be refused (4xx) or deferred (503 with Retry-After), never fail with 5xx."""
    if status < 500:
        return True
    return status == 503 and "retry-after" in {k.lower() for k in headers}
