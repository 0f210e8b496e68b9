"""The example queries run on the built store (Oxigraph) and answer what their comment says."""

from pathlib import Path

import pyoxigraph
import pytest

from pobratim.core.ids import DEFAULT_BASE
from tests.support.paths import SEED

from .conftest import TWINNINGS_VARIABLES, Built

QUERIES = sorted(SEED.queries.glob("*.rq"))
B = DEFAULT_BASE


def run(built: Built, name: str) -> tuple[list[str], list[dict[str, str | None]]]:
    store = built.open_store()
    result = store.query((SEED.queries / name).read_text(encoding="utf-8"), use_default_graph_as_union=True)
    assert isinstance(result, pyoxigraph.QuerySolutions)
    names = [v.value for v in result.variables]
    rows = [{n: (None if row[n] is None else row[n].value) for n in names} for row in result]
    return names, rows


@pytest.mark.parametrize("path", QUERIES, ids=[q.stem for q in QUERIES])
def test_query_has_a_comment_and_answers(path: Path, built: Built) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ") and len(first) > 20
    _names, rows = run(built, path.name)
    assert rows, f"{path.name} returned nothing"


def test_twinnings_contract(built: Built) -> None:
    names, rows = run(built, "twinnings.rq")
    assert names == TWINNINGS_VARIABLES
    assert len(rows) == 43  # one row per twinning per source: 19 + 14 + 10
    cremona = [r for r in rows if r["partner"] == B + "id/place/it/cremona"]
    assert {(r["start"], r["startKind"], r["source"]) for r in cremona} == {
        ("1978-05-25", "protocol", B + "source/kazanlak-cremona"),
        ("1982", "twinning", B + "source/kazanlak-international-cooperation"),
    }
    assert all(r["municipalityLabel"] in {"Kazanlak", "Asenovgrad"} for r in rows)
    assert all(r["country"] is not None and len(r["country"]) == 2 and r["country"].isupper() for r in rows)
    naousa = next(r for r in rows if r["partner"] == B + "id/place/gr/naousa")
    assert (naousa["start"], naousa["startKind"], naousa["partnerLabelBg"]) == ("1999", "successor", "Науса")
    undated = [r for r in rows if r["start"] is None]
    assert {r["source"] for r in undated} == {B + "source/kazanlak-cremona", B + "source/asenovgrad-twin-towns"}
    # A council's consent dates its decision, not the twinning: those five began by decision, on no given day.
    consents = [r for r in rows if r["source"] == B + "source/asenovgrad-twin-towns" and r["start"] is None]
    assert len(consents) == 5 and {r["startKind"] for r in consents} == {"council_decision"}


def test_twinnings_contract_types(built: Built) -> None:
    store = built.open_store()
    result = store.query((SEED.queries / "twinnings.rq").read_text(encoding="utf-8"), use_default_graph_as_union=True)
    assert isinstance(result, pyoxigraph.QuerySolutions)
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for row in result:
        country = row["country"]
        assert isinstance(country, pyoxigraph.Literal) and country.datatype.value == xsd + "string"
        label = row["municipalityLabel"]
        assert isinstance(label, pyoxigraph.Literal) and label.language == "en"
        start = row["start"]
        if start is not None:
            assert isinstance(start, pyoxigraph.Literal)
            assert start.datatype.value in {xsd + "date", xsd + "gYear", xsd + "gYearMonth"}


def test_source_disagreements(built: Built) -> None:
    _names, rows = run(built, "source-disagreements.rq")
    assert rows == [
        {
            "twinning": B + "id/twinning/bg-kazanlak--it-cremona",
            "startA": "1978-05-25",
            "sourceA": B + "source/kazanlak-cremona",
            "startB": "1982",
            "sourceB": B + "source/kazanlak-international-cooperation",
        }
    ]


def test_relation_timeline_is_in_date_order(built: Built) -> None:
    _names, rows = run(built, "relation-timeline.rq")
    dated = [r["when"] for r in rows if r["when"] is not None]
    assert dated[0] == "1978-05-25" and dated[-1] == "2019"
    assert [d[:4] for d in dated] == sorted(d[:4] for d in dated)
    assert rows[-1]["when"] is None  # undated events come last


def test_mayors(built: Built) -> None:
    _names, rows = run(built, "mayors.rq")
    got = {(r["name"], r["attestedOn"]) for r in rows}
    assert ("Галина Стоянова", "2017-09") in got
    assert ("Христо Грудев", "2023-05-23") in got
    assert len(rows) == 9


def test_twinned_with_italy(built: Built) -> None:
    _names, rows = run(built, "twinned-with-italy.rq")
    assert {(r["townLabel"], r["italianTownLabel"]) for r in rows} == {
        ("Kazanlak", "Cremona"),
        ("Kazanlak", "Cazzago San Martino"),
    }


def test_networks(built: Built) -> None:
    _names, rows = run(built, "networks.rq")
    assert {r["networkLabel"] for r in rows} == {
        "Mayors for Peace",
        "Network of medium-sized European cities",
        "Network of twinned towns",
    }


def test_a_date_filter_keeps_every_precision(built: Built) -> None:
    """Filtering on the sem: day bounds keeps a start typed xsd:date (1978-05-25) beside ones typed xsd:gYear,
    which a FILTER on schema:startDate against a gYear would drop (issue 27 item 9); rows come oldest first."""
    _names, rows = run(built, "twinnings-begun-before-1990.rq")
    starts = [r["start"] for r in rows]
    assert "1978-05-25" in starts and "1982" in starts
    assert all(s is not None and s[:4] < "1990" for s in starts)
    assert [s[:4] for s in starts if s] == sorted(s[:4] for s in starts if s)
    store = built.open_store()
    naive = store.query(
        "PREFIX schema: <https://schema.org/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
        'SELECT ?s WHERE { ?c schema:startDate ?s FILTER (?s < "1990"^^xsd:gYear) }',
        use_default_graph_as_union=True,
    )
    assert isinstance(naive, pyoxigraph.QuerySolutions)
    assert "1978-05-25" not in {row["s"].value for row in naive}  # what the bounds are for
