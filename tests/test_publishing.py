"""Publishing as linked-data publishers do: the graph's licence everywhere, each source's rights respected."""

import gzip
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from rdflib import Dataset, Graph, Literal, URIRef

from pobratim import published
from pobratim.build.pipeline import run_build
from pobratim.core.ids import DEFAULT_BASE, Iris
from pobratim.core.layout import Layout
from pobratim.core.vocab import DCAT, DCTERMS, DEFAULT_LICENSE, OA, RDF, SDO
from tests.support.paths import SEED

from .conftest import BUILT_AT, Built
from .support.rdf import union

DATASET = Iris(DEFAULT_BASE).dataset()
CC_BY = URIRef(DEFAULT_LICENSE)
DUMPS = [
    (published.TURTLE, "turtle"),
    (published.NTRIPLES_GZ, "nt"),
    (published.TRIG, "trig"),
    (published.JSONLD, "json-ld"),
]


def dump_graph(dist: Path, name: str, fmt: str) -> Graph:
    data = (dist / name).read_bytes()
    parsed = Dataset()
    parsed.parse(data=gzip.decompress(data) if name.endswith(".gz") else data, format=fmt)
    return union(parsed)


def test_the_dataset_description_states_the_licence_of_the_dataset_its_service_and_each_dump(built: Built) -> None:
    void = Graph().parse(built.dist / published.VOID, format="turtle")
    assert set(void.objects(DATASET, DCTERMS.license)) == {CC_BY}
    distributions = set(void.objects(DATASET, DCAT.distribution))
    assert len(distributions) == 4
    for thing in [*distributions, *void.subjects(RDF.type, DCAT.DataService)]:
        assert set(void.objects(thing, DCTERMS.license)) == {CC_BY}, thing


@pytest.mark.parametrize(("name", "fmt"), DUMPS)
def test_every_dump_states_the_licence(built: Built, name: str, fmt: str) -> None:
    assert set(dump_graph(built.dist, name, fmt).objects(DATASET, DCTERMS.license)) == {CC_BY}


def test_the_licence_is_the_one_the_build_is_given(tmp_path: Path) -> None:
    cc0 = "https://creativecommons.org/publicdomain/zero/1.0/"
    layout = replace(SEED, dist=tmp_path / "dist")
    run_build(layout, DEFAULT_BASE, BUILT_AT, license=cc0)
    void = Graph().parse(layout.dist / published.VOID, format="turtle")
    assert set(void.objects(DATASET, DCTERMS.license)) == {URIRef(cc0)}
    assert set(dump_graph(layout.dist, published.TURTLE, "turtle").objects(DATASET, DCTERMS.license)) == {URIRef(cc0)}


def test_a_page_whose_rights_are_unknown_is_published_as_its_quotes_only(built: Built) -> None:
    """The seeds' sites' terms were not kept: their texts stay out of the dumps; the quotes carry the facts."""
    assert not list((built.dist / published.SOURCES).iterdir())
    graph = dump_graph(built.dist, published.TURTLE, "turtle")
    pages = set(graph.subjects(RDF.type, SDO.WebPage))
    assert len(pages) == 3
    for page in pages:
        assert Literal("rights unknown: only the quoted passages are republished", lang="en") in set(
            graph.objects(page, DCTERMS.rights)
        )
        assert not list(graph.objects(page, SDO.encoding))
    assert not list(graph.subject_objects(OA.cached))
    assert len(set(graph.subjects(RDF.type, OA.Annotation))) > 10  # the quotes are all there


def _with_rights(layout: Layout, source_file: str, rights: str) -> None:
    path = layout.data / "sources" / source_file
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    meta["rights"] = rights
    path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")


def test_a_page_under_an_open_licence_is_published_whole_and_linked(data_copy: Layout, tmp_path: Path) -> None:
    _with_rights(data_copy, "000_d4ef54faed068ef8.yaml", "https://creativecommons.org/licenses/by-sa/4.0/")
    _with_rights(data_copy, "001_75e2292177786f6b.yaml", "all rights reserved")
    run_build(data_copy, DEFAULT_BASE, BUILT_AT)
    published_texts = sorted(p.name for p in (data_copy.dist / published.SOURCES).iterdir())
    assert published_texts == ["000_d4ef54faed068ef8.txt"]
    copied = data_copy.dist / published.SOURCES / "000_d4ef54faed068ef8.txt"
    assert copied.read_bytes() == (data_copy.data / "sources" / "000_d4ef54faed068ef8.txt").read_bytes()
    graph = dump_graph(data_copy.dist, published.TURTLE, "turtle")
    iris = Iris(DEFAULT_BASE)
    open_page, reserved = iris.source("kazanlak-cremona"), iris.source("kazanlak-international-cooperation")
    assert set(graph.objects(open_page, DCTERMS.license)) == {URIRef("https://creativecommons.org/licenses/by-sa/4.0/")}
    assert set(graph.objects(open_page, SDO.encoding)) == {iris.dump("sources/000_d4ef54faed068ef8.txt")}
    assert Literal("all rights reserved: only the quoted passages are republished", lang="en") in set(
        graph.objects(reserved, DCTERMS.rights)
    )
    assert not list(graph.objects(reserved, SDO.encoding))
    cached = {str(o) for o in graph.objects(None, OA.cached)}
    assert cached == {str(iris.dump("sources/000_d4ef54faed068ef8.txt"))}


def test_a_source_with_rights_of_another_form_is_refused_naming_the_file(data_copy: Layout) -> None:
    from pobratim.core.errors import BuildError

    _with_rights(data_copy, "000_d4ef54faed068ef8.yaml", "free to use")
    with pytest.raises(BuildError) as caught:
        run_build(data_copy, DEFAULT_BASE, BUILT_AT)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "000_d4ef54faed068ef8.yaml" in text and "rights" in text
