from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from django.utils import timezone

from shelter.audit import chain, outside
from shelter.audit.checkpoint import CheckpointError
from shelter.audit.log import verify_log
from shelter.audit.models import Action, AuditEvent

from .common import page


@login_required
def audit_log(request):
    if not request.user.reads_audit:
        raise PermissionDenied
    events = AuditEvent.objects.all()
    action = request.GET.get("action", "")
    # NUL bytes are dropped: PostgreSQL refuses them in text, and no username contains one.
    actor = request.GET.get("actor", "").replace("\x00", "").strip()
    if action in Action.values:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_name=actor)
    context = {"page": page(request, events, 50), "actions": Action.choices, "action": action, "actor": actor}
    kept, context["kept_error"] = outside_checkpoint()
    context["kept"] = kept
    context["kept_stale"] = kept is not None and timezone.now() - kept.created_at > outside.STALE
    # Walking the chain reads the whole log: only when asked, never on every page view.
    if request.GET.get("verify"):
        context["chain_report"] = verify_log(kept.head if kept else None)
        context["chain_state"] = chain_state(context["chain_report"])
    return render(request, "front/audit_log.html", context)


def outside_checkpoint():
    """The newest checkpoint kept outside the database, or why it cannot be trusted."""
    try:
        return outside.latest(), ""
    except (CheckpointError, OSError, ValueError):
        return None, _("The newest checkpoint outside the database cannot be trusted: it was altered, "
                       "or this instance did not sign it.")


def chain_state(report) -> str:
    """One sentence on the chain: where it is intact up to, or where it first breaks (position
    and row id, never the entry's content)."""
    if report.intact:
        return _("Chain intact up to #%(sequence)s (%(entries)s entries).") % {
            "sequence": report.head_sequence, "entries": report.entries,
        }
    reasons = {
        chain.MODIFIED: _("an entry was modified"),
        chain.INSERTED: _("an entry was inserted"),
        chain.DELETED: _("entries were deleted"),
        chain.REORDERED: _("entries were reordered"),
        chain.TRUNCATED: _("the end of the log was cut off"),
    }
    values = {
        "sequence": report.broken.sequence, "id": report.broken.entry_id,
        "reason": reasons[report.broken.reason], "intact": report.head_sequence,
    }
    if report.broken.entry_id is None:
        return _("Chain broken at #%(sequence)s: %(reason)s. Intact up to #%(intact)s.") % values
    return _("Chain broken at #%(sequence)s (entry id %(id)s): %(reason)s. Intact up to #%(intact)s.") % values
