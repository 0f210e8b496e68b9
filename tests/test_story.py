"""A twinning's page tells its story: beginnings, events and ends in date order, each with its source."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .support.inprocess import InProcess

CREMONA = "/id/twinning/bg-kazanlak--it-cremona.html"
STENIMACHOS = "/id/twinning/bg-asenovgrad--gr-stenimachos.html"


@dataclass
class Item:
    """One item of a story: its class, its data-date, the dates claimed inside it, its text and its sources."""

    kind: str | None
    date: str | None
    claimed: list[str | None] = field(default_factory=list)
    text: str = ""
    sources: list[str | None] = field(default_factory=list)


class Story(HTMLParser):
    """Collect the items of ``ol.story``: class, data-date, the dates claimed inside, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Item] = []
        self.depth = 0  # the nesting of <ol>/<ul>/<li> inside the story, 0 outside it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "ol" and a.get("class") == "story":
            self.depth = 1
        elif self.depth and tag in {"ol", "ul", "li"}:
            self.depth += 1
            if tag == "li" and self.depth == 2:
                self.items.append(Item(a.get("class"), a.get("data-date")))
            elif tag == "li" and self.depth == 4:
                self.items[-1].claimed.append(a.get("data-date"))
        elif self.depth and tag == "a" and a.get("class") == "source":
            self.items[-1].sources.append(a.get("href"))

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag in {"ol", "ul", "li"}:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth >= 2 and self.items:
            self.items[-1].text += data


def story(server: InProcess, path: str, lang: str = "en") -> list[Item]:
    parsed = Story()
    parsed.feed(server.get(path, headers={"Accept-Language": lang}).text)
    return parsed.items


def test_beginning_with_both_sources_dates_side_by_side_then_events_in_date_order(server: InProcess) -> None:
    items = story(server, CREMONA)
    first = items[0]
    assert first.kind == "beginning conflict" and first.date == "1978-05-25"
    # Each source's date at its own precision: a day from one page, a year from the other.
    assert first.claimed == ["1978-05-25", "1982"]
    assert "sources differ" in first.text and "cooperation protocol" in first.text
    assert first.sources == ["/source/kazanlak-cremona", "/source/kazanlak-international-cooperation"]
    dated = [i.date for i in items if i.date]
    # The page's yearly invitation and its idea of Italian courses are no events (the gate refuses them).
    assert dated == ["1978-05-25", "1980", "1987", "2005", "2013", "2017-09", "2018", "2019"]
    assert dated == sorted(dated)
    # Undated events after every dated item.
    undated = [i for i in items if not i.date]
    assert len(undated) == 3 and items[-3:] == undated
    assert all(i.kind == "event" and "undated" in i.text for i in undated)
    assert all(i.sources == ["/source/kazanlak-cremona"] for i in items[1:])
    assert "Football matches of the two towns' teams" in items[1].text


def test_an_ended_relation_shows_its_end_after_its_beginning(server: InProcess) -> None:
    items = story(server, STENIMACHOS)
    assert [(i.kind, i.date) for i in items][:2] == [("beginning", "1993"), ("end", "1999")]
    assert items[0].claimed == ["1993"] and items[1].claimed == ["1999"]


def test_the_story_in_bulgarian(server: InProcess) -> None:
    page = server.get(CREMONA, headers={"Accept-Language": "bg"}).text
    assert "Историята на побратимяването" in page and "източниците се различават" in page
    items = story(server, CREMONA, "bg")
    assert "Футболни срещи" in items[1].text


def test_places_have_no_story_but_their_timeline_carries_dates(server: InProcess) -> None:
    page = server.get("/id/place/bg/kazanlak.html").text
    assert 'class="story"' not in page
    timeline = page.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r'<li(?: data-date="([^"]*)")?>', timeline)
    assert items == ["1980", "1987", "2005", "2013", "2017-09", "2018", "2019", "", "", ""]
