"""The build of the real pages: what the graph says, where it comes from, and what dist/ holds."""

import gzip
import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from pobratim import published
from pobratim.build.assemble import build, load_ontology
from pobratim.build.concepts import concept
from pobratim.build.mapping import _SourceGraphBuilder
from pobratim.build.pipeline import run_build
from pobratim.core.ids import DEFAULT_BASE
from pobratim.core.vocab import OA, POB, PROV, RDF, SDO, XSD
from pobratim.records.corpus import Corpus
from pobratim.records.models import SECTIONS
from pobratim.shacl.report import load_shapes
from tests.support.paths import SEED

from .conftest import Built
from .support.rdf import ask, select, union

B = DEFAULT_BASE
CREMONA_TWINNING = URIRef(B + "id/twinning/bg-kazanlak--it-cremona")


def test_one_named_graph_per_source_plus_the_gazetteer(dataset: Dataset) -> None:
    names = {str(g.identifier) for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID}
    assert names == {
        B + "graph/kazanlak-cremona",
        B + "graph/kazanlak-international-cooperation",
        B + "graph/asenovgrad-twin-towns",
        B + "graph/geonames",
    }


def test_disagreeing_sources_are_both_kept(dataset: Dataset) -> None:
    """Each source's start is on its own claim, in its own graph, naming its own source."""
    starts = {
        (str(g.identifier), str(g.value(claim, PROV.wasDerivedFrom)), o)
        for g in dataset.graphs()
        for claim in g.objects(CREMONA_TWINNING, POB.claim)
        for o in g.objects(claim, SDO.startDate)
    }
    assert starts == {
        (B + "graph/kazanlak-cremona", B + "source/kazanlak-cremona", Literal("1978-05-25", datatype=XSD.date)),
        (
            B + "graph/kazanlak-international-cooperation",
            B + "source/kazanlak-international-cooperation",
            Literal("1982", datatype=XSD.gYear),
        ),
    }


def test_the_single_graph_dumps_keep_each_sources_claim_apart(built: Built) -> None:
    """Merged into one graph, the two starts stay on two claims, each with its source and quote."""
    merged = Graph().parse(built.dist / published.TURTLE, format="turtle")
    rows = select(
        merged,
        f"""SELECT ?start ?source ?quote WHERE {{
            <{CREMONA_TWINNING}> <{POB.claim}> ?claim .
            ?claim <{SDO.startDate}> ?start ; <{PROV.wasDerivedFrom}> ?source .
            ?q <{OA.hasBody}> ?claim ; <{OA.hasTarget}>/<{OA.hasSelector}>/<{OA.exact}> ?quote }}""",
    )
    by_source = {str(r[1]): (str(r[0]), str(r[2])) for r in rows}
    assert by_source[B + "source/kazanlak-cremona"][0] == "1978-05-25"
    assert by_source[B + "source/kazanlak-international-cooperation"][0] == "1982"
    assert "1982" in by_source[B + "source/kazanlak-international-cooperation"][1]


def test_every_fact_has_a_source_and_a_quote(dataset: Dataset) -> None:
    facts = 0
    for g in dataset.graphs():
        if g.identifier == DATASET_DEFAULT_GRAPH_ID or str(g.identifier).endswith("/geonames"):
            continue
        for node in set(g.subjects(PROV.wasDerivedFrom, None)):
            facts += 1
            quotes = list(g.subjects(OA.hasBody, node))
            assert quotes, node
    assert facts >= 80


def test_counts(dataset: Dataset) -> None:
    q = """SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { { ?x a <%s> } UNION { GRAPH ?g { ?x a <%s> } } }"""
    counts = {
        name: int(select(dataset, q % (cls, cls))[0][0])
        for name, cls in {
            "twinnings": POB.Twinning,
            "attestations": POB.MayorAttestation,
            "events": SDO.Event,
        }.items()
    }
    assert counts["twinnings"] == 29  # 19 Kazanlak + 10 Asenovgrad relations (distinct pairs)
    assert counts["attestations"] == 9


def test_conflicting_labels_as_written_are_kept_in_their_graph(dataset: Dataset) -> None:
    tolyatti = URIRef(B + "id/place/ru/tolyatti")
    by_graph = {
        str(g.identifier): set(map(str, g.objects(tolyatti, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))))
        for g in dataset.graphs()
    }
    assert "Толияти" in by_graph[B + "graph/kazanlak-international-cooperation"]


def test_successor_twinning_replaces_the_old_one(dataset: Dataset) -> None:
    naousa, stenimachos = B + "id/twinning/bg-asenovgrad--gr-naousa", B + "id/twinning/bg-asenovgrad--gr-stenimachos"
    assert ask(
        dataset,
        f"""ASK {{ GRAPH ?g {{
        <{naousa}> <{POB.claim}> ?new . ?new <http://purl.org/dc/terms/replaces> <{stenimachos}> .
        <{stenimachos}> <{POB.claim}> ?old . ?old <{POB.status}> <{concept("status", "transferred")}> ;
            <https://schema.org/endDate> "1999"^^<http://www.w3.org/2001/XMLSchema#gYear> }}
        <{stenimachos}> a <{POB.Twinning}> ; <http://purl.org/dc/terms/isReplacedBy> <{naousa}> }}""",
    )


def test_the_shortcut_links_only_relations_no_source_says_have_ended(dataset: Dataset) -> None:
    asenovgrad, stenimachos, naousa = (
        URIRef(B + "id/place/" + k) for k in ("bg/asenovgrad", "gr/stenimachos", "gr/naousa")
    )
    shortcut = {(s, o) for s, _p, o, _g in dataset.quads((None, POB.twinnedWith, None, None))}
    assert (asenovgrad, naousa) in shortcut and (naousa, asenovgrad) in shortcut
    assert (asenovgrad, stenimachos) not in shortcut and (stenimachos, asenovgrad) not in shortcut
    twinnings = {s for s, _p, _o, _g in dataset.quads((None, RDF.type, POB.Twinning, None))}
    pairs = {tuple(sorted(dataset.objects(t, POB.party), key=str)) for t in twinnings}
    assert len(shortcut) == 2 * (len(pairs) - 1)  # every relation but the one that passed to Naousa


def test_a_rebuild_is_isomorphic_with_the_same_iris(corpus: Corpus, dataset: Dataset) -> None:
    again = build(corpus, load_ontology(SEED.ontology), DEFAULT_BASE).to_dataset()
    assert {g.identifier for g in again.graphs()} == {g.identifier for g in dataset.graphs()}
    for g in dataset.graphs():
        assert isomorphic(g, again.graph(g.identifier)), g.identifier
    subjects = {s for s, _p, _o, _g in dataset.quads((None, None, None, None))}
    assert subjects == {s for s, _p, _o, _g in again.quads((None, None, None, None))}


def test_the_base_iri_is_configurable(corpus: Corpus) -> None:
    other = build(corpus, load_ontology(SEED.ontology), "http://data.example.org/twins/").to_dataset()
    subjects = {str(s) for s, _p, _o, _g in other.quads((None, None, None, None)) if isinstance(s, URIRef)}
    assert "http://data.example.org/twins/id/place/bg/kazanlak" in subjects
    assert not any(s.startswith(DEFAULT_BASE + "id/") for s in subjects)


def test_dist_holds_the_fixed_names(built: Built) -> None:
    names = {p.name for p in built.dist.iterdir()}
    assert {
        "pobratim.trig",
        "pobratim.ttl",
        "pobratim.jsonld",
        "pobratim.nt.gz",
        "void.ttl",
        "SHA256SUMS",
        "store",
    } <= names


def test_dumps_parse_back_to_the_same_graph(built: Built, dataset: Dataset) -> None:
    trig = Dataset()
    trig.parse(built.dist / published.TRIG, format="trig")
    for g in dataset.graphs():
        assert isomorphic(g, trig.graph(g.identifier)), g.identifier
    merged = union(dataset)
    assert isomorphic(Graph().parse(built.dist / published.TURTLE, format="turtle"), merged)
    with gzip.open(built.dist / published.NTRIPLES_GZ, "rt", encoding="utf-8") as f:
        assert isomorphic(Graph().parse(data=f.read(), format="nt"), merged)
    jsonld = Dataset()
    jsonld.parse(built.dist / published.JSONLD, format="json-ld")
    assert isomorphic(union(jsonld), merged)
    context = json.loads((built.dist / published.JSONLD).read_text(encoding="utf-8"))["@context"]
    assert context["pob"] == str(POB._NS) and context["schema"] == "https://schema.org/"


def test_store_holds_every_quad(built: Built, dataset: Dataset) -> None:
    store = built.open_store()
    assert len(store) == sum(1 for _ in dataset.quads((None, None, None, None)))


def test_void_describes_counts_time_sources_and_dumps(built: Built, dataset: Dataset) -> None:
    void = Graph().parse(built.dist / published.VOID, format="turtle")
    q = """PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcterms: <http://purl.org/dc/terms/>
           PREFIX dcat: <http://www.w3.org/ns/dcat#>
           SELECT ?triples ?modified (COUNT(DISTINCT ?source) AS ?sources) (COUNT(DISTINCT ?dump) AS ?dumps) WHERE {
             ?d a void:Dataset ; void:triples ?triples ; dcterms:modified ?modified ; dcterms:source ?source ;
                void:dataDump ?dump ; dcat:distribution/dcat:downloadURL ?dump .
           } GROUP BY ?triples ?modified"""
    (row,) = select(void, q)
    assert int(row[0]) == len(union(dataset))
    assert str(row[1]).startswith("2026-01-02T03:04:05")
    assert int(row[2]) == 3 and int(row[3]) == 4


def test_checksums_are_right(built: Built) -> None:
    lines = (built.dist / published.CHECKSUMS).read_text().splitlines()
    assert len(lines) >= 9
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((built.dist / name).read_bytes()).hexdigest() == digest, name


def test_two_builds_publish_isomorphic_dumps(tmp_path: Path, built: Built) -> None:
    layout = replace(SEED, dist=tmp_path / "dist")
    run_build(layout, DEFAULT_BASE, datetime(2027, 1, 1, tzinfo=UTC))
    for name in ("pobratim.trig", "pobratim.ttl"):
        fmt = "trig" if name.endswith("trig") else "turtle"
        a, b = Dataset(), Dataset()
        a.parse(built.dist / name, format=fmt)
        b.parse(layout.dist / name, format=fmt)
        assert isomorphic(union(a), union(b)), name
    assert (built.dist / "pobratim.nt.gz").read_bytes() == (layout.dist / "pobratim.nt.gz").read_bytes()


def test_a_parallel_build_equals_a_sequential_one(monkeypatch: pytest.MonkeyPatch, dataset: Dataset) -> None:
    """Forked workers parse and build large inputs; forced here on the seed data, the result is the same."""
    import pobratim.records.corpus as corpus_module
    from pobratim.core import parallel

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    corpus = corpus_module.load_corpus(SEED, workers=2)
    assert corpus.record_sets == corpus_module.load_corpus(SEED, workers=1).record_sets
    built = build(corpus, load_ontology(SEED.ontology), DEFAULT_BASE, workers=2)
    forked = built.to_dataset()
    assert {g.identifier for g in forked.graphs()} == {g.identifier for g in dataset.graphs()}
    for g in dataset.graphs():
        assert isomorphic(g, forked.graph(g.identifier)), g.identifier
    sequential = build(corpus, load_ontology(SEED.ontology), DEFAULT_BASE, workers=1)
    assert built.subjects == sequential.subjects and built.types == sequential.types


def test_pruning_one_dist_never_deletes_another(tmp_path: Path) -> None:
    """Builds published to two folders side by side keep their old builds apart."""
    first = replace(SEED, dist=tmp_path / "first")
    second = replace(SEED, dist=tmp_path / "second")
    run_build(first, DEFAULT_BASE, datetime(2026, 1, 1, tzinfo=UTC))
    for hour in range(1, 5):
        run_build(second, DEFAULT_BASE, datetime(2026, 1, 1, hour, tzinfo=UTC))
    assert (first.dist / published.MANIFEST).is_file()
    assert (first.dist / published.STORE).is_dir()
    assert len([p for p in (tmp_path / ".second-builds").iterdir() if p.is_dir()]) == 3


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        (published.TURTLE, "turtle"),
        (published.NTRIPLES_GZ, "nt"),
        (published.TRIG, "trig"),
        (published.JSONLD, "json-ld"),
    ],
)
def test_every_published_dump_conforms_to_the_shapes(built: Built, name: str, fmt: str) -> None:
    """pySHACL, the reference validator, over each dump as a user downloads it (graphs merged into one),
    together with the dataset description (void.ttl): the two say the same of the dataset, or the shapes fail."""
    from pyshacl import validate as shacl_validate

    path = built.dist / name
    data = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    parsed = Dataset()
    parsed.parse(data=data, format=fmt)
    merged = union(parsed)
    assert len(merged) > 3000
    merged.parse(built.dist / published.VOID, format="turtle")
    conforms, _report, text = shacl_validate(
        merged, shacl_graph=load_shapes(SEED.shapes), inference="none", allow_warnings=True
    )
    assert conforms, text


def test_places_carry_their_native_script_names(dataset: Dataset) -> None:
    """A reviewed page's spelling or the gazetteer's name in the place's own script, tagged with its language."""
    labels = {
        (str(s), o.language, str(o))
        for s, o in union(dataset).subject_objects(URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))
        if isinstance(o, Literal)
    }
    for key, lang, name in [
        ("eg/luxor", "ar", "الأقصر"),
        ("kr/seoul", "ko", "서울"),
        ("jp/munakata", "ja", "宗像"),
        ("gr/veria", "el", "Βέροια"),
        ("ru/tolyatti", "ru", "Тольятти"),
    ]:
        assert (B + "id/place/" + key, lang, name) in labels, key


def test_every_kind_of_fact_has_a_mapping() -> None:
    assert set(_SourceGraphBuilder.MAPPINGS) == set(SECTIONS)
