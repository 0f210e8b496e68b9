# expect: pobsh:EndAfterStartShape
# A claim that a twinning ends (1969, bounds and all) before it starts (1970).
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
DELETE { ?t schema:endDate ?e ; sem:hasEarliestEndTimeStamp ?ee ; sem:hasLatestEndTimeStamp ?le }
INSERT { ?t schema:endDate "1969"^^xsd:gYear ; sem:hasEarliestEndTimeStamp "1969-01-01"^^xsd:date ; sem:hasLatestEndTimeStamp "1969-12-31"^^xsd:date }
WHERE { BIND (<id/twinning/bg-kazanlak--it-cremona-1970#claim-1> AS ?t) ?t schema:endDate ?e ; sem:hasEarliestEndTimeStamp ?ee ; sem:hasLatestEndTimeStamp ?le }
