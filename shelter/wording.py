"""Words in Shelter's two languages, for the engines (``shelter/assessment/``), the dossier and the
templates: which languages there are, a text of a data file's ``{"en": ..., "ru": ...}`` in one of
them, bilingual texts filled, joined and named (countries, thesaurus terms), numbers and plural forms.
Plain Python, no Django.

A *bilingual* text is a dict with a text for every language of ``LANGUAGES``.
"""

from collections.abc import Iterable, Mapping

from shelter import countries, thesaurus

LANGUAGES = ("en", "ru")

# The plural forms a wording with a count gives, by language (CLDR's names), and how a count picks one.
PLURAL_FORMS = {"en": ("one", "other"), "ru": ("one", "few", "many", "other")}
DECIMAL_MARK = {"en": ".", "ru": ","}


def text(value, language: str) -> str:
    """A bilingual value's text in ``language`` (English failing that), or a plain value as text."""
    if isinstance(value, Mapping):
        return value.get(language) or value.get("en") or ""
    return "" if value is None else str(value)


def render(template: Mapping, **values) -> dict:
    """A bilingual template filled; each value is plain text or bilingual."""
    return {lang: template[lang].format(**{k: text(v, lang) for k, v in values.items()}) for lang in LANGUAGES}


def join(items: Iterable[Mapping], separator: str = ", ") -> dict:
    items = list(items)
    return {lang: separator.join(item[lang] for item in items) for lang in LANGUAGES}


def as_is(value: str) -> dict:
    """The same text in every language (a code no data file words)."""
    return {lang: value for lang in LANGUAGES}


def country_name(code: str) -> dict:
    return {lang: countries.name(code, lang) for lang in LANGUAGES}


def term(vocabulary: str, code: str) -> dict:
    """A thesaurus term's label (shelter/data/*.json)."""
    return {lang: thesaurus.label(vocabulary, code, lang) for lang in LANGUAGES}


def number(value: int | float, language: str) -> str:
    """2 → "2", 2.5 → "2.5" or "2,5"."""
    written = str(value) if isinstance(value, int) else f"{value:g}"
    return written.replace(".", DECIMAL_MARK[language])


def plural_form(language: str, count: float | None) -> str:
    """The plural form (of ``PLURAL_FORMS``) a count takes; a fraction or no count takes "other"."""
    if count is None or not float(count).is_integer():
        return "other"
    n = abs(int(count))
    if language == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    return "one" if n == 1 else "other"
