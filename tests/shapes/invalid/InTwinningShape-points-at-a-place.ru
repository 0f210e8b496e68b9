# expect: pobsh:InTwinningShape
# An event said to belong to a place instead of a twinning.
PREFIX pob: <https://pobratim.example/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
BASE <https://example.test/>
DELETE DATA { <id/event/football-1980> pob:inTwinning <id/twinning/bg-kazanlak--it-cremona> } ;
INSERT DATA { <id/event/football-1980> pob:inTwinning <id/place/it/cremona> }
