# expect: pobsh:TypeSchemeShape
# A document type that is no concept at all.
PREFIX pob: <https://pobratim.example/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
BASE <https://example.test/>
DELETE DATA { <id/document/protocol-1978> dcterms:type pob:doctype-protocol } ;
INSERT DATA { <id/document/protocol-1978> dcterms:type pob:doctype-memo }
