"""The review page's application: one proposals file, one reviewer, on loopback, behind a per-run token.

Every decision goes through ``extract.proposals.review``, the function ``pobratim review`` uses on the
command line, so the page writes the same records files and refuses what the gate would refuse.
"""

import secrets
from pathlib import Path
from typing import Any, get_args

from flask import Flask, Response, abort, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from pobratim.core.errors import BuildError
from pobratim.core.layout import Layout
from pobratim.core.quotes import normalise
from pobratim.extract.facts.text import Reading
from pobratim.extract.proposals import EDITABLE, add_proposal, review, section_of
from pobratim.records.corpus import load_sources
from pobratim.records.models import (
    DocumentType,
    EventType,
    PlacesFile,
    RecordFile,
    StartKind,
    TwinningKind,
    load_yaml,
)
from pobratim.review import page

# As the endpoint's pages (pobratim.endpoint): this origin's scripts and styles only, never inline.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
STATUSES = ("accepted", "rejected")
# The choices the page offers are the records schema's own (records.models), so they cannot drift from it.
KINDS = get_args(TwinningKind)
START_KINDS = ("", *get_args(StartKind))
TYPES = {"documents": get_args(DocumentType), "events": get_args(EventType)}
EXTENSION = "pobratim.review"


class Review:
    """What the page works on, and what it last said."""

    def __init__(self, proposals: Path, layout: Layout, reviewer: str, token: str) -> None:
        self.proposals = proposals
        self.layout = layout
        self.reviewer = reviewer
        self.token = token
        self.messages: list[str] = []
        self.built: str | None = None

    def places(self) -> PlacesFile:
        return load_yaml(self.layout.records / "places.yaml", PlacesFile)

    def text(self, source_id: str) -> str | None:
        source = load_sources(self.layout.sources).get(source_id)
        return None if source is None else source.text


def create_app(proposals: Path, layout: Layout, reviewer: str, token: str | None = None) -> Flask:
    """Create the review page of ``proposals`` (a file ``pobratim extract`` wrote), deciding as ``reviewer``;
    every address is under ``/review/<token>/`` (a fresh random token unless given)."""
    load_yaml(proposals, RecordFile)  # a file that is not a proposals file is refused before serving
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 1 << 20
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    rv = Review(proposals, layout, reviewer, token or secrets.token_urlsafe(24))
    app.extensions[EXTENSION] = rv

    @app.url_value_preprocessor
    def _check_token(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if endpoint == "static":
            return
        given = (values or {}).pop("token", "")
        if not secrets.compare_digest(str(given), rv.token):
            abort(404)  # says nothing of what is here to whoever does not hold the printed address

    @app.url_defaults
    def _add_token(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static":
            values.setdefault("token", rv.token)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")  # the token stays out of other sites' logs
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.get("/review/<token>/")
    def show() -> str:
        data = page.load(rv.proposals)
        places = rv.places()
        items = page.items(data, places)
        text = rv.text(data["source"])
        messages, rv.messages = rv.messages, []
        return render_template(
            "review.html",
            source=data["source"],
            items=items,
            segments=page.segments(text, items) if text is not None else None,
            messages=messages,
            kinds=KINDS,
            start_kinds=START_KINDS,
            types=TYPES,
            editable=EDITABLE,
            pending=sum(1 for i in items if i.status == "proposed"),
            built=rv.built,
        )

    @app.post("/review/<token>/decide/<ident>")
    def decide(ident: str) -> BaseResponse:
        decision = request.form.get("decision", "")
        if decision not in STATUSES:
            abort(400, f"decision must be one of {', '.join(STATUSES)}, not {decision!r}")
        found = section_of(page.load(rv.proposals), ident)
        editable = EDITABLE[found[0]] if found is not None else ()
        edits: dict[str, Any] = {k: request.form[k].strip() for k in editable if k in request.form}
        if found is not None and "quote" in edits:
            said = found[1].get("quote") or []
            said = [said] if isinstance(said, str) else said
            if normalise(edits["quote"]) == normalise(" ".join(said)):
                del edits["quote"]  # unchanged: the quotes stay as they were, one or several
        if edits.get("partner"):
            edits["country_label"] = page.country_label(edits["partner"])
        try:
            outcome = review(rv.proposals, {ident: decision}, rv.reviewer, rv.layout, edits={ident: edits})
        except BuildError as err:
            rv.messages.append(str(err))
        else:
            rv.messages.append(outcome.summary())
        return redirect(url_for("show", _anchor=f"p-{ident}"), 303)

    @app.post("/review/<token>/add")
    def add() -> BaseResponse:
        """Propose a partner the reader missed, named by the reviewer in the page (its words and where)."""
        data = page.load(rv.proposals)
        label = normalise(request.form.get("partner_label", ""))
        partner = request.form.get("partner", "").strip()
        text = rv.text(data["source"]) or ""
        try:
            at = int(request.form.get("at", "-1"))
        except ValueError:
            abort(400, "at must be the selection's offset in the page's text")
        if not label or not partner:
            abort(400, "name the partner as the page spells it (partner_label) and the place it is (partner)")
        quote = _sentence(text, at, label)
        if quote is None:
            abort(400, f"{label!r} is not at {at} in the page's text")
        municipality = _municipality(data, rv)
        record = {
            "municipality": municipality,
            "partner": partner,
            "partner_label": label,
            "country_label": page.country_label(partner),
            "kind": request.form.get("kind") or "twinning",
            "start": request.form.get("start") or None,
            "quote": quote,
        }
        try:
            ident = add_proposal(rv.proposals, record, rv.reviewer)
        except ValueError as err:  # pydantic's ValidationError is one: the record's schema refused it
            rv.messages.append(f"not added: {err}")
            return redirect(url_for("show"), 303)
        rv.messages.append(f"added {ident}: accept it to write it")
        return redirect(url_for("show", _anchor=f"p-{ident}"), 303)

    @app.get("/review/<token>/places")
    def places() -> Response:
        """Find places by name for the partner choice (reviewed ones, then the gazetteer's)."""
        return jsonify(page.search_places(request.args.get("q", "").strip(), rv.places()))

    @app.post("/review/<token>/build")
    def build() -> BaseResponse:
        """Build and publish the reviewed records into dist/, as ``pobratim build`` does."""
        from datetime import UTC, datetime

        from pobratim import settings
        from pobratim.build.pipeline import run_build

        try:
            cfg = settings.load()
            result = run_build(
                rv.layout, settings.base_iri(), datetime.now(tz=UTC).replace(microsecond=0), license=cfg.license
            )
        except (BuildError, settings.SettingError) as err:
            rv.built = None
            rv.messages.append(f"the build failed; nothing was published, {rv.layout.dist} is unchanged:\n{err}")
        else:
            p = result.published
            rv.built = str(rv.layout.dist)
            rv.messages.append(f"published {p.triples} triples in {p.graphs} named graphs to {rv.layout.dist}")
        return redirect(url_for("show"), 303)

    return app


def _municipality(data: dict[str, Any], rv: Review) -> str:
    """The municipality of a proposals file: the one its twinnings name, else its page's publisher."""
    for raw in data.get("twinnings") or []:
        return str(raw["municipality"])
    source = load_sources(rv.layout.sources).get(data["source"])
    if source is None:
        abort(400, f"the page {data['source']} is not in data/sources/: capture it first")
    return source.meta.publisher


def _sentence(text: str, at: int, label: str) -> str | None:
    """The sentence of ``text`` holding ``label`` at ``at`` (whitespace folded), or None if it is not there."""
    if at < 0 or normalise(text[at : at + len(label) + 64]).find(label) != 0:
        return None
    for start, end in Reading(text, None, []).sentences():
        if start <= at < end:
            return normalise(text[start:end])
    return None
