from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shelter import thesaurus

from ..labels import CONFIDENCE, PURPOSES, ROLES

register = template.Library()


def _language() -> str:
    return (get_language() or "en")[:2]


@register.filter
def export_role(code):
    return ROLES.get(code, code)


@register.filter
def export_confidence(code):
    return CONFIDENCE.get(code, code)


@register.filter
def tactic_label(code):
    return thesaurus.label("tactics", code, _language())


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key, {})


@register.filter
def yesno_answer(value):
    """A technical question's answer: yes, no, or the choice as given (a purpose code)."""
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return PURPOSES.get(value, value)
