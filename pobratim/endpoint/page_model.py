"""View models for the HTML pages: plain data the Jinja templates render (with autoescape)."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import flask
import pyoxigraph as ox
from flask import request

from pobratim.core.countries import country_names
from pobratim.core.ids import NAMESPACES
from pobratim.core.locales import LABEL_LANGUAGES
from pobratim.core.vocab import OA, POB, PROV, SDO, SEM, XSD
from pobratim.endpoint.describe import pick
from pobratim.endpoint.state import State
from pobratim.page_index import TYPE, WEB_PAGE, Description, PageData
from pobratim.sparql.formats import DOCUMENTS

PAGE_LANGUAGES = list(LABEL_LANGUAGES)
LANGUAGE_NAMES = {"en": "English", "bg": "български"}
PAGE_PARAMETERS = {"q", "example"}  # the query parameters a page depends on, besides ``lang``
# Properties one source states at most once (the shapes check it per source graph): two values from two
# sources are a disagreement the page must show.
SINGLE_VALUED = {
    str(p) for p in (SDO.startDate, SDO.endDate, SDO.foundingDate, POB.establishmentMode, POB.status, POB.establishedBy)
}
# Compared with every statement of a page: as strings once, not through rdflib's namespace class each time.
XSD_STRING, HAS_SOURCE, DERIVED_FROM = str(XSD.string), str(OA.hasSource), str(PROV.wasDerivedFrom)
SELECTOR, EXACT, PREFIX, SUFFIX = ox.NamedNode(str(OA.TextQuoteSelector)), str(OA.exact), str(OA.prefix), str(OA.suffix)


def viewer_language() -> str:
    """The page language: ``?lang=``, else the browser's preference between Bulgarian and English."""
    asked = request.args.get("lang")
    if asked in PAGE_LANGUAGES:
        return asked
    return request.accept_languages.best_match(PAGE_LANGUAGES) or "en"


def language_url(code: str) -> str:
    """This page's address in language ``code``: the same path and what the page shows (a search's ``q``)."""
    # Only parameters that change the page: a resource page is cached by path and language alone, and must
    # not carry one request's other parameters into the page another request is given.
    # Each once, with the value the page uses (the first): 5,000 ``q`` parameters are not echoed 5,000 times.
    args = [(k, request.args[k]) for k in sorted(PAGE_PARAMETERS) if k in request.args] + [("lang", code)]
    return f"{request.script_root}{request.path}?{urlencode(args)}"


def translations(lang: str) -> dict[str, Any]:
    """What every template needs to speak the viewer's language: ``lang`` and ``tr(english, bulgarian)``."""

    def tr(english: str, bulgarian: str) -> str:
        return bulgarian if lang == "bg" else english

    routes, static = _links(request.script_root)
    return {
        "lang": lang,
        "tr": tr,
        "language_url": language_url,
        "languages": LANGUAGE_NAMES,
        "url_for": url_for,
        "routes": routes,
        "static": static,
    }


def url_for(endpoint: str, **values: str) -> str:
    """Give ``flask.url_for``'s relative URL of ``endpoint``, built once per public prefix."""
    # A page links to a dozen routes (the header's alone are eight), each the same on every page of one public
    # prefix; building one costs Werkzeug ≈ 9 µs.
    return _url_for(request.script_root, endpoint, tuple(sorted(values.items())))


class Links(dict[str, str]):
    """The links of one public prefix a template reads by name: each made by ``make`` the first time it is asked
    for, then kept."""

    def __init__(self, make: Callable[[str], str]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, name: str) -> str:
        self[name] = link = self.make(name)
        return link


@lru_cache(maxsize=64)
def _links(root: str) -> tuple[Links, Links]:
    """Give the links to routes without parameters (``routes['ui.landing']``) and to static files
    (``static['style.css']``) under the public prefix ``root``, as ``url_for`` builds them."""
    # Read as a dict in the templates, not called: Jinja calls a function through Context.call, which with
    # url_for's own work took ≈ 2.2 µs a link, 14 links a town page (its template 291 against 258 µs).
    routes = Links(lambda endpoint: _url_for(root, endpoint, ()))
    static = Links(lambda filename: _url_for(root, "static", (("filename", filename),)))
    return routes, static


@lru_cache(maxsize=1024)
def _url_for(root: str, endpoint: str, values: tuple[tuple[str, str], ...]) -> str:
    built: dict[str, Any] = dict(values)
    return flask.url_for(endpoint, **built)


@dataclass
class Value:
    text: str
    href: str | None = None
    note: str = ""  # language tag or datatype
    sources: list[tuple[str, str]] = field(default_factory=list)  # (label, href)


@dataclass
class Row:
    predicate: str
    predicate_href: str
    values: list[Value]

    single: bool = False

    @property
    def conflict(self) -> bool:
        """A one-valued property (a start, a mode) given differently by different sources: shown side by side."""
        if not self.single or len(self.values) < 2:
            return False
        owners = [set(v.sources) for v in self.values]
        return any(not (a & b) for i, a in enumerate(owners) for b in owners[i + 1 :])


class Linker:
    """Turn terms into display text and links, with labels in the viewer's language."""

    def __init__(self, st: State, lang: str):
        self.st, self.lang = st, lang
        self.labels = st.labels
        self.sources = st.graph_sources
        # Read once a page, not once a link (a town page has 40–50): each is a lookup through Werkzeug's
        # request proxy or rdflib's namespace class, together a tenth of the page model's time.
        self.base, self.root, self.terms = st.base, request.script_root, str(POB._NS)
        self.shown_sources: dict[str, tuple[str, str]] = {}

    def href(self, iri: str) -> str:
        if iri.startswith(self.base):
            return f"{self.root}/{iri[len(self.base) :]}"
        if iri.startswith(self.terms):
            return f"{self.root}/ontology.html#{iri.split('#', 1)[1]}"
        return iri

    def label(self, iri: str) -> str:
        found = self.labels.get(iri)
        if found:  # the fallback only for what has no label: 50 labels a town page
            return pick(found, self.lang, "")
        return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]

    def value(self, term: Any) -> Value:
        if isinstance(term, ox.NamedNode):
            # Only web addresses become links: a javascript: (or data:) IRI must never run on this origin.
            web = term.value.lower().startswith(("http://", "https://"))
            return Value(self.label(term.value), self.href(term.value) if web else None)
        if isinstance(term, ox.Literal):
            # A plain string needs no note; a tagged one its language; a typed one its datatype's name.
            if term.language or term.datatype.value == XSD_STRING:
                return Value(term.value, None, term.language or "")
            return Value(term.value, None, self.label(term.datatype.value))
        return Value(str(term))

    def source_of(self, graph: Any) -> list[tuple[str, str]]:
        if isinstance(graph, ox.DefaultGraph):
            return []
        # Made once a page for each graph: a town page names its few sources 20-odd times.
        shown = self.shown_sources.get(graph.value)
        if shown is None:
            source = self.sources.get(graph.value, graph.value)
            shown = self.shown_sources[graph.value] = (self.label(source), self.href(source))
        return [shown]


def rows(link: Linker, quads: list[ox.Quad], key: str = "predicate") -> list[Row]:
    """Group quads by predicate; each value lists the sources (graphs) that state it."""
    grouped: dict[str, dict[str, Value]] = defaultdict(dict)
    # Each object written as text once, for the order and, in a row of objects, as the value's key.
    ordered = sorted(((q.predicate.value, str(q.object), q) for q in quads), key=lambda k: (k[0], k[1]))
    for predicate, object_text, q in ordered:
        term = q.subject if key == "subject" else q.object
        values = grouped[predicate]
        value = values.get(text := str(term) if key == "subject" else object_text)
        if value is None:  # made once a term, not once for each source that states it
            value = values[text] = link.value(term)
        for source in link.source_of(q.graph_name):
            if source not in value.sources:
                value.sources.append(source)
    return [Row(link.label(p), link.href(p), list(v.values()), p in SINGLE_VALUED) for p, v in grouped.items()]


@dataclass
class Quote:
    """A verbatim quote behind the resource, with the words around it and its source."""

    exact: str
    prefix: str
    suffix: str
    source: str
    source_href: str


def quotes(link: Linker, d: Description) -> list[Quote]:
    """The verbatim quotes behind the resource, each with its source."""
    by_subject: dict[str, dict[str, Any]] = defaultdict(dict)
    for q in d.quotes:
        if isinstance(q.subject, ox.NamedNode):
            by_subject[q.subject.value][q.predicate.value] = q.object
    out = []
    for subject, props in sorted(by_subject.items()):
        if props.get(TYPE.value) != SELECTOR:
            continue
        target = by_subject.get(subject.replace("#selector", "#target"), {})
        source = target.get(HAS_SOURCE)
        out.append(
            Quote(
                exact=props[EXACT].value,
                prefix=props[PREFIX].value,
                suffix=props[SUFFIX].value,
                source=link.label(source.value) if source else "",
                source_href=link.href(source.value) if source else "",
            )
        )
    return out


CLAIM = ox.NamedNode(str(POB.claim))
# Values derived by the build (sort bounds of partial dates, SEM): in the RDF for queries, not shown as if a
# source had said them.
DERIVED = {
    str(p)
    for p in (
        SEM.hasEarliestBeginTimeStamp,
        SEM.hasLatestBeginTimeStamp,
        SEM.hasEarliestEndTimeStamp,
        SEM.hasLatestEndTimeStamp,
    )
}


def shown_incoming(q: ox.Quad, graphs: str) -> bool:
    """Whether a statement about the resource is shown under "Referred to by".

    A page's quotes (their targets' ``oa:hasSource``) and the facts and quotes derived from it are shown as
    the page's facts, each once; the named graphs derived from it are listed.
    """
    if q.predicate.value == HAS_SOURCE:
        return False
    return q.predicate.value != DERIVED_FROM or q.subject.value.startswith(graphs)  # type: ignore[union-attr]


def decade(dates: list[str]) -> str:
    """The decade of the earliest start any source gives ('1970s'), or '' when none gives one."""
    return f"{min(d[:4] for d in dates)[:3]}0s" if dates else ""


def twin_map(st: State, iri: str, twins: list[dict[str, Any]], link: Linker) -> dict[str, Any] | None:
    """What the map of a town's twins draws: the town, each twin with a point, by decade; None without points."""
    home = st.points.get(iri)
    if home is None or not twins:
        return None
    starts: dict[str, list[str]] = {}
    for t in twins:
        dates = starts.setdefault(t["partner"].value, [])
        if t["start"] is not None:
            dates.append(t["start"].value)
    marks, missing = [], []
    for partner, dates in sorted(starts.items()):
        where = st.points.get(partner)
        if where is None:
            missing.append({"label": link.label(partner), "href": link.href(partner)})
            continue
        mark = {"iri": partner, "label": link.label(partner), "href": link.href(partner), "decade": decade(dates)}
        marks.append({**mark, "lat": where[0], "long": where[1]})
    return {
        "town": {"iri": iri, "label": link.label(iri), "lat": home[0], "long": home[1]},
        "twins": marks,
        "missing": missing,
        "decades": sorted({m["decade"] for m in marks}, key=lambda d: d or "9999"),
    }


@dataclass
class Dated:
    """One date a source gives, at the precision it gives it (``1982``, ``2017-09``, ``1978-05-25``)."""

    date: str
    sources: list[tuple[str, str]]
    note: str = ""  # how the relation began, by this source


@dataclass
class StoryItem:
    """One item of a twinning's story: a beginning or an end (one date per differing source) or an event."""

    kind: str  # "beginning", "end" or "event"
    dates: list[Dated]
    text: str = ""
    href: str | None = None
    sources: list[tuple[str, str]] = field(default_factory=list)  # an event's source

    @property
    def date(self) -> str:
        return self.dates[0].date if self.dates else ""

    @property
    def conflict(self) -> bool:
        return len(self.dates) > 1


def _claimed(rows: list[dict[str, Any]], key: str, link: Linker) -> list[Dated]:
    """The dates the claims give under ``key``, one per distinct date, each with every source that gives it."""
    by_date: dict[str, Dated] = {}
    for r in rows:
        if r[key] is None:
            continue
        dated = by_date.setdefault(r[key].value, Dated(r[key].value, []))
        for source in link.source_of(r["g"]):
            if source not in dated.sources:
                dated.sources.append(source)
        if key == "start" and r["mode"] is not None and not dated.note:
            dated.note = link.label(r["mode"].value)
    return sorted(by_date.values(), key=lambda d: d.date)


@dataclass
class Twin:
    """One partner of a town, as a Wikidata item lists a statement: every source's dates side by side."""

    partner: Value
    country: str
    twinning: Value
    starts: list[Dated]
    ends: list[Dated]
    statuses: list[Dated]

    @property
    def conflict(self) -> bool:
        """Sources give different starts (or ends): shown side by side and marked, as on the twinning's page."""
        return len(self.starts) > 1 or len(self.ends) > 1


@lru_cache(maxsize=1024)
def country_name(code: str, lang: str) -> str:
    """A country's name in ``lang`` by its ISO 3166 code; kept, as pycountry looks for its translation catalogue on
    disk at every call (a tenth of a town page's time, three twins a page)."""
    try:
        return country_names(code)[lang]
    except KeyError:  # a code ISO 3166 does not know (the shapes allow any two letters): shown as given
        return code


def twin_rows(twins: list[dict[str, Any]], link: Linker) -> list[Twin]:
    """One row per partner, in label order, each start, end and status with every source that gives it."""
    by_partner: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in twins:
        by_partner[t["partner"].value].append(t)
    out = []
    for claims in by_partner.values():
        first = claims[0]
        code = first["country"].value if first["country"] is not None else ""
        country = country_name(code, link.lang) if code else ""
        out.append(
            Twin(
                partner=link.value(first["partner"]),
                country=country,
                twinning=Value(link.label(first["t"].value), link.href(first["t"].value)),
                starts=_claimed(claims, "start", link),
                ends=_claimed(claims, "end", link),
                statuses=[Dated(link.label(d.date), d.sources) for d in _claimed(claims, "status", link)],
            )
        )
    return sorted(out, key=lambda t: t.partner.text.casefold())


def story(data: PageData, link: Linker) -> list[StoryItem]:
    """A twinning's beginnings, events and ends in date order; undated events last.

    ISO 8601 dates of four-digit years sort as text, whatever their precision: '1982' before '1982-05'
    before '1983'. Sources that give different dates for the beginning stand side by side in one item.
    """
    claims = data.answer("story_claims")
    items = [
        StoryItem(kind, dates)
        for kind, dates in (("beginning", _claimed(claims, "start", link)), ("end", _claimed(claims, "end", link)))
        if dates
    ]
    events: dict[str, StoryItem] = {}
    for e in data.answer("story_events"):
        value = link.value(e["event"])
        sources = link.source_of(e["g"])
        item = events.setdefault(e["event"].value, StoryItem("event", [], value.text, value.href, sources))
        if e["date"] is not None and not item.dates:
            item.dates.append(Dated(e["date"].value, sources))
    items.extend(events.values())
    return sorted(items, key=lambda i: (not i.dates, i.date, i.kind != "beginning", i.text))


def claimed(d: Description) -> list[ox.Quad]:
    """The resource's own statements and what each source claims about it, for one table of rows.

    A claim's values (a start, a mode, a status) are what one source says of the resource: listed under the
    resource with that source (rows group by predicate and graph), so that two sources' values stand side by side.
    """
    claims = {q.object for q in d.own if q.predicate == CLAIM}
    return [q for q in d.own if q.predicate != CLAIM] + [q for q in d.parts if q.subject in claims]


@dataclass
class Stated:
    """One fact a captured page states, with the passages of the page it was read from."""

    fact: Value
    quotes: list[str]


def source_facts(data: PageData, link: Linker) -> list[Stated]:
    """What a page states, one item per fact (a claim or a part shown as the resource it belongs to)."""
    out: dict[str, Stated] = {}
    for row in data.answer("source_facts"):
        owner = row["body"].value.split("#", 1)[0]  # a claim or a role is shown as the relation or event it is of
        item = out.get(owner)
        if item is None:  # made once a fact, not once for each of its quotes
            item = out[owner] = Stated(Value(link.label(owner), link.href(owner)), [])
        if row["exact"].value not in item.quotes:
            item.quotes.append(row["exact"].value)
    return sorted(out.values(), key=lambda s: s.fact.text.casefold())


def page_text(st: State, d: Description, quoted: list[str]) -> list[tuple[str, bool]]:
    """The captured text of a source, as runs of plain and quoted text (quoted runs are marked on the page)."""
    files = [q.object for q in d.own if q.predicate.value == str(SDO.encoding)]
    encoding = next((f.value for f in files if isinstance(f, ox.NamedNode)), None)
    prefix = st.base + "dumps/"
    if encoding is None or not encoding.startswith(prefix):
        return []
    path = (st.dist / encoding[len(prefix) :]).resolve()
    if st.dist.resolve() not in path.parents or not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    spans = sorted({(i, i + len(q)) for q in quoted if q for i in _occurrences(text, q)})
    merged: list[list[int]] = []
    for start, end in spans:  # overlapping passages make one marked run
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    runs: list[tuple[str, bool]] = []
    at = 0
    for start, end in merged:
        runs.extend([(text[at:start], False), (text[start:end], True)])
        at = end
    runs.append((text[at:], False))
    return [r for r in runs if r[0]]


def _occurrences(text: str, part: str) -> list[int]:
    found, at = [], text.find(part)
    while at >= 0:
        found.append(at)
        at = text.find(part, at + len(part))
    return found


@dataclass
class TimelineEvent:
    """An event of one of a town's twinnings, with its date as given and its source."""

    event: Value
    date: str
    sort: str  # the earliest the event can have begun: events in date order, undated last
    source: list[tuple[str, str]]


@dataclass
class Page:
    """Everything the resource template shows.

    Attributes, not a dict's keys: the template reads each with ``getattr`` first (Jinja's ``environment.getattr``),
    which on a dict raised and caught an AttributeError for every one, 40-odd a page.
    """

    iri: str
    lang: str
    title: str
    types: list[Value]
    rows: list[Row]
    incoming: list[Row]
    stated: list[Stated]
    text: list[tuple[str, bool]]
    quotes: list[Quote]
    twins: list[Twin]
    timeline: list[TimelineEvent]
    story: list[StoryItem]
    map: dict[str, Any] | None
    alternates: list[tuple[str, str, str]]
    jsonld: object


def resource_page(st: State, path: str, data: PageData, jsonld: object) -> Page:
    """Gather everything the resource template shows."""
    lang = viewer_language()
    iri = st.base + path if path != "ontology" else str(POB._NS).rstrip("#")
    d = data.description
    twins = data.answer("twins")
    timeline = data.answer("timeline")
    link = Linker(st, lang)
    type_iris = {str(q.object): q.object for q in d.own if q.predicate == TYPE}
    types = [link.value(t) for _iri, t in sorted(type_iris.items())]
    is_page = WEB_PAGE in type_iris.values()
    graphs = st.base + NAMESPACES["graph"]
    stated = source_facts(data, link) if is_page else []
    seen_events: dict[str, TimelineEvent] = {}
    for e in timeline:
        if e["event"].value not in seen_events:
            seen_events[e["event"].value] = TimelineEvent(
                event=link.value(e["event"]),
                date=e["date"].value if e["date"] else "",
                sort=e["sort"].value if e["sort"] else "9999",
                source=link.source_of(e["g"]),
            )
    return Page(
        iri=iri,
        lang=lang,
        title=link.label(iri),
        types=[t for t in types if t.text],
        rows=rows(link, [q for q in claimed(d) if q.predicate != TYPE and q.predicate.value not in DERIVED]),
        incoming=rows(link, [q for q in d.incoming if shown_incoming(q, graphs)], key="subject"),
        stated=stated,
        text=page_text(st, d, [quote for s in stated for quote in s.quotes]) if is_page else [],
        quotes=quotes(link, d),
        twins=twin_rows(twins, link),
        timeline=sorted(seen_events.values(), key=lambda e: (e.sort, e.event.text)),
        story=story(data, link),
        map=twin_map(st, iri, twins, link),
        alternates=[
            (f.name, f.media_type, f"{link.root}/{path or 'ontology'}.{f.suffix}")
            for f in DOCUMENTS
            if f.kind != "html"
        ],
        jsonld=jsonld,
    )
