"""Instance-wide security state: the lockdown switch, insider alerts and two-person export approvals.

All of it lives in the database, so every process (web workers, API, the command line) sees the same
state at once.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

APPROVAL_LIFETIME = timedelta(hours=24)


class Lockdown(models.Model):
    """A single row (pk 1). While ``active``, the instance is read-only for everyone."""

    active = models.BooleanField(default=False)
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.CharField(max_length=150, blank=True)

    @classmethod
    def current(cls) -> "Lockdown":
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class AlertKind(models.TextChoices):
    READS = "reads", _("Identity data of many records read")
    EXPORTS = "exports", _("Many exports")


class Alert(models.Model):
    """A user crossed an insider threshold within ``window`` before ``created_at``."""

    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    window = models.DurationField(_("window"))
    count = models.PositiveIntegerField(_("count"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

class ExportApproval(models.Model):
    """One identity-bearing export, requested by one coordinator or administrator and approved by
    another; used once, within 24 hours of the request."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    # Space-separated case references the export is limited to; blank means every case.
    cases = models.CharField(_("cases"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def expires_at(self):
        return self.created_at + APPROVAL_LIFETIME

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def case_references(self) -> list[str]:
        return self.cases.split()

    @property
    def status(self) -> str:
        if self.used_at:
            return _("used")
        if self.expired:
            return _("expired")
        if self.approved_at:
            return _("approved")
        return _("awaiting approval")
