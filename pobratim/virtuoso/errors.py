"""What the Virtuoso store raises: one error for Virtuoso failing, one for its deadline, one for a query refused."""


class VirtuosoError(Exception):
    """Virtuoso could not be started, stopped, told to do something, or answer one of pobratim's own queries."""


class VirtuosoTimeout(Exception):
    """Virtuoso did not answer within the deadline and its margin."""


class Refused(Exception):
    """A query that must not reach Virtuoso; the message says why."""
