import csv
import datetime
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from shelter.audit import chain, outside
from shelter.audit.checkpoint import CheckpointError
from shelter.audit.log import chain_pending, record, verify_log
from shelter.audit.models import Action, AuditEvent

from .. import audit_rows
from .common import page


@login_required
def audit_log(request):
    if not request.user.reads_audit:
        raise PermissionDenied
    chain_pending()  # the reads of the last fraction of a second, which a server appends in the background
    events, filters, problems = filtered(request.GET)
    if request.GET.get("format") == "csv":
        return csv_export(request, events, filters)
    shown = page(request, events, 50)
    context = {
        "page": shown, "rows": audit_rows.rows(shown, request.user), "actions": Action.choices, **filters,
        "problems": problems,
    }
    kept, context["kept_error"] = outside_checkpoint()
    context["kept"] = kept
    context["kept_stale"] = kept is not None and timezone.now() - kept.created_at > outside.STALE
    # Walking the chain reads the whole log: only when asked, never on every page view.
    if request.GET.get("verify"):
        context["chain_report"] = verify_log(kept.head if kept else None)
        context["chain_state"] = chain_state(context["chain_report"])
    return render(request, "front/audit_log.html", context)


def filtered(query):
    """The events the filters of ``query`` select, the filters as understood, and a message for
    each filter value that was not understood (and so not applied)."""
    events = AuditEvent.objects.all()
    problems = []
    action = query.get("action", "")
    if action and action not in Action.values:
        problems.append(_("There is no action “%(action)s”: all actions are shown.") % {"action": action[:40]})
        action = ""
    if action:
        events = events.filter(action=action)
    # NUL bytes are dropped: PostgreSQL refuses them in text, and no username contains one.
    actor = query.get("actor", "").replace("\x00", "").strip()
    if actor:
        events = events.filter(actor_name=actor)
    dates = {}
    for key, lookup in (("since", "at__date__gte"), ("until", "at__date__lte")):
        text = query.get(key, "").strip()
        if not text:
            continue
        try:
            dates[key] = datetime.date.fromisoformat(text)
        except ValueError:
            problems.append(_("“%(date)s” is not a date (YYYY-MM-DD): that filter is not applied.") % {"date": text[:20]})
            continue
        events = events.filter(**{lookup: dates[key]})
    hide_reads = query.get("hide_reads") == "1"
    if hide_reads:
        events = events.exclude(action=Action.READ_IDENTITY)
    filters = {"action": action, "actor": actor, "since": dates.get("since"), "until": dates.get("until"),
               "hide_reads": hide_reads}
    return events, filters, problems


def cell(value) -> str:
    """A CSV cell no spreadsheet runs as a formula: a failed login's user name is whatever was typed."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_export(request, events, filters):
    """The filtered log as CSV, itself audited. It holds what the page shows: no content."""
    rows = audit_rows.rows(events.iterator(chunk_size=2000), request.user)
    record(request.user, "export", request=request, object_type="audit_log", format="csv", rows=len(rows),
           filters={k: str(v) for k, v in filters.items() if v})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time", "user", "action", "record type", "record id", "case", "fields", "records", "pseudonymised",
                     "address", "sequence"])
    for row in rows:
        e = row["event"]
        writer.writerow([cell(value) for value in [e.at.isoformat(), e.actor_name, e.get_action_display(), row["type"], e.object_id,
                         row["case_reference"], row["fields"], row["count"] or "",
                         "" if row["pseudonymised"] is None else ("yes" if row["pseudonymised"] else "no"),
                         e.ip or "", e.sequence]])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{timezone.localdate():%Y%m%d}.csv"'
    return response


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
