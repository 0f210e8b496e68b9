"""Country names in Bulgarian and English to ISO 3166-1 alpha-2, through pycountry's ISO tables."""

import gettext
from functools import cache
from pathlib import Path

import pycountry
import yaml

from pobratim.core.locales import LABEL_LANGUAGES
from pobratim.core.quotes import normalise


def _key(name: str) -> str:
    return normalise(name).casefold()


@cache
def iso_names(languages: tuple[str, ...] = LABEL_LANGUAGES) -> dict[str, str]:
    """Map every ISO 3166 name, official and common name, in each language (first wins), to its code."""
    names: dict[str, str] = {}
    for lang in languages:
        translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True).gettext
        for country in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(country, attr, None)
                if value:
                    names.setdefault(_key(translate(value)), country.alpha_2)
    return names


def load_aliases(path: Path) -> dict[str, str]:
    """Read the reviewed alias table (name as written -> alpha-2)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {_key(name): code for name, code in (data.get("aliases") or {}).items()}


def country_code(name: str, aliases: dict[str, str]) -> str | None:
    """Return the alpha-2 code a country name stands for, or None when it is unknown."""
    key = _key(name)
    return aliases.get(key) or iso_names().get(key)


def is_alpha2(code: str) -> bool:
    """Tell whether ``code`` is an assigned ISO 3166-1 alpha-2 code."""
    return pycountry.countries.get(alpha_2=code) is not None


def all_alpha2() -> list[str]:
    """Every assigned ISO 3166-1 alpha-2 code, sorted."""
    return sorted(c.alpha_2 for c in pycountry.countries)


def country_names(code: str) -> dict[str, str]:
    """Return the country's ISO short name in Bulgarian and English."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        raise KeyError(code)
    bg = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["bg"]).gettext(country.name)
    return {"bg": bg, "en": getattr(country, "common_name", None) or country.name}
