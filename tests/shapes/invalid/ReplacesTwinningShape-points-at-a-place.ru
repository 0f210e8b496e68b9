# expect: pobsh:ReplacesTwinningShape
# A successor twinning that replaces a place, not a twinning.
PREFIX pob: <https://pobratim.example/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
BASE <https://example.test/>
DELETE DATA { <id/twinning/bg-kazanlak--it-cremona> dcterms:replaces <id/twinning/bg-kazanlak--it-cremona-1970> } ;
INSERT DATA { <id/twinning/bg-kazanlak--it-cremona> dcterms:replaces <id/place/it/cremona> }
