"""The map of a town's twins: coordinates in the build, the data block in the page, files from this server."""

import json
import re

import lxml.html
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD

from pobratim.build.alignments import GAZETTEER_GRAPH
from pobratim.core import gazetteer
from pobratim.core.ids import DEFAULT_BASE
from pobratim.core.vocab import GEO, GN, POB

from .support.inprocess import InProcess
from .support.rdf import union

KAZANLAK = URIRef(DEFAULT_BASE + "id/place/bg/kazanlak")
PAGES = [
    "/",
    "/query",
    "/yasgui",
    "/search?q=kazanlak",
    "/id/place/bg/kazanlak.html",
    "/id/place/it/cremona.html",
    "/id/twinning/bg-kazanlak--it-cremona.html",
    "/dumps/",
]


def map_data(server: InProcess, path: str) -> dict[str, object]:
    page = server.get(path, headers={"Accept-Language": "en"}).text
    found = re.search(r'<script type="application/json" id="twin-map-data">(.*?)</script>', page, re.S)
    assert found, f"no map data in {path}"
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_places_with_one_geonames_town_have_its_point_in_the_gazetteer_graph(dataset: Dataset) -> None:
    graph = dataset.graph(URIRef(DEFAULT_BASE + f"graph/{GAZETTEER_GRAPH}"))
    pointed = 0
    for place, geonameid in graph.subject_objects(GN.geonamesID):
        lat, long = graph.value(place, GEO.lat), graph.value(place, GEO.long)
        point = gazetteer.city_point(int(str(geonameid)))
        assert point is not None and isinstance(lat, Literal) and isinstance(long, Literal)
        assert lat.datatype == XSD.decimal and abs(float(lat) - point[1]) < 1e-4 and abs(float(long) - point[0]) < 1e-4
        pointed += 1
    assert pointed > 20
    assert (KAZANLAK, GEO.lat, None) in graph


def test_a_municipality_page_carries_its_twins_with_points_and_decades(server: InProcess, dataset: Dataset) -> None:
    data = map_data(server, "/id/place/bg/kazanlak.html")
    town = data["town"]
    assert isinstance(town, dict) and town["iri"] == str(KAZANLAK)
    assert abs(town["lat"] - 42.6167) < 0.01 and abs(town["long"] - 25.4) < 0.01
    # Every partner of a Kazanlak relation that has a point, computed here from the dataset independently.
    everything = union(dataset)
    partners = {
        p
        for t in everything.subjects(POB.party, KAZANLAK)
        for p in everything.objects(t, POB.party)
        if p != KAZANLAK and (p, GEO.lat, None) in everything
    }
    twins = data["twins"]
    assert isinstance(twins, list)
    assert {t["iri"] for t in twins} == {str(p) for p in partners} and len(twins) == len(partners) == 15
    by_iri = {t["iri"]: t for t in twins}
    assert by_iri[DEFAULT_BASE + "id/place/it/cremona"]["decade"] == "1970s"  # 1978 and 1982: the earliest
    assert by_iri[DEFAULT_BASE + "id/place/ru/tolyatti"]["href"] == "/id/place/ru/tolyatti"


def test_twins_without_a_point_are_named_under_the_map(server: InProcess) -> None:
    page = server.get("/id/place/bg/kazanlak.html?lang=en").text
    figure = page.split('<figure class="map"', 1)[1].split("</figure>", 1)[0]
    assert "Not on the map" in figure and "Jungnang-gu" in figure
    assert '<li class="decade-1970s">1970s</li>' in figure


def test_pages_without_a_map(server: InProcess) -> None:
    for path in ["/id/twinning/bg-kazanlak--it-cremona.html", "/"]:
        assert "twin-map" not in server.get(path).text


def test_the_map_files_are_served_here(server: InProcess) -> None:
    page = server.get("/id/place/bg/kazanlak.html").text
    scripts = [s.get("src") for s in lxml.html.fromstring(page).cssselect("script[src]")]
    assert scripts == [
        "/static/links.js",  # every page's: how scripts link IRIs
        "/static/vendor/d3-array.min.js",
        "/static/vendor/d3-geo.min.js",
        "/static/vendor/topojson-client.min.js",
        "/static/map.js",
    ]
    for path in [*scripts, "/static/vendor/countries-110m.json"]:
        r = server.get(path)
        assert r.status_code == 200 and len(r.content) > 500, path
    atlas = server.get("/static/vendor/countries-110m.json").json()
    assert atlas["type"] == "Topology" and len(atlas["objects"]["countries"]["geometries"]) > 150


def test_no_page_loads_anything_from_another_host(server: InProcess) -> None:
    for path in PAGES:
        page = server.get(path).text
        loaded = re.findall(r'<(?:script|img|iframe|source|embed)\b[^>]*\ssrc="([^"]*)"', page)
        loaded += re.findall(r'<link\b[^>]*\shref="([^"]*)"', page)
        loaded += re.findall(r'\s(?:data-atlas|action)="([^"]*)"', page)
        assert loaded, path
        for url in loaded:
            # Relative to this server: a path, never a scheme or a network-path reference (//host/…).
            assert url.startswith("/") and not url.startswith("//"), (path, url)


def test_the_yasgui_page_loads_the_vendored_editor_on_this_endpoint(server: InProcess) -> None:
    page = server.get("/yasgui").text
    assert '<link rel="stylesheet" href="/static/vendor/yasgui.min.css">' in page
    scripts = [s.get("src") for s in lxml.html.fromstring(page).cssselect("script[src]")]
    assert scripts == [
        "/static/links.js",
        "/static/vendor/yasgui.min.js",
        "/static/vendor/d3-array.min.js",  # the map view of an answer draws with the pages' map code
        "/static/vendor/d3-geo.min.js",
        "/static/vendor/topojson-client.min.js",
        "/static/map.js",
        "/static/yasr-views.js",
        "/static/yasgui-words.js",
        "/static/yasgui-init.js",
    ]
    config = json.loads(re.findall(r'<script id="yasgui-config" type="application/json">(.*?)</script>', page)[0])
    assert config["endpoint"] == "/sparql" and config["query"].startswith("# Every twinning")
    assert server.get("/static/vendor/yasgui.min.js").status_code == 200
    assert '<a href="/yasgui">YASGUI</a>' in server.get("/").text
