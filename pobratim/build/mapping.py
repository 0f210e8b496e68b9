"""Map the reviewed records to RDF: each record file's facts into its source's named graph, and each
source's description.

Pure: files in, graph out. No network, no clock, no environment.
"""

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from rdflib import Literal, URIRef

from pobratim.build.built import BuiltDataset, GraphWriter
from pobratim.build.concepts import concept
from pobratim.core.dates import PartialDate
from pobratim.core.ids import Iris
from pobratim.core.quotes import anchor
from pobratim.core.vocab import DCTERMS, ELI, OA, ORG, POB, PROV, RDF, RDFS, SDO, SEM, SKOS, SPDX, TIME, XSD
from pobratim.records.corpus import Corpus
from pobratim.records.models import (
    Document,
    Event,
    EventType,
    Fact,
    MayorAttestation,
    Membership,
    OrganizationFact,
    PlaceFact,
    RecordFile,
    RecordSet,
    Source,
    Twinning,
    date_of,
)

# The class of each event type that has one finer than schema:Event.
EVENT_CLASSES: dict[EventType, URIRef] = {
    "sports-match": SDO.SportsEvent,
    "exhibition": SDO.ExhibitionEvent,
    "festival": SDO.Festival,
    "course": SDO.EducationEvent,
    "visit": POB.OfficialVisit,
    "delegation": POB.Delegation,
}


def _dated(g: GraphWriter, subject: URIRef, prop: URIRef, when: PartialDate | None, *, end: bool = False) -> None:
    """State a date at its precision, plus the derived day bounds that make it sortable."""
    if when is None:
        return
    g.add((subject, prop, when.literal()))
    bounds = when.bounds()
    if bounds is None:
        return
    earliest, latest = (
        (SEM.hasEarliestEndTimeStamp, SEM.hasLatestEndTimeStamp)
        if end
        else (SEM.hasEarliestBeginTimeStamp, SEM.hasLatestBeginTimeStamp)
    )
    g.add((subject, earliest, Literal(bounds[0], datatype=XSD.date)))
    g.add((subject, latest, Literal(bounds[1], datatype=XSD.date)))


# The quote pattern is most of the graph: its terms looked up once (a namespace attribute costs a call).
_TYPE, _DERIVED_FROM, _IDENTIFIER = RDF.type, PROV.wasDerivedFrom, DCTERMS.identifier
_ANNOTATION, _MOTIVATED_BY, _IDENTIFYING, _HAS_BODY = OA.Annotation, OA.motivatedBy, OA.identifying, OA.hasBody
_HAS_TARGET, _SPECIFIC_RESOURCE, _HAS_SOURCE = OA.hasTarget, OA.SpecificResource, OA.hasSource
_HAS_SELECTOR, _HAS_STATE, _TIME_STATE, _CACHED = OA.hasSelector, OA.hasState, OA.TimeState, OA.cached
_TEXT_QUOTE_SELECTOR, _EXACT, _PREFIX, _SUFFIX = OA.TextQuoteSelector, OA.exact, OA.prefix, OA.suffix


class _SourceGraphBuilder:
    """Write the facts of one record file into its source's named graph."""

    def __init__(
        self, corpus: Corpus, iris: Iris, graph: GraphWriter, default: GraphWriter, source: Source, records: RecordFile
    ):
        self.corpus = corpus
        self.default = default
        self.iris = iris
        self.g = graph
        self.source = source
        self.records = records
        self.source_iri = iris.source(source.meta.id)

    def fact(self, fact: Fact, node: URIRef) -> None:
        """Tie a fact node to its source and to each verbatim quote it rests on."""
        iris, add = self.iris, self.g.add
        add((node, _DERIVED_FROM, self.source_iri))
        # The capture is linked only where it is published (the page's rights allow it).
        cached = iris.dump(f"sources/{self.source.meta.file}") if self.source.meta.republishable else None
        lang = self.source.meta.language
        for n, quote in enumerate(fact.quote, start=1):
            found = anchor(quote, self.source.text)
            assert found is not None, "corpus.check() guarantees every quote is found"
            q = iris.quote(fact.id, n)
            target, selector, state = iris.part(q, "target"), iris.part(q, "selector"), iris.part(q, "state")
            add((q, _TYPE, _ANNOTATION))
            add((q, _MOTIVATED_BY, _IDENTIFYING))
            add((q, _HAS_BODY, node))
            add((q, _IDENTIFIER, Literal(fact.id)))
            add((q, _HAS_TARGET, target))
            add((target, _TYPE, _SPECIFIC_RESOURCE))
            add((target, _HAS_SOURCE, self.source_iri))
            add((target, _HAS_SELECTOR, selector))
            add((target, _HAS_STATE, state))
            add((state, _TYPE, _TIME_STATE))
            if cached is not None:
                add((state, _CACHED, cached))
            add((selector, _TYPE, _TEXT_QUOTE_SELECTOR))
            # The page's words, tagged with the page's language (BCP 47), like every other text literal.
            add((selector, _EXACT, Literal(found.exact, lang=lang)))
            add((selector, _PREFIX, Literal(found.prefix, lang=lang)))
            add((selector, _SUFFIX, Literal(found.suffix, lang=lang)))

    def agent(self, key: str) -> URIRef:
        people = self.corpus.people
        if key in people.people:
            return self.iris.person(key)
        if key in people.organizations:
            return self.iris.organization(key)
        return self.iris.place(key)

    def claim(self, subject: URIRef, fact: Fact, kind: URIRef) -> URIRef:
        """Start the claim node of a fact about a shared resource: what this source says of it.

        Like a Wikidata statement, a claim holds one source's values (and its quote), so that two sources
        that disagree stay two claims in every dump, the single-graph ones included.
        """
        node = self.iris.part(subject, fact.id)
        self.g.add((subject, POB.claim, node))
        self.g.add((node, RDF.type, kind))
        return node

    def twinning(self, rec: Twinning) -> None:
        g, iris = self.g, self.iris
        node = self.claim(iris.twinning(rec.municipality, rec.partner), rec, POB.TwinningClaim)
        g.add((node, DCTERMS.type, concept("kind", rec.kind)))
        if rec.start_kind is not None:
            g.add((node, POB.establishmentMode, concept("mode", rec.start_kind)))
        _dated(g, node, SDO.startDate, date_of(rec.start))
        _dated(g, node, SDO.endDate, date_of(rec.end), end=True)
        if rec.status is not None:
            g.add((node, POB.status, concept("status", rec.status)))
        if rec.document is not None:
            g.add((node, POB.establishedBy, iris.document(rec.document)))
        if rec.replaces is not None:
            g.add((node, DCTERMS.replaces, iris.twinning(*rec.replaces)))
        place = self.corpus.places.places[rec.partner]
        if (rec.partner_label, self.source.meta.language) not in place.labels:
            # The spelling this page uses, kept with the page's facts (SKOS: altLabel ≠ prefLabel).
            g.add((iris.place(rec.partner), SKOS.altLabel, Literal(rec.partner_label, lang=self.source.meta.language)))
        self.fact(rec, node)

    def document(self, rec: Document) -> None:
        g, iris = self.g, self.iris
        node = iris.document(rec.id)
        g.add((node, RDF.type, ELI.LegalResource))
        g.add((node, ELI.type_document, concept("doctype", rec.type)))
        when = date_of(rec.date)
        if when is not None and when.day is not None:
            g.add((node, ELI.date_document, when.literal()))
        elif when is not None:
            # ELI wants a full xsd:date; a year alone goes to dcterms:date, never padded.
            g.add((node, DCTERMS.date, when.literal()))
        for lang, text in (rec.title or {}).items():
            g.add((node, DCTERMS.title, Literal(text, lang=lang)))
        if rec.passed_by is not None:
            g.add((node, ELI.passed_by, self.agent(rec.passed_by)))
        if rec.proposed_by is not None:
            g.add((node, POB.proposedBy, self.agent(rec.proposed_by)))
        for key in rec.signed_by:
            g.add((node, POB.signedBy, self.agent(key)))
        self.fact(rec, node)

    def mayor(self, rec: MayorAttestation) -> None:
        g, iris = self.g, self.iris
        node = iris.mayor_attestation(rec.id)
        interval, instant = iris.part(node, "interval"), iris.part(node, "instant")
        g.add((node, RDF.type, POB.MayorAttestation))
        g.add((node, RDF.type, ORG.Membership))
        g.add((node, ORG.member, iris.person(rec.person)))
        g.add((node, ORG.organization, iris.place(rec.municipality)))
        g.add((node, ORG.role, POB.Mayor))
        person = self.corpus.people.people[rec.person].name
        place = self.corpus.places.places[rec.municipality]
        self.default.add((node, RDFS.label, Literal(f"{person}, mayor of {place.en} ({rec.date})", lang="en")))
        self.default.add((node, RDFS.label, Literal(f"{person}, кмет на {place.name('bg')} ({rec.date})", lang="bg")))
        # The page attests one instant inside the term of office; the term itself stays unknown.
        g.add((node, ORG.memberDuring, interval))
        g.add((interval, RDF.type, TIME.Interval))
        g.add((interval, TIME.inside, instant))
        g.add((instant, RDF.type, TIME.Instant))
        when = date_of(rec.date)
        assert when is not None
        prop = {XSD.date: TIME.inXSDDate, XSD.gYearMonth: TIME.inXSDgYearMonth, XSD.gYear: TIME.inXSDgYear}
        g.add((instant, prop[when.datatype], when.literal()))
        self.fact(rec, node)

    def event(self, rec: Event) -> None:
        g, iris = self.g, self.iris
        node = iris.event(rec.id)
        g.add((node, RDF.type, EVENT_CLASSES.get(rec.type, SDO.Event)))
        g.add((node, DCTERMS.type, concept("eventtype", rec.type)))
        for lang, text in rec.name.items():
            g.add((node, SDO.name, Literal(text, lang=lang)))
        _dated(g, node, SDO.startDate, date_of(rec.date))
        if rec.location is not None:
            g.add((node, SDO.location, iris.place(rec.location)))
        for n, p in enumerate(rec.participants, start=1):
            role = iris.part(node, f"participant-{n}")
            g.add((node, SDO.attendee, role))
            g.add((role, RDF.type, SDO.Role))
            g.add((role, SDO.roleName, Literal(p.role, lang="en")))
            if p.person is not None:
                g.add((role, SDO.attendee, iris.person(p.person)))
            if p.place is not None:
                g.add((role, SDO.attendee, iris.place(p.place)))
            for lang, text in (p.label or {}).items():
                g.add((role, SDO.name, Literal(text, lang=lang)))
            if p.organization is not None:
                g.add((role, SDO.affiliation, iris.organization(p.organization)))
        if rec.twinning is not None:
            g.add((node, POB.inTwinning, iris.twinning(*rec.twinning)))
        if rec.document is not None:
            g.add((node, DCTERMS.references, iris.document(rec.document)))
        self.fact(rec, node)

    def membership(self, rec: Membership) -> None:
        g, iris = self.g, self.iris
        node = iris.membership(rec.id)
        member, organization = iris.place(rec.member), iris.organization(rec.organization)
        g.add((node, RDF.type, ORG.Membership))
        g.add((node, ORG.member, member))
        g.add((node, ORG.organization, organization))
        g.add((member, ORG.memberOf, organization))
        self.fact(rec, node)

    def place_fact(self, rec: PlaceFact) -> None:
        g, iris = self.g, self.iris
        node = self.claim(iris.place(rec.place), rec, POB.Claim)
        if rec.contained_in is not None:
            g.add((node, SDO.containedInPlace, iris.place(rec.contained_in)))
        if rec.successor_of is not None:
            g.add((node, DCTERMS.replaces, iris.place(rec.successor_of)))
        founded = date_of(rec.founded)
        if founded is not None:
            g.add((node, SDO.foundingDate, founded.literal()))
        self.fact(rec, node)

    def organization_fact(self, rec: OrganizationFact) -> None:
        g, iris = self.g, self.iris
        node = self.claim(iris.organization(rec.organization), rec, POB.Claim)
        founded = date_of(rec.founded)
        if founded is not None:
            g.add((node, SDO.foundingDate, founded.literal()))
        if rec.location is not None:
            g.add((node, SDO.foundingLocation, iris.place(rec.location)))
        self.fact(rec, node)

    # The mapping of each kind of fact (a kind of the record file with none here fails the build at once).
    MAPPINGS: ClassVar[dict[type[Fact], Callable[["_SourceGraphBuilder", Any], None]]] = {
        Twinning: twinning,
        Document: document,
        MayorAttestation: mayor,
        Event: event,
        Membership: membership,
        PlaceFact: place_fact,
        OrganizationFact: organization_fact,
    }

    def run(self) -> None:
        for fact in self.records.facts():
            self.MAPPINGS[type(fact)](self, fact)


# The rights of a page whose site gives no licence, as its description states them.
RIGHTS_WORDS = {
    "unknown": {
        "en": "rights unknown: only the quoted passages are republished",
        "bg": "правата не са известни: публикуват се само цитираните откъси",
    },
    "all rights reserved": {
        "en": "all rights reserved: only the quoted passages are republished",
        "bg": "всички права запазени: публикуват се само цитираните откъси",
    },
}


def describe_source(source: Source, iris: Iris, g: GraphWriter) -> None:
    """Describe a captured page with PROV-O and Dublin Core, and the address it was captured from if known."""
    meta = source.meta
    node = iris.source(meta.id)
    checksum = iris.part(node, "sha256")
    g.add((node, RDF.type, PROV.Entity))
    g.add((node, RDF.type, SDO.WebPage))
    for lang, text in meta.title.items():
        g.add((node, DCTERMS.title, Literal(text, lang=lang)))
        g.add((node, RDFS.label, Literal(text, lang=lang)))
    for lang, text in (meta.section or {}).items():
        g.add((node, SDO.isPartOf, Literal(text, lang=lang)))
    g.add((node, DCTERMS.publisher, iris.place(meta.publisher)))
    g.add((node, DCTERMS.language, Literal(meta.language)))
    address = meta.final_url or meta.url
    if address is not None:
        # Where the captured text came from (after redirects): what a reference cites (Wikidata S854).
        g.add((node, SDO.url, URIRef(address)))
    published, captured = date_of(meta.published), date_of(meta.captured_day)
    if published is not None:
        g.add((node, DCTERMS.issued, published.literal()))
    if captured is not None:
        g.add((node, POB.capturedOn, captured.literal()))
    g.add((node, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(meta.sha256)))
    if meta.rights.startswith(("http://", "https://")):
        g.add((node, DCTERMS.license, URIRef(meta.rights)))
    else:
        for lang, words in RIGHTS_WORDS[meta.rights].items():
            g.add((node, DCTERMS.rights, Literal(words, lang=lang)))
    if meta.republishable:
        g.add((node, SDO.encoding, iris.dump(f"sources/{meta.file}")))
    g.add((iris.graph(meta.id), PROV.wasDerivedFrom, node))


def source_graphs(corpus: Corpus, iris: Iris, ds: BuiltDataset, record_sets: Iterable[RecordSet]) -> None:
    """Write the facts of each record file into its source's named graph of ``ds``."""
    default = ds.graph()
    for rs in record_sets:
        source = corpus.sources[rs.records.source]
        graph = ds.graph(iris.graph(source.meta.id))
        _SourceGraphBuilder(corpus, iris, graph, default, source, rs.records).run()
