"""Query evaluation in processes a deadline can kill: evaluation, the forking query server, the pool."""
