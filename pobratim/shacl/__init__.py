"""The SHACL gate and the compiler that turns shapes into SPARQL."""
