"""The reviewed records: schema, quotes, references and identifiers."""

from collections import Counter
from pathlib import Path

import pytest

from pobratim.core.errors import BuildError
from pobratim.core.ids import Iris
from pobratim.core.quotes import anchor, normalise
from pobratim.records.corpus import Corpus
from pobratim.records.models import (
    SECTIONS,
    RecordFile,
    RecordSet,
    Ref,
    Source,
    SourceMeta,
    Twinning,
    load_yaml,
    marked,
)
from pobratim.records.page_checks import page_problems
from pobratim.records.references import reference_problems


def test_every_quote_is_in_its_source(corpus: Corpus) -> None:
    count = 0
    for rs in corpus.record_sets:
        text = normalise(corpus.sources[rs.records.source].text)
        for fact in rs.records.facts():
            for quote in fact.quote:
                assert normalise(quote) in text, (rs.path.name, fact.id, quote)
                count += 1
    assert count > 80


def test_whitespace_normalisation_only() -> None:
    text = "През 1987г. с единодушие\u00a0 е взето\n решение"
    assert anchor("с единодушие е взето решение", text) is not None
    assert anchor("с единодушие е взето решения", text) is None  # one letter off is not found


def test_record_ids_are_unique(corpus: Corpus) -> None:
    ids = Counter(f.id for rs in corpus.record_sets for f in rs.records.facts())
    assert [i for i, n in ids.items() if n > 1] == []


def test_no_two_places_share_an_identifier(corpus: Corpus) -> None:
    iris = Iris()
    places = corpus.places.places
    assert len({iris.place(k) for k in places}) == len(places)
    # Two reviewed places with the same English name in one country would collide on their slug.
    names = Counter((k[:2], p.en.casefold()) for k, p in places.items())
    assert [n for n, c in names.items() if c > 1] == []
    people = corpus.people
    assert not set(people.people) & set(people.organizations)


def test_twinning_iri_is_unordered() -> None:
    iris = Iris()
    assert iris.twinning("bg/kazanlak", "it/cremona") == iris.twinning("it/cremona", "bg/kazanlak")
    assert str(iris.twinning("bg/kazanlak", "it/cremona")).endswith("/id/twinning/bg-kazanlak--it-cremona")


def test_all_partners_named_on_the_pages(corpus: Corpus) -> None:
    partners: dict[str, set[str]] = {}
    for rs in corpus.record_sets:
        for t in rs.records.twinnings:
            partners.setdefault(t.municipality, set()).add(t.partner)
    assert len(partners["bg/kazanlak"]) == 19  # 18 sidebar entries, one of them naming two cities
    assert {"eg/luxor", "eg/alexandria", "ir/kashan", "gr/didymoteicho", "vn/lai-chau"} <= partners["bg/kazanlak"]
    assert len(partners["bg/asenovgrad"]) == 10


def test_conflicting_cremona_starts_are_both_kept(corpus: Corpus) -> None:
    starts = {
        (rs.records.source, t.start, t.start_kind)
        for rs in corpus.record_sets
        for t in rs.records.twinnings
        if t.partner == "it/cremona"
    }
    assert ("kazanlak-cremona", "1978-05-25", "protocol") in starts
    assert ("kazanlak-international-cooperation", "1982", "twinning") in starts


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "records.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_TWINNING = """source: x
twinnings:
  - id: a-b
    municipality: bg/kazanlak
    partner: it/cremona
    partner_label: Кремона
    country_label: Италия
    kind: twinning
    quote: "Кремона"
"""


def test_every_reference_the_model_declares_is_checked(corpus: Corpus) -> None:
    """Each field a fact kind marks ``Ref`` refuses, where the seed fills it, a key that names nothing."""
    c = corpus
    checked: set[tuple[type, str]] = set()
    for n, rs in enumerate(c.record_sets):
        for fact in rs.records.facts():
            for field, value, _ref in marked(fact, Ref):
                if "." in field or value == [] or (type(fact), field) in checked:
                    continue  # one of each (the parts inside a fact, participants, are walked alike)
                checked.add((type(fact), field))
                wrong: str | list[str] = [f"{value[0]}x", *value[1:]] if isinstance(value, list) else f"{value}x"
                at = f"{field}[0]" if isinstance(value, list) else field
                section = SECTIONS[type(fact)]
                facts = [
                    fact.model_copy(update={field: wrong}) if f is fact else f for f in getattr(rs.records, section)
                ]
                record_sets = list(c.record_sets)
                record_sets[n] = RecordSet(rs.path, rs.records.model_copy(update={section: facts}))
                problems = reference_problems(record_sets, c.sources, c.places, c.people, c.aliases, c.links)
                found = [p for p in problems if p.record == f"{type(fact).__name__} {fact.id}" and p.field == at]
                assert len(found) == 1 and "it names nothing known" in found[0].message, (fact.id, field, problems)
    assert {kind for kind, _ in checked} == {type(f) for rs in c.record_sets for f in rs.records.facts()}


def test_schema_accepts_a_good_record(tmp_path: Path) -> None:
    rec = load_yaml(write(tmp_path, GOOD_TWINNING), RecordFile)
    assert isinstance(rec.twinnings[0], Twinning)


@pytest.mark.parametrize(
    ("change", "field", "line"),
    [
        (("    kind: twinning\n", "    kind: twinning\n    colour: red\n"), "colour", 9),
        (("    kind: twinning\n", "    kind: sisterhood\n"), "kind", 8),
        (("    kind: twinning\n", "    kind: twinning\n    start: 1978-13-01\n"), "start", 9),
        (('    quote: "Кремона"\n', ""), "quote", 3),
    ],
    ids=["unknown field", "bad enum", "bad date", "missing quote"],
)
def test_schema_errors_name_file_record_field_and_line(
    tmp_path: Path, change: tuple[str, str], field: str, line: int
) -> None:
    path = write(tmp_path, GOOD_TWINNING.replace(*change))
    with pytest.raises(BuildError) as err:
        load_yaml(path, RecordFile)
    message = str(err.value)
    assert str(path) in message
    assert "twinnings[0] (id=a-b)" in message
    assert f"field {field}" in message
    assert f"{path}:{line}:" in message


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "source: x\ntwinnings:\n  - id: [unclosed\n")
    with pytest.raises(BuildError) as err:
        load_yaml(path, RecordFile)
    assert f"{path}:" in str(err.value) and "malformed YAML" in str(err.value)


PAGE = "Побратимени градове\nГрад Бергама, Република Турция\nДоговор за сътрудничество от 1992 г.\nНачало | Кметство\n"
TWO_PARTNERS = """\
source: page
twinnings:
  - id: named
    municipality: bg/asenovgrad
    partner: tr/bergama
    partner_label: БЕРГАМА
    country_label: Република Турция
    kind: twinning
    start: "1992"
    quote: ["Град Бергама, Република Турция", "Договор за сътрудничество от 1992 г."]
  - id: from-the-menu
    municipality: bg/asenovgrad
    partner: tr/kocaeli
    partner_label: Кметство
    country_label: Република Турция
    kind: twinning
    start: "1992"
    quote: "Договор за сътрудничество от 1992 г."
"""


def test_a_twinning_quote_must_name_the_partner_as_the_page_spells_it(tmp_path: Path) -> None:
    """A partner accepted from a word elsewhere on the page (its menu) is refused; case and accents are folded."""
    path = write(tmp_path, TWO_PARTNERS)
    meta = {
        "id": "page",
        "file": "page.txt",
        "publisher": "bg/asenovgrad",
        "publisher_name": {"bg": "Община Асеновград"},
        "title": {"bg": "Побратимени градове"},
        "language": "bg",
        "sha256": "0" * 64,
    }
    source = Source(SourceMeta.model_validate(meta), PAGE, tmp_path / "page.txt")
    problems = page_problems(RecordSet(path, load_yaml(path, RecordFile)), source)
    assert [(p.file, p.line, p.record, p.field, p.message) for p in problems] == [
        (path, 14, "Twinning from-the-menu", "partner_label", "'Кметство' is not in the record's quote")
    ]
