"""A page's documents, mayors, events and memberships go through review as its twinnings do: proposed in the
proposals file with their quote, why and how sure, accepted into records (their people and networks into
people.yaml), and published by a build that passes the gate.

The page is written here, in German, with sentences of our own: a council's decision and a signed agreement
with Mayenne, a mayor named at a delegation's visit for an anniversary, and a network the town belongs to.
It is captured and read once per module with the real commands; each test reviews a fresh copy.
"""

import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Dataset, Graph

from pobratim.cli import main
from pobratim.core.layout import Layout
from pobratim.core.quotes import normalise
from pobratim.extract.facts.words import DOCUMENT_KINDS, EVENTS
from pobratim.extract.proposals import record_type
from pobratim.records.models import DocumentType, EventType, PeopleFile, RecordFile, load_yaml

from .support.paths import SEED
from .support.rdf import ask, select, union

PAGE = """Unsere Partnerstädte

Waiblingen pflegt seit vielen Jahren eine lebendige Partnerschaft mit Mayenne in Frankreich.

Der Gemeinderat hat am 12. Februar 1962 beschlossen, eine Partnerschaft mit Mayenne einzugehen.
Der Partnerschaftsvertrag mit Mayenne wurde am 2. Mai 1962 feierlich unterzeichnet.
Oberbürgermeister Jonas Feldmann empfing am 14. Juni 2012 eine Delegation aus Mayenne zum Jubiläum.
Waiblingen ist Mitglied im Netzwerk „Energy Cities“.
"""

NS = {
    "pob": "https://pobratim.example/ontology#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "time": "http://www.w3.org/2006/time#",
}


@dataclass(frozen=True)
class Project:
    layout: Layout
    proposals: Path  # written by `pobratim extract --out`
    source: Path  # the capture's metadata in data/sources/

    def data(self) -> dict[str, Any]:
        loaded: dict[str, Any] = yaml.safe_load(self.proposals.read_text(encoding="utf-8"))
        return loaded

    def ident(self, section: str, **fields: object) -> str:
        """The id of the one proposal of ``section`` whose fields have these values."""
        found = [r["id"] for r in self.data()[section] if all(r.get(k) == v for k, v in fields.items())]
        assert len(found) == 1, (section, fields, self.data()[section])
        return str(found[0])

    def written(self) -> RecordFile:
        return load_yaml(next(self.layout.records.glob("de-waiblingen-*-extracted.yaml")), RecordFile)

    def people(self) -> PeopleFile:
        return load_yaml(self.layout.records / "people.yaml", PeopleFile)

    def review(self, *args: str, proposals: Path | None = None) -> int:
        path = str(proposals or self.proposals)
        return main(["review", path, "--reviewer", "R. Viewer", "--data", str(self.layout.data), *args])

    def build(self) -> Graph:
        """Build into the project's own dist/ as `pobratim build` does; return the published graph."""
        assert main(["build", "--data", str(self.layout.data), "--out", str(self.layout.dist)]) == 0
        ds = Dataset()
        ds.parse(self.layout.dist / "pobratim.trig", format="trig")
        return union(ds)


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The seed data with the page captured as a saved file (Waiblingen is in no places.yaml), and read."""
    root = tmp_path_factory.mktemp("review-facts")
    shutil.copytree(SEED.data, root / "data")
    layout = replace(SEED, data=root / "data", dist=root / "dist")
    saved = root / "partner.txt"
    saved.write_text(PAGE, encoding="utf-8")
    args = ["--municipality", "Waiblingen", "--title", "Partnerstädte", "--data", str(layout.data)]
    assert main(["capture", str(saved), *args]) == 0
    source = next(layout.sources.glob("de-waiblingen-*.yaml"))
    page = source.with_suffix(".txt")
    proposals = root / "proposals.yaml"
    args = ["extract", str(page), "--municipality", "Waiblingen", "--out", str(proposals), "--data", str(layout.data)]
    assert main(args) == 0
    return Project(layout, proposals, source)


@pytest.fixture
def project(captured: Project, tmp_path: Path) -> Project:
    root = captured.layout.data.parent
    shutil.copytree(root, tmp_path / "p")
    layout = replace(captured.layout, data=tmp_path / "p" / "data", dist=tmp_path / "p" / "dist")
    return Project(layout, tmp_path / "p" / "proposals.yaml", layout.sources / captured.source.name)


def test_every_kind_the_reader_proposes_has_a_record_type() -> None:
    documents = {kind for kind, _pattern in DOCUMENT_KINDS} | {"council_decision"}
    assert {record_type(kind, DocumentType) for kind in documents} >= {"letter-of-intent", "council-decision"}
    assert all(record_type(kind, EventType) == kind for kind, _pattern in EVENTS)
    with pytest.raises(ValueError):
        record_type("picnic", EventType)


def test_the_proposals_file_holds_the_pages_facts_as_proposed(project: Project) -> None:
    data = project.data()
    load_yaml(project.proposals, RecordFile)  # the records schema, as review reads it
    documents = {(d["type"], d.get("date")) for d in data["documents"]}
    assert {("council-decision", "1962-02-12"), ("agreement", "1962-05-02")} <= documents
    assert [(m["person"], m["municipality"], m["date"]) for m in data["mayors"]] == [
        ("jonas-feldmann", "de/waiblingen", "2012-06-14")
    ]
    assert data["mayors"][0]["review"]["names"] == {"de": "Jonas Feldmann"}  # as the page writes it
    events = [e for e in data["events"] if e.get("date") == "2012-06-14"]
    assert events and all(e["twinning"] == ["de/waiblingen", "fr/mayenne"] for e in events)
    assert {e["type"] for e in events} <= {"anniversary", "delegation"}
    assert all(e["name"]["de"] in e["quote"] for e in events)  # the occasion as the page words it
    assert [(m["member"], m["organization"]) for m in data["memberships"]] == [("de/waiblingen", "energy-cities")]
    page = normalise(PAGE)
    for section in ("documents", "mayors", "events", "memberships"):
        for record in data[section]:
            review = record["review"]
            assert review["status"] == "proposed" and 0 < review["confidence"] <= 1 and review["evidence"]
            assert normalise(record["quote"]) in page
    # The twinning names the document dated the day it began, where exactly one is.
    mayenne = next(t for t in data["twinnings"] if t["partner"] == "fr/mayenne")
    started = [d for d in data["documents"] if d["id"] == mayenne["document"]]
    assert [d.get("date") for d in started] == [mayenne["start"]]


def test_accepted_facts_become_records_that_the_build_publishes(project: Project) -> None:
    """The newcomer's path: review the captured page itself, accept everything, build."""
    assert project.review("--accept-all", proposals=project.source) == 0
    kept = project.layout.data / "proposals" / f"{project.source.stem}.yaml"
    assert {"documents", "mayors", "events", "memberships"} <= set(yaml.safe_load(kept.read_text(encoding="utf-8")))
    written = project.written()
    assert {d.type for d in written.documents} >= {"council-decision", "agreement"}
    assert all(f.review is None for f in written.facts())
    people = project.people()
    # Names only as the page writes them: a Latin name under latn, a German network's under de; no bg.
    assert people.people["jonas-feldmann"].model_dump(exclude_defaults=True) == {"latn": "Jonas Feldmann"}
    assert people.organizations["energy-cities"].model_dump(exclude_defaults=True) == {"local": {"de": "Energy Cities"}}
    graph = project.build()
    assert ask(
        graph,
        """ASK { ?doc a eli:LegalResource ; eli:type_document pob:doctype-agreement ;
                      eli:date_document "1962-05-02"^^<http://www.w3.org/2001/XMLSchema#date> }""",
        NS,
    )
    mayors = select(
        graph,
        """SELECT ?name ?when { ?m a pob:MayorAttestation ; org:member/rdfs:label ?name ;
                                   org:memberDuring/time:inside/time:inXSDDate ?when }""",
        NS,
    )
    assert [(str(r.name), str(r.when)) for r in mayors if str(r.name) == "Jonas Feldmann"] == [
        ("Jonas Feldmann", "2012-06-14")
    ]
    assert ask(
        graph,
        """ASK { ?e pob:inTwinning ?t ; schema:startDate ?d . ?t pob:party <https://pobratim.example/id/place/fr/mayenne>
                 FILTER (str(?d) = "2012-06-14") }""",
        NS,
    )
    assert ask(graph, """ASK { ?m org:organization/rdfs:label "Energy Cities"@de }""", NS)
    assert ask(graph, "ASK { ?claim pob:establishedBy ?doc . ?doc a eli:LegalResource }", NS)


def test_a_rejected_fact_is_not_written_and_no_tie_points_at_it(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    twinning = project.ident("twinnings", partner="fr/mayenne")
    membership = project.ident("memberships", organization="energy-cities")
    assert project.review("--reject", twinning, "--reject", membership) == 0
    assert project.review("--accept-all") == 0
    out = capsys.readouterr().out
    written = project.written()
    assert not written.twinnings and not written.memberships
    assert "energy-cities" not in project.people().organizations
    # The events of the rejected twinning are kept, without a tie to a twinning no record states.
    assert written.events and all(e.twinning is None for e in written.events)
    assert "without its twinning of de/waiblingen and fr/mayenne: no record states it" in out
    project.build()  # the gate finds every reference


def test_a_person_already_in_people_yaml_is_not_added_again(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    mayor = project.ident("mayors", person="jonas-feldmann")
    assert project.review("--accept", mayor) == 0
    assert "added to people.yaml: jonas-feldmann" in capsys.readouterr().out
    # A reviewer keeps the person under a key of their own: the page read again names that person.
    people = project.layout.records / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("jonas-feldmann:", "feldmann-j:"), encoding="utf-8")
    again = project.proposals.with_name("again.yaml")
    page = project.source.with_suffix(".txt")
    args = ["extract", str(page), "--municipality", "Waiblingen", "--out", str(again)]
    assert main([*args, "--data", str(project.layout.data)]) == 0
    second = Project(project.layout, again, project.source)
    assert project.review("--accept", second.ident("mayors", person="feldmann-j"), proposals=again) == 0
    assert "added to people.yaml" not in capsys.readouterr().out
    assert [k for k, p in project.people().people.items() if p.latn == "Jonas Feldmann"] == ["feldmann-j"]
