# expect: pobsh:TypeSchemeShape
# A twinning whose kind is an event type.
PREFIX pob: <https://pobratim.example/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
BASE <https://example.test/>
DELETE DATA { <id/twinning/bg-kazanlak--it-cremona> dcterms:type pob:kind-twinning } ;
INSERT DATA { <id/twinning/bg-kazanlak--it-cremona> dcterms:type pob:eventtype-sports-match }
