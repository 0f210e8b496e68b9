"""What the SPARQL layer raises: a query it cannot parse, a SERVICE call it refuses, an answer too large."""


class Unparsed(Exception):
    """rdflib could not parse the query; the message is rdflib's."""


class ServiceRefused(Exception):
    """A SERVICE call the settings do not allow."""


class AnswerTooLarge(Exception):
    """The answer, within the row limit, is still larger than the byte limit."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"the answer is larger than the limit of {max_bytes} bytes")
        self.max_bytes = max_bytes
