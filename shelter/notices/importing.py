"""Storing notices: idempotent by the source's own identifier, every earlier version kept.

Records arrive parsed (``shelter.notices.sources.interpol.Notice``, whatever their source); a record the
parser refused comes with its reason and is reported, never stored. One import is one transaction:
the records that were read are all stored, or — if the database fails half-way — none is. Each new
or changed notice is then screened against the registry (``triage.screen_notice``).
"""

import dataclasses
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from shelter.audit.log import record
from shelter.notices.sources import interpol
from shelter.records import sealing

from . import triage
from .models import Notice, NoticeVersion, RequestKind, RequestSource, reference_key

CONTENT_DOMAIN = "notice-content"
# What the stored model keeps beyond the parsed notice (requests entered by hand).
EXTRA_FIELDS = ("issued_on", "charged_on", "in_absentia", "facts_summary", "penalty_years", "request_reference")


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    errors: list = field(default_factory=list)  # (position, reason): never a name
    alerts: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "errors": [{"record": position, "reason": reason} for position, reason in self.errors],
            "alerts": [triage.alert_summary(alert) for alert in self.alerts],
        }


def import_notices(records, *, source: str, kind: str = RequestKind.RED_NOTICE, user=None, errors=(),
                   extra: dict | None = None, case=None, progress=None) -> ImportReport:
    """Store ``records`` (parsed notices) from ``source``; ``errors`` are the parser's (position,
    reason) for the records it refused. ``extra`` holds the fields of a request entered by hand.
    ``progress(stage, total)``, if given, returns a function called with 1 as each record is done
    (stages "Storing notices" and "Screening notices"), for a progress bar."""
    records = list(records)
    report = ImportReport(errors=[(e.position, e.reason) for e in errors])
    step = progress or (lambda stage, total: lambda n: None)
    with sealing.scope(reveal=True), transaction.atomic():
        stored = step("Storing notices", len(records))
        for parsed in records:
            notice, change = store(parsed, source=source, kind=kind, user=user, extra=extra or {}, case=case)
            if change == "created":
                report.created.append(notice)
            elif change == "updated":
                report.updated.append(notice)
            else:
                report.unchanged += 1
            stored(1)
        changed = report.created + report.updated
        screened = step("Screening notices", len(changed))
        for notice in changed:
            report.alerts.extend(triage.screen_notice(notice))
            screened(1)
        record(user or "system", "import_notices", object_type="notice", source=source, created=len(report.created),
               updated=len(report.updated), unchanged=report.unchanged, errors=len(report.errors),
               alerts=len(report.alerts))
    return report


def store(parsed: interpol.Notice, *, source: str, kind: str, user, extra: dict, case=None) -> tuple[Notice, str]:
    """Create or update the notice ``parsed`` describes; ("created" | "updated" | "unchanged")."""
    content = canonical(parsed, extra)
    digest = sealing.blind(json.dumps(content, sort_keys=True, ensure_ascii=False), CONTENT_DOMAIN)
    notice = Notice.objects.select_for_update().with_reference(parsed.entity_id, source).first()
    now = timezone.now()
    if notice is not None and notice.content_digest == digest:
        seen(notice, source, user, now)
        return notice, "unchanged"
    if notice is None:
        notice = Notice(source=source, source_id=parsed.entity_id, source_key=reference_key(source, parsed.entity_id),
                        kind=kind, case=case, created_by=user,
                        first_seen_at=now, version=0)
        change = "created"
    else:
        change = "updated"
    apply(notice, parsed, extra)
    if notice.pk is not None and not notice._state.adding:
        seen(notice, source, user, now, save=False)
    elif source == RequestSource.INTERPOL:
        notice.last_seen_at = now
    notice.version += 1
    notice.content_digest, notice.updated_at = digest, now
    notice.save()
    NoticeVersion.objects.create(notice=notice, version=notice.version, content=json.dumps(content, ensure_ascii=False),
                                 content_digest=digest, imported_at=now, imported_by=user)
    return notice, change


def seen(notice: Notice, source: str, user, now, *, save: bool = True) -> None:
    """Interpol's public list returned ``notice`` again: it is not withdrawn (any more)."""
    if source != RequestSource.INTERPOL:
        return
    notice.last_seen_at = now
    if notice.withdrawn_at is not None:
        notice.withdrawn_at = None
        record(user or "cli", "update", notice, fields=["withdrawn_at"], reappeared=True)
    if save:
        notice.save(update_fields=["last_seen_at", "withdrawn_at"])


def withdraw_unlisted(nationalities: set[str], listed: set[str], user) -> int:
    """Mark withdrawn the Interpol notices of ``nationalities`` that a complete fetch of them did not
    list (``listed``: the entity ids it did). Only a complete fetch may say so (``fetch.complete_for``)."""
    if not nationalities:
        return 0
    listed_keys = {reference_key(RequestSource.INTERPOL, entity_id) for entity_id in listed}
    now = timezone.now()
    withdrawn = 0
    candidates = Notice.objects.filter(source=RequestSource.INTERPOL, withdrawn_at=None)
    for notice in candidates.iterator():
        if notice.source_key in listed_keys or not nationalities.intersection(notice.nationalities or ()):
            continue
        notice.withdrawn_at = now
        notice.save(update_fields=["withdrawn_at"])
        record(user or "cli", "update", notice, fields=["withdrawn_at"])
        withdrawn += 1
    return withdrawn


def canonical(parsed: interpol.Notice, extra: dict) -> dict:
    content = dataclasses.asdict(parsed)
    content.update({key: extra[key] for key in EXTRA_FIELDS if extra.get(key) not in (None, "")})
    return content


def apply(notice: Notice, parsed: interpol.Notice, extra: dict) -> None:
    warrant_states = [w.issuing_country for w in parsed.warrants if w.issuing_country]
    notice.requesting_state = extra.get("requesting_state") or (warrant_states[0] if warrant_states else "")
    notice.warrant_states = list(dict.fromkeys(warrant_states))
    notice.nationalities = list(parsed.nationalities)
    notice.gender = parsed.gender or ""
    notice.name, notice.forename = parsed.name, parsed.forename
    notice.aliases = json.dumps(list(parsed.aliases), ensure_ascii=False)
    notice.birth_date, notice.place_of_birth = parsed.birth_date, parsed.place_of_birth
    notice.charges = json.dumps(
        [{"charge": w.charge, "translation": w.charge_translation, "issuing_state": w.issuing_country}
         for w in parsed.warrants],
        ensure_ascii=False,
    )
    notice.facts_summary = extra.get("facts_summary", "")
    notice.request_reference = extra.get("request_reference", "")
    notice.issued_on = extra.get("issued_on", "")
    notice.charged_on = extra.get("charged_on", "")
    notice.in_absentia = bool(extra.get("in_absentia", False))
    notice.penalty_years = extra.get("penalty_years")
