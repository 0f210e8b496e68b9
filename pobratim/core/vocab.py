"""Closed namespaces for every vocabulary term the Python code uses.

``POB`` is checked against ``ontology/pobratim.ttl`` by a test: a term used here and not declared
there (or the other way round) fails it. The other classes close the foreign vocabularies on the few
terms pobratim uses, so that a typo raises instead of minting a new IRI.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    TIME,
    VOID,
    XSD,
    DefinedNamespace,
)

ONTOLOGY_IRI = "https://pobratim.example/ontology"
# The graph's licence unless the LICENSE setting names another: Creative Commons Attribution 4.0 lets anyone
# copy and adapt the data who names pobratim (and through it, the sources) as its origin.
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
# Licences under which a page's whole text may be republished (with attribution, which its source
# description gives): Creative Commons' public domain tools and its licences without NC or ND.
OPEN_LICENSES = frozenset(
    {
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "https://creativecommons.org/publicdomain/mark/1.0/",
        "https://creativecommons.org/licenses/by/3.0/",
        "https://creativecommons.org/licenses/by/4.0/",
        "https://creativecommons.org/licenses/by-sa/3.0/",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    }
)


class POB(DefinedNamespace):
    """pobratim's own terms (ontology/pobratim.ttl)."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes
    Municipality: URIRef
    Twinning: URIRef
    Claim: URIRef
    TwinningClaim: URIRef
    OfficialVisit: URIRef
    Delegation: URIRef
    MayorAttestation: URIRef
    # properties
    party: URIRef
    claim: URIRef
    twinnedWith: URIRef
    establishedBy: URIRef
    establishmentMode: URIRef
    status: URIRef
    inTwinning: URIRef
    signedBy: URIRef
    proposedBy: URIRef
    capturedOn: URIRef
    placeKind: URIRef
    # concept schemes and the role
    TwinningKind: URIRef
    EstablishmentMode: URIRef
    TwinningStatus: URIRef
    DocumentType: URIRef
    EventType: URIRef
    PlaceKind: URIRef
    Mayor: URIRef
    # The concepts (pob:kind-twinning, …) are named by build.concepts, from the record model's values.


class OA(DefinedNamespace):
    """W3C Web Annotation vocabulary (the terms pobratim uses)."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    Annotation: URIRef
    SpecificResource: URIRef
    TextQuoteSelector: URIRef
    TimeState: URIRef
    hasBody: URIRef
    hasTarget: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    hasState: URIRef
    motivatedBy: URIRef
    identifying: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef
    sourceDate: URIRef
    cached: URIRef


class ELI(DefinedNamespace):
    """European Legislation Identifier ontology (the terms pobratim uses)."""

    _NS = Namespace("http://data.europa.eu/eli/ontology#")
    _fail = True

    LegalResource: URIRef
    type_document: URIRef
    date_document: URIRef
    passed_by: URIRef
    responsibility_of: URIRef


class SEM(DefinedNamespace):
    """Simple Event Model: derived time bounds for mixed-precision dates."""

    _NS = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    _fail = True

    hasEarliestBeginTimeStamp: URIRef
    hasLatestBeginTimeStamp: URIRef
    hasEarliestEndTimeStamp: URIRef
    hasLatestEndTimeStamp: URIRef


class SD(DefinedNamespace):
    """SPARQL 1.1 Service Description (the terms the endpoint describes itself with)."""

    _NS = Namespace("http://www.w3.org/ns/sparql-service-description#")
    _fail = True

    Service: URIRef
    Dataset: URIRef
    Graph: URIRef
    endpoint: URIRef
    supportedLanguage: URIRef
    SPARQL11Query: URIRef
    resultFormat: URIRef
    feature: URIRef
    BasicFederatedQuery: URIRef
    UnionDefaultGraph: URIRef
    defaultDataset: URIRef
    defaultGraph: URIRef
    namedGraph: URIRef
    name: URIRef


# W3C's IRIs of media formats (one per format, named by the format table).
FORMATS = Namespace("http://www.w3.org/ns/formats/")


class SPDX(DefinedNamespace):
    """SPDX checksum terms, as adopted by DCAT 3."""

    _NS = Namespace("http://spdx.org/rdf/terms#")
    _fail = True

    Checksum: URIRef
    checksum: URIRef
    algorithm: URIRef
    checksumValue: URIRef
    checksumAlgorithm_sha256: URIRef


class GN(DefinedNamespace):
    """GeoNames ontology (the terms pobratim uses)."""

    _NS = Namespace("http://www.geonames.org/ontology#")
    _fail = True

    countryCode: URIRef
    parentCountry: URIRef
    geonamesID: URIRef


class GEO(DefinedNamespace):
    """W3C Basic Geo (WGS84) vocabulary: a place's point, as GeoNames itself publishes it."""

    _NS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
    _fail = True

    lat: URIRef
    long: URIRef


class WDT(DefinedNamespace):
    """Wikidata direct properties used as alignment targets."""

    _NS = Namespace("http://www.wikidata.org/prop/direct/")
    _fail = True

    P190: URIRef
    P580: URIRef
    P582: URIRef
    P1566: URIRef


WD = Namespace("http://www.wikidata.org/entity/")
WD_ENTITY = str(WD)  # the IRI prefix of every Wikidata item, as text
GEONAMES = Namespace("https://sws.geonames.org/")

PREFIXES: dict[str, str] = {
    "pob": str(POB._NS),
    "schema": str(SDO._NS),
    "prov": str(PROV._NS),
    "dcterms": str(DCTERMS._NS),
    "skos": str(SKOS._NS),
    "org": str(ORG._NS),
    "time": str(TIME._NS),
    "oa": str(OA._NS),
    "eli": str(ELI._NS),
    "sem": str(SEM._NS),
    "spdx": str(SPDX._NS),
    "gn": str(GN._NS),
    "geo": str(GEO._NS),
    "wdt": str(WDT._NS),
    "wd": str(WD),
    "p": "http://www.wikidata.org/prop/",
    "ps": "http://www.wikidata.org/prop/statement/",
    "pq": "http://www.wikidata.org/prop/qualifier/",
    "wikibase": "http://wikiba.se/ontology#",
    "adms": "http://www.w3.org/ns/adms#",
    "void": str(VOID._NS),
    "dcat": str(DCAT._NS),
    "foaf": str(FOAF._NS),
    "owl": str(OWL._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "xsd": str(XSD._NS),
    "sh": str(SH._NS),
}

__all__ = [
    "DCAT",
    "DCTERMS",
    "ELI",
    "FOAF",
    "FORMATS",
    "GEO",
    "GEONAMES",
    "GN",
    "OA",
    "ORG",
    "OWL",
    "POB",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SD",
    "SDO",
    "SEM",
    "SH",
    "SKOS",
    "SPDX",
    "TIME",
    "VOID",
    "WD",
    "WDT",
    "WD_ENTITY",
    "XSD",
]
