# expect: pobsh:StatusSchemeShape
# A status outside the scheme.
PREFIX pob: <https://pobratim.example/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
BASE <https://example.test/>
DELETE DATA { <id/twinning/bg-kazanlak--it-cremona> pob:status pob:status-active } ;
INSERT DATA { <id/twinning/bg-kazanlak--it-cremona> pob:status pob:status-paused }
