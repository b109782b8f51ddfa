"""Export requests and their screenings. A request is its author's: it is seen by them and by
coordinators (who see every case, so a stored screening shows them nothing new). Each screening is kept
as a numbered version with what the screener saw; re-screening adds a version, never rewrites one."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shelter.records.fields import CountryField


class Recommendation(models.TextChoices):
    DENY = "deny", _("Deny")
    LICENCE_WITH_CONDITIONS = "licence_with_conditions", _("Licence only with conditions")
    LICENCE_REQUIRED = "licence_required", _("Licence required")
    NO_OBJECTION_FOUND = "no_objection_found", _("No objection found")


class ExportRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active or user.role == "auditor":
            return self.none()
        if user.sees_all_cases:
            return self
        return self.filter(created_by=user)


class ExportRequest(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=100)
    exporter = models.CharField(_("exporter"), max_length=300, blank=True)
    destination = CountryField(_("destination"))
    request = models.JSONField(_("request"))  # as shelter.exports.request.Request.as_json() writes it
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("export request")

    def __str__(self):
        return self.reference

    def latest(self):
        # From the prefetched versions when the list prefetched them (one query for a whole page).
        return max(self.screenings.all(), key=lambda screening: screening.version, default=None)


class Screening(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(ExportRequest, on_delete=models.CASCADE, related_name="screenings")
    version = models.PositiveIntegerField()
    recommendation = models.CharField(_("recommendation"), max_length=30, choices=Recommendation.choices)
    result = models.JSONField()
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    screened_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["request", "version"], name="one_screening_per_version")]

    def __str__(self):
        return f"{self.request.reference} v{self.version}"
