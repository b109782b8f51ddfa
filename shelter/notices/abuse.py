"""Signs of abuse in a notice or request, read with what Shelter records about its confirmed subject
and about the requesting state. The engine (``shelter.assessment.indicators``) decides; this module
only gathers the facts."""

from shelter.assessment import indicators as indicator_engine
from shelter.records import access

from . import facts as record_facts
from .models import AlertStatus, Notice


def notice_subject(notice: Notice, user=None):
    """The registered person a notice was confirmed to concern (the first, if several), as ``user``
    may see them; None if there is none."""
    alerts = notice.alerts.filter(status=AlertStatus.CONFIRMED).select_related("person")
    if user is not None:
        alerts = alerts.filter(case__in=access.visible_cases(user))
    alert = alerts.order_by("decided_at").first()
    return alert.person if alert else None


def indicators(notice: Notice, person=None) -> dict:
    """The signs of abuse in ``notice``, read with what Shelter records about ``person`` (its
    confirmed subject) and about the requesting state."""
    request = record_facts.request_facts(notice)
    subject = record_facts.person_facts(person) if person is not None else None
    state = record_facts.state_record(notice.requesting_state) if notice.requesting_state else None
    return indicator_engine.assess(request, subject, state).as_dict()
