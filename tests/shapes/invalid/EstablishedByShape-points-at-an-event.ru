# expect: pobsh:EstablishedByShape
# A twinning established by an event, not a document.
PREFIX pob: <https://pobratim.example/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
BASE <https://example.test/>
DELETE DATA { <id/twinning/bg-kazanlak--it-cremona> pob:establishedBy <id/document/protocol-1978> } ;
INSERT DATA { <id/twinning/bg-kazanlak--it-cremona> pob:establishedBy <id/event/football-1980> }
