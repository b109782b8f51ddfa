"""Country codes (ISO 3166-1 alpha-2, plus the former USSR as "SU") and their localised names."""

import gettext
from functools import cache

import pycountry

# States that no longer exist but still appear on documents and nationality records.
HISTORIC = {"SU": "Soviet Union", "YU": "Yugoslavia", "CS": "Serbia and Montenegro"}
EXTRA = {"XK": "Kosovo"}


@cache
def _names() -> dict[str, str]:
    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    names.update(HISTORIC)
    names.update(EXTRA)
    return names


@cache
def _translator(language: str):
    try:
        current = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        historic = gettext.translation("iso3166-3", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return None
    return current, historic


# Russian names pycountry lacks (historic states and Kosovo: its iso3166-3 names, shortened as
# documents write them) or spells without ё.
_RU_OVERRIDES = {"SU": "СССР", "XK": "Косово", "YU": "Югославия", "CS": "Сербия и Черногория",
                 "US": "Соединённые Штаты"}


def is_country(code: str) -> bool:
    return (code or "").upper() in _names()


def normalise(code: str) -> str:
    """Upper-case code, or ValueError naming the bad value."""
    value = (code or "").strip().upper()
    if value not in _names():
        raise ValueError(f"unknown country code {code!r} (use ISO 3166-1 alpha-2, or SU for the USSR)")
    return value


def name(code: str, language: str = "en") -> str:
    code = (code or "").upper()
    english = _names().get(code)
    if english is None:
        return code
    if language.startswith("ru"):
        if code in _RU_OVERRIDES:
            return _RU_OVERRIDES[code]
        translators = _translator("ru")
        if translators:
            country = pycountry.countries.get(alpha_2=code)
            if country is not None:
                return translators[0].gettext(country.name)
    return english


# Listed first in pickers: the origin states Shelter's users work on, and the former USSR.
FIRST = ["UZ", "TJ", "RU", "AZ", "KZ", "TM", "BY", "KG", "SU"]


def choices(language: str = "en") -> list[tuple[str, str]]:
    """The region's states first, then every country by its localised name."""
    rest = sorted(((code, name(code, language)) for code in _names() if code not in FIRST), key=lambda c: c[1])
    return [(code, name(code, language)) for code in FIRST] + rest
