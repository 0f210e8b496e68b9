# expect: pobsh:PlaceKindSchemeShape
# A place whose kind is a twinning's mode.
PREFIX pob: <https://pobratim.example/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
BASE <https://example.test/>
DELETE DATA { <id/place/bg/kazanlak> pob:placeKind pob:placekind-municipality } ;
INSERT DATA { <id/place/bg/kazanlak> pob:placeKind pob:mode-protocol }
