"""Decide, before a query runs, whether its SERVICE calls are allowed (SPARQL 1.1 Federated Query).

Unrestricted SERVICE turns a public endpoint into a proxy into the server's network (SSRF), so every
SERVICE target must be an IRI on the configured allow-list, and a listed endpoint on a loopback, private
or link-local address is refused too unless that is explicitly allowed. The query is parsed with
rdflib's SPARQL parser; nothing is parsed by hand.
"""

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from rdflib import URIRef, Variable
from rdflib.plugins.sparql.parserutils import CompValue

from pobratim.sparql.errors import ServiceRefused, Unparsed
from pobratim.sparql.guard import may_hold
from pobratim.sparql.structure import algebra


def _services(node: Any) -> Iterator[CompValue]:
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield node
        for value in node.values():
            yield from _services(value)
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _services(item)


def service_targets(query: str) -> list[URIRef | Variable]:
    """Return the SERVICE targets of a query; raise ServiceRefused when the query cannot be checked."""
    try:
        found = algebra(query)
    except Unparsed as err:
        raise ServiceRefused(f"the query uses SERVICE and could not be checked against the allow-list: {err}") from None
    return [node["term"] for node in _services(found)]


def _is_private(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return True  # unresolvable: refuse rather than guess
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_loopback or address.is_private or address.is_link_local or address.is_reserved:
            return True
    return False


def check_services(query: str, allow: list[str], allow_private: bool) -> None:
    """Raise ServiceRefused unless every SERVICE target is allowed."""
    if not may_hold(query, "service"):
        return
    for target in service_targets(query):
        if not isinstance(target, URIRef):
            raise ServiceRefused(f"SERVICE with a variable endpoint (?{target}) is not allowed")
        if str(target) not in allow:
            raise ServiceRefused(
                f"SERVICE <{target}> is not on this endpoint's allow-list ({', '.join(allow) if allow else 'empty'})"
            )
        host = urlsplit(str(target)).hostname or ""
        if not allow_private and _is_private(host):
            raise ServiceRefused(f"SERVICE <{target}> points at a loopback or private address")
