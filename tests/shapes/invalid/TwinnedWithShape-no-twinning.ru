# expect: pobsh:TwinnedWithShape
# A shortcut between two towns that no pob:Twinning joins.
PREFIX pob: <https://pobratim.example/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX gn: <http://www.geonames.org/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX spdx: <http://spdx.org/rdf/terms#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
BASE <https://example.test/>
INSERT DATA { <id/place/it/cremona> pob:twinnedWith <id/place/it/soresina> . <id/place/it/soresina> pob:twinnedWith <id/place/it/cremona> }
