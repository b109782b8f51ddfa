import datetime
import uuid

from django import template
from django.utils.formats import date_format

from shelter import countries, thesaurus, wording
from shelter import dates as partial_dates
from shelter.records.sealing import Hidden

from ..charts import language as _language
from ..charts import svg_length

register = template.Library()


@register.filter
def country(code):
    return countries.name(code, _language()) if code else "—"


@register.filter
def country_list(codes):
    return ", ".join(countries.name(c, _language()) for c in codes or []) or "—"


@register.filter
def partial_date(value, after_preposition=""):
    """'1979' → 1979; '1979-08' → August 1979; '1979-08-15' → 15 August 1979, in the UI language.
    ``partial_date:"after"`` is for a date after a preposition ("since", "until"): Russian puts the
    month in the genitive there («с августа 2019 г.», not «с Август 2019 г.»)."""
    if isinstance(value, Hidden):
        return value
    if not value:
        return "—"
    try:
        d = partial_dates.parse(value)
    except partial_dates.PartialDateError:
        return value
    if d.precision == "year":
        return str(d.year)
    fmt = "YEAR_MONTH_FORMAT" if d.precision == "month" else "DATE_FORMAT"
    russian_month = d.precision == "month" and _language() == "ru"
    if russian_month and after_preposition:
        fmt = "E Y г."  # E: the month's genitive form, where the locale has one
    text = date_format(datetime.date(d.year, d.month, d.day or 1), fmt)
    return text.lower() if russian_month else text  # «август 1979 г.»: Russian writes months in lower case


@register.filter
def term_label(code, name):
    return thesaurus.label(name, code, _language()) if code else "—"


@register.filter
def hidden(value):
    return isinstance(value, Hidden)


@register.filter
def verbose_names(field_names, model):
    """Changed field names as the form labels the user knows."""
    labels = []
    for name in field_names or []:
        try:
            field = model._meta.get_field(name)
        except Exception:
            labels.append(name)
            continue
        # Inline formsets are recorded under their reverse relation ("names", "acts").
        meta = field.related_model._meta if field.auto_created and not field.concrete else None
        labels.append(str(meta.verbose_name_plural if meta else field.verbose_name))
    return ", ".join(labels)


@register.simple_tag
def submission_id():
    """A fresh id per rendered form: a second POST of the same form is recognised as a duplicate."""
    return uuid.uuid4().hex


@register.filter
def localized(texts):
    """A text of a data file ({"en": ..., "ru": ...}) in the current language, English failing that."""
    return wording.text(texts, _language())


@register.filter
def bar_width(value, maximum=1):
    """The length, out of 100 SVG units, of a bar for ``value`` out of ``maximum`` (as text: a
    localised "0,5" is not SVG)."""
    try:
        return svg_length(float(value) / float(maximum), 100)
    except (TypeError, ValueError, ZeroDivisionError):
        return "0"


@register.filter
def citation(source):
    """A source as a reader cites it: "Title, Publisher (year), reference" — or the text as given."""
    if not isinstance(source, dict):
        return source or ""
    title = localized(source.get("title", "")) if isinstance(source.get("title"), dict) else source.get("title", "")
    parts = [title, source.get("publisher", "")]
    text = ", ".join(part for part in parts if part)
    if source.get("year"):
        text += f" ({source['year']})"
    reference = source.get("reference") or source.get("url") or ""
    text = f"{text}, {reference}" if reference and reference not in text else text
    return f"{text}, {source['pinpoint']}" if source.get("pinpoint") else text


@register.filter
def script_name(code):
    """"Cyrl" → Cyrillic, in the UI language; an unknown code as it is."""
    from ..forms import SCRIPTS

    return dict(SCRIPTS).get(code, code) if code else ""


@register.filter
def language_name(code):
    from ..forms import NAME_LANGUAGES

    return dict(NAME_LANGUAGES).get(code, code) if code else ""


@register.filter
def actor_label(name):
    """Who acted, as the audit log names them: Shelter itself and the command line in the UI language."""
    from django.utils.translation import gettext

    return {"system": gettext("Shelter (automatic)"), "cli": gettext("command line"), "": "—"}.get(name, name)


@register.filter
def legal_basis(text):
    """A legal basis or citation of the signs-of-abuse rules in the UI language (the rules file has
    each in Russian too)."""
    from shelter.assessment import indicator_rules

    if _language() == "ru":
        return indicator_rules.default_rules().citations_ru.get(text, text)
    return text


@register.filter
def reference_anchor(source):
    """The anchor of a cited document on the sources-of-reference page."""
    import hashlib

    from shelter.assessment import sources

    key = sources.document_key(source)
    return "ref-" + hashlib.sha1((key or sources.cited(source)).encode()).hexdigest()[:10]
