"""The SHACL gate (compiled SPARQL on Oxigraph, sources validated in groups) reports exactly what pyshacl reports
with one run per source, or one run over everything."""

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from pobratim.build.built import BuiltDataset
from pobratim.core.ids import DEFAULT_BASE
from pobratim.core.vocab import OA, POB, RDF, SDO, SEM, SKOS, XSD
from pobratim.shacl.compiler import ALL_GRAPHS, OVER
from pobratim.shacl.gate import batches, validate
from pobratim.shacl.reference import validate_graph
from pobratim.shacl.report import Violation

B = DEFAULT_BASE
Key = tuple[str, str, str | None, str]


def copy(ds: Dataset) -> Dataset:
    out = Dataset()
    for s, p, o, g in ds.quads((None, None, None, None)):
        out.graph(g if g is not None else DATASET_DEFAULT_GRAPH_ID).add((s, p, o))
    return out


def loaded(ds: Dataset) -> BuiltDataset:
    """The same quads in the store the build writes into."""
    out = BuiltDataset()
    for s, p, o, g in ds.quads((None, None, None, None)):
        assert g is None or isinstance(g, URIRef), g  # graphs are named by IRIs; the default graph's is one too
        out.graph(g).add((s, p, o))
    return out.finish()


def plant(ds: Dataset) -> Dataset:
    """Plant one error of each kind, in different source graphs and in the default graph."""
    ds = copy(ds)
    cremona_page = ds.graph(URIRef(B + "graph/kazanlak-cremona"))
    selector = URIRef(B + "id/quote/kazanlak-cremona-2019-delegation/1#selector")
    cremona_page.remove((selector, OA.exact, None))
    cremona_page.add(
        (URIRef(B + "id/twinning/bg-kazanlak--it-cremona"), SDO.startDate, Literal("1979", datatype=XSD.gYear))
    )
    cremona_page.remove((URIRef(B + "id/event/kazanlak-cremona-1980-football"), SDO.startDate, None))
    cremona_page.add((URIRef(B + "id/event/kazanlak-cremona-1980-football"), SDO.startDate, Literal("1980")))
    claim = URIRef(B + "id/twinning/bg-kazanlak--it-cremona#kazanlak-cremona-1978")  # starts 1978-05-25
    cremona_page.add((claim, SDO.endDate, Literal("1970", datatype=XSD.gYear)))
    cremona_page.add((claim, SEM.hasEarliestEndTimeStamp, Literal("1970-01-01", datatype=XSD.date)))
    cremona_page.add((claim, SEM.hasLatestEndTimeStamp, Literal("1970-12-31", datatype=XSD.date)))
    listing = ds.graph(URIRef(B + "graph/kazanlak-international-cooperation"))
    listing.add((URIRef(B + "id/place/bg/kazanlak"), POB.twinnedWith, URIRef(B + "id/place/bg/kazanlak")))
    ds.graph(DATASET_DEFAULT_GRAPH_ID).remove((URIRef(B + "id/place/gr/veria"), SKOS.prefLabel, None))
    unclaimed = URIRef(B + "id/twinning/bg-asenovgrad--it-cremona")  # a relation no source claims
    for t in [(RDF.type, POB.Twinning), (POB.party, URIRef(B + "id/place/bg/asenovgrad"))]:
        ds.graph(DATASET_DEFAULT_GRAPH_ID).add((unclaimed, *t))
    ds.graph(DATASET_DEFAULT_GRAPH_ID).add((unclaimed, POB.party, URIRef(B + "id/place/it/cremona")))
    return ds


def keys(violations: list[Violation]) -> set[Key]:
    return {(v.focus, v.shape, v.path, v.message) for v in violations}


def per_graph(ds: Dataset, shapes: Graph) -> set[Key]:
    """The reference: every source graph validated on its own, with the default graph; the shapes that must see
    every graph at once (pobsh:over pobsh:AllGraphs) validated once over the union of all graphs."""
    whole = {shapes.namespace_manager.normalizeUri(str(s)) for s in shapes.subjects(OVER, ALL_GRAPHS)}
    assert whole  # TwinningHasClaimShape
    union = Graph()
    for s, p, o, _g in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    found: set[Key] = {k for k in keys(validate_graph(union, shapes, "union")) if k[1] in whole}
    default = ds.graph(DATASET_DEFAULT_GRAPH_ID)
    for g in ds.graphs():
        if g.identifier == DATASET_DEFAULT_GRAPH_ID:
            continue
        merged = Graph()
        for t in default:
            merged.add(t)
        for t in g:
            merged.add(t)
        found |= {k for k in keys(validate_graph(merged, shapes, str(g.identifier))) if k[1] not in whole}
    return found


def test_groups_share_no_subject(dataset: Dataset) -> None:
    subjects = {
        str(g.identifier): {str(s) for s in g.subjects()}
        for g in dataset.graphs()
        if g.identifier != DATASET_DEFAULT_GRAPH_ID
    }
    groups = batches(subjects)
    assert sorted(name for group in groups for name in group) == sorted(subjects)
    assert len(groups) < len(subjects)
    for group in groups:
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                assert not subjects[a] & subjects[b]


def test_grouped_validation_equals_one_run_per_source(dataset: Dataset, shapes: Graph) -> None:
    planted = plant(dataset)
    fast = keys(validate(loaded(planted), shapes).violations)
    assert fast == per_graph(planted, shapes)
    shapes_hit = {k[1] for k in fast}
    assert {
        "pobsh:QuoteShape",
        "pobsh:TwinningShape",
        "pobsh:DatePrecisionShape",
        "pobsh:EndAfterStartShape",
        "pobsh:TwinningHasClaimShape",
        "pobsh:NoSelfTwinningShape",
        "pobsh:PlaceShape",
    } <= shapes_hit


def test_grouped_validation_equals_a_whole_graph_run(dataset: Dataset, shapes: Graph) -> None:
    """With no twinning dated by two sources, one pyshacl run over everything is the same check."""
    planted = plant(dataset)
    planted.graph(URIRef(B + "graph/kazanlak-international-cooperation")).remove(
        (URIRef(B + "id/twinning/bg-kazanlak--it-cremona"), SDO.startDate, None)
    )
    whole = Graph()
    for s, p, o, _g in planted.quads((None, None, None, None)):
        whole.add((s, p, o))
    assert keys(validate(loaded(planted), shapes).violations) == keys(validate_graph(whole, shapes, "all"))
