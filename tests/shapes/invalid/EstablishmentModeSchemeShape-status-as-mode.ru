# expect: pobsh:EstablishmentModeSchemeShape
# A status given where how the twinning began belongs.
PREFIX pob: <https://pobratim.example/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
BASE <https://example.test/>
DELETE DATA { <id/twinning/bg-kazanlak--it-cremona> pob:establishmentMode pob:mode-protocol } ;
INSERT DATA { <id/twinning/bg-kazanlak--it-cremona> pob:establishmentMode pob:status-active }
