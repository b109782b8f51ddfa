"""The audit log as an auditor reads it: each entry's record by its type's name and its case's
reference, linked where the reader may open it; changed fields by their labels; exports marked
pseudonymised or not. Names and other content never appear: the log holds none."""

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shelter.notices.models import Notice
from shelter.records import access
from shelter.records.models import Case

from .templatetags.shelter import verbose_names

# The record types the log names, as people call them; other models go by their verbose name.
TYPE_NAMES = {
    "case": _("case"), "person": _("person"), "deadline": _("deadline"), "organisation": _("organisation"),
    "source": _("source"), "incident": _("incident"), "evidencefile": _("evidence file"),
    "erasurerequest": _("erasure request"), "notice": _("notice or request"), "noticealert": _("notice alert"),
    "riskassessment": _("risk assessment"), "apitoken": _("API token"), "user": _("user account"),
    "exportapproval": _("export approval"), "alert": _("insider alert"), "lockdown": _("lockdown"),
    "many": _("several records"), "dossier": _("dossier"), "instance": _("the whole instance"),
    "master_key": _("master key"), "screening": _("screening"), "screening_index": _("name index"),
    "audit_log": _("audit log"), "export_screening": _("export screening"), "export_memo": _("due-diligence memo"),
    "export_letter": _("notification letter"), "brief": _("policy brief"),
}
# The page of each kind of record, by the model name the log keeps.
PAGES = {
    "case": "case", "person": "person", "incident": "incident", "legalprocess": "process", "source": "source",
    "evidencefile": "evidence", "noticealert": "alert", "notice": "notice", "riskassessment": "risk-assessment",
    "organisation": "organisation",
}


def model_named(object_type: str):
    for model in apps.get_models():
        if model._meta.model_name == object_type:
            return model
    return None


def type_label(object_type: str) -> str:
    if object_type in TYPE_NAMES:
        return str(TYPE_NAMES[object_type])
    model = model_named(object_type)
    return str(model._meta.verbose_name) if model else object_type.replace("_", " ")


def field_labels(fields, object_type: str) -> str:
    model = model_named(object_type)
    if model is None:
        return ", ".join(str(name).replace("_", " ") for name in fields or [])
    return verbose_names(fields, model)


def rows(events, user) -> list[dict]:
    """One dict per event of ``events`` (a page of them), with what a reader needs to make sense of it."""
    events = list(events)
    case_ids = {e.case_id for e in events if e.case_id}
    references = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "reference"))
    open_cases = set(access.visible_cases(user).filter(pk__in=case_ids).values_list("pk", flat=True))
    notice_ids = [e.object_id for e in events if e.object_type == "notice" and e.object_id]
    open_notices = {str(pk) for pk in Notice.objects.visible_to(user).filter(pk__in=notice_ids).values_list("pk", flat=True)}
    return [{
        "event": e,
        "type": type_label(e.object_type),
        "url": _url(e, user, open_cases, open_notices),
        "case_reference": references.get(e.case_id, ""),
        "fields": field_labels(e.fields, e.object_type),
        "count": e.detail.get("count") if isinstance(e.detail, dict) else None,
        "pseudonymised": e.detail.get("pseudonymised") if e.action == "export" and isinstance(e.detail, dict) else None,
    } for e in events]


def _url(event, user, open_cases, open_notices) -> str:
    name = PAGES.get(event.object_type)
    if not name or not event.object_id or user.role == "auditor":
        return ""
    if event.object_type == "notice":
        readable = event.object_id in open_notices
    elif event.object_type == "organisation":
        readable = True
    else:
        readable = event.case_id in open_cases
    return reverse(name, args=[event.object_id]) if readable else ""
