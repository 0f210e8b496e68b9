"""Every JSON-LD pobratim serves is compact with the build's one term context: the HTML pages' embedded
JSON-LD, the dataset description, what a document says of itself; a build without the context is refused."""

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from pobratim import published
from pobratim.endpoint.state import verify_files

from .conftest import Built
from .support.inprocess import InProcess
from .support.resources import CREMONA_TWINNING, Scripts, expected_graph


def full_iri_keys(value: Any) -> list[str]:
    """Every key of every object in a JSON value that is a whole IRI (what a term context should have named)."""
    if isinstance(value, list):
        return [k for v in value for k in full_iri_keys(v)]
    if isinstance(value, dict):
        own = [k for k in value if k.startswith(("http://", "https://"))]
        return own + [found for key, v in value.items() if key != "@context" for found in full_iri_keys(v)]
    return []


def test_what_a_document_says_of_itself_has_keys_in_the_context(server: InProcess) -> None:
    document = server.get(f"{CREMONA_TWINNING}.jsonld").json()
    itself = next(n for n in document["@graph"] if n["id"].endswith(f"{CREMONA_TWINNING}.jsonld"))
    assert {"primaryTopic", "inDataset"} <= set(itself) and itself["type"] == "Document"


def test_the_page_embeds_compact_json_ld_that_reads_as_the_description(server: InProcess, built: Built) -> None:
    page = server.get(f"{CREMONA_TWINNING}.html")
    scripts = Scripts()
    scripts.feed(page.text)
    (embedded,) = scripts.jsonld
    document = json.loads(embedded)
    assert document["@context"] == json.loads((built.dist / published.CONTEXT).read_bytes())["@context"]
    assert full_iri_keys(document["@graph"]) == []
    got = Graph().parse(data=embedded, format="json-ld")
    expected = expected_graph(built.open_store(), CREMONA_TWINNING)
    assert set(got) and set(got) <= set(expected)  # its own description, without what points at it


def test_the_dataset_description_is_compact_json_ld_too(server: InProcess, built: Built) -> None:
    r = server.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/ld+json")
    assert full_iri_keys(r.json()["@graph"]) == []
    turtle = Graph().parse(built.dist / published.VOID, format="turtle")
    from rdflib.compare import isomorphic

    assert isomorphic(Graph().parse(data=r.text, format="json-ld"), turtle)


def test_a_build_without_its_term_context_is_refused_before_serving(built: Built, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    shutil.copytree(built.dist, dist)
    (dist / published.CONTEXT).unlink()
    sums = dist / published.CHECKSUMS
    lines = [line for line in sums.read_text().splitlines() if not line.endswith(f"  {published.CONTEXT}")]
    sums.write_text("\n".join(lines) + "\n")
    with pytest.raises(RuntimeError, match=r"has no context\.jsonld .*build again"):
        verify_files(dist)
