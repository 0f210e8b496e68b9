"""SPARQLWrapper with its defaults (format=, output= and results= beside Accept) works for every query form and
every return format it offers, as it does against Fuseki and the Oxigraph server."""

from xml.dom.minidom import Document, Text

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from .support.live import Live

SELECT = "SELECT ?town WHERE { ?town a <https://schema.org/Place> } ORDER BY ?town LIMIT 3"
ASK = "ASK { ?town a <https://schema.org/Place> }"
CONSTRUCT = "CONSTRUCT { ?town a <https://schema.org/Place> } WHERE { ?town a <https://schema.org/Place> } LIMIT 3"
DESCRIBE = "DESCRIBE <https://pobratim.example/id/place/bg/kazanlak>"


def ask(live: Live, query: str, fmt: str) -> object:
    client = SPARQLWrapper(live.url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client.query().convert()


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select_in_every_results_format(live: Live, fmt: str) -> None:
    answer = ask(live, SELECT, fmt)
    if fmt == JSON:
        assert isinstance(answer, dict) and len(answer["results"]["bindings"]) == 3
    elif fmt == XML:
        assert isinstance(answer, Document) and len(answer.getElementsByTagName("result")) == 3
    else:
        assert isinstance(answer, bytes) and len(answer.decode().strip().splitlines()) == 4  # header and 3 rows


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask_in_json_and_xml(live: Live, fmt: str) -> None:
    answer = ask(live, ASK, fmt)
    if fmt == JSON:
        assert isinstance(answer, dict) and answer["boolean"] is True
    else:
        assert isinstance(answer, Document)
        text = answer.getElementsByTagName("boolean")[0].firstChild
        assert isinstance(text, Text) and text.data == "true"


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, XML, JSONLD])  # what SPARQLWrapper offers for graphs
def test_graphs_in_every_rdf_format(live: Live, query: str, fmt: str) -> None:
    answer = ask(live, query, fmt)
    if isinstance(answer, Graph):
        graph = answer
    else:  # TURTLE and N3 come back as text for the caller to parse
        assert isinstance(answer, bytes)
        graph = Graph().parse(data=answer, format="turtle")
    assert len(graph) >= 3
