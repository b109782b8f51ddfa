from django import template
from django.utils.translation import gettext_lazy as _

from shelter import thesaurus
from shelter.front.charts import language as _language

register = template.Library()

CONFIDENCE = {"declared": _("declared by the exporter"), "high": _("high confidence"),
              "medium": _("medium confidence"), "low": _("low confidence")}
ROLES = {"end_user": _("End user"), "consignee": _("Consignee"), "intermediary": _("Intermediary"), "owner": _("Owner")}


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
    from shelter.front.export_forms import PURPOSES

    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return PURPOSES.get(value, value)
