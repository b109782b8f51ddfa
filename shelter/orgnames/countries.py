"""Country qualifiers of organisation names: "of the Republic of Uzbekistan", "Республики Узбекистан",
"Oʻzbekiston Respublikasi", "Российской Федерации", "Kyrgyz Republic", "Қазақстан Республикасы", "МВД РФ".

The region's states in their languages, with the adjectives and official abbreviations, come from
data/country_names.json (each with its source); every other country's English short, common and official
names from pycountry (ISO 3166-1). A 'republic' or 'federation' word next to a country's word belongs
to the country.

Public API: ``lexicon() -> Lexicon`` (phrases → ISO 3166-1 alpha-2 code), ``abbreviations()`` (РУз, РФ,
КР … as written, which count only after another word), ``absorbed()`` (the concept codes that go with a
country), ``name(code)``.
"""

from functools import cache

import pycountry

from .lexicon import Lexicon, load


@cache
def lexicon() -> Lexicon:
    found = Lexicon("countries")
    data = load("country_names.json")["countries"]
    for code, entry in data.items():
        for spec in entry["words"]:
            found.add(spec, code)
    for country in pycountry.countries:
        if country.alpha_2 in data:
            continue
        names = {country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")}
        names.add(country.name.split(",")[0])  # "Moldova, Republic of" → "Moldova"
        for written in sorted(filter(None, names)):
            found.add(written, country.alpha_2)
    return found


@cache
def abbreviations() -> dict[str, str]:
    """Casefolded abbreviations (руз, рф, кр) → code; they count only after another word."""
    return dict(load("country_names.json")["abbreviations"]["words"])


@cache
def absorbed() -> frozenset[str]:
    return frozenset(load("country_names.json")["absorbed"]["concepts"])


def name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or getattr(country, "name", code) if country else code
