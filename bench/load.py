"""What the benchmarks share: the server settings for a load that comes from one client."""

# wrk and the bench's threads are one client (one address, one User-Agent): the per-client budget, which
# would answer most of their requests 429, is raised so that they measure the server, not the budget.
# Every other protection (timeouts that kill, limits, the SERVICE allow-list, the queue bound) stays on.
ONE_CLIENT = {"CLIENT_MAX_QUERIES": "64", "CLIENT_QUERY_SECONDS": "1000000", "QUEUE_LENGTH": "64"}
