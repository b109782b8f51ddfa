from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from shelter.audit.models import Action, AuditEvent

from .common import page


@login_required
def audit_log(request):
    if not request.user.reads_audit:
        raise PermissionDenied
    events = AuditEvent.objects.all()
    action = request.GET.get("action", "")
    actor = request.GET.get("actor", "").strip()
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_name=actor)
    context = {"page": page(request, events, 50), "actions": Action.choices, "action": action, "actor": actor}
    return render(request, "front/audit_log.html", context)
