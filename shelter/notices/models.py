"""Notices and requests, their versions, and the alerts that tie them to registered persons.

A notice's subject is identity data: names, birth date and charges are sealed — with an instance key
for notices imported from public sources (Interpol, OpenSanctions), with the case's key for a request
entered on a case. Only countries, nationalities and sex stay in clear, for statistics and filters.
"""

import json
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shelter import countries
from shelter.records import sealing
from shelter.records.fields import PartialDateField, SealedField
from shelter.records.models import (
    CaseScoped, CaseScopedQuerySet, Deadline, LegalProcess, Person, RequestKind, case_erased,
)

from .sources import interpol

NOTICES_KEY = "notices"
REFERENCE_DOMAIN = "notice-reference"


class RequestSource(models.TextChoices):
    INTERPOL = "interpol", _("Interpol public notices")
    OPENSANCTIONS = "opensanctions", _("OpenSanctions")
    MANUAL = "manual", _("Entered by hand")


class NoticeQuerySet(models.QuerySet):
    def with_reference(self, reference: str, source: str | None = None):
        """The notices whose source calls them ``reference`` (of any source unless one is given)."""
        sources = [source] if source else RequestSource.values
        return self.filter(source_key__in=[reference_key(s, reference) for s in sources])

    def visible_to(self, user):
        """Public notices for every role that reads identity data; a request entered on a case only
        for the users who see that case, and for no one once the case is erased."""
        from shelter.records.access import visible_case_ids

        if not (user.is_authenticated and user.is_active and user.reads_identity):
            return self.none()
        ids = visible_case_ids(user)
        on_a_case = Q(case__wrapped_key__isnull=False) if ids is None else Q(case_id__in=ids, case__wrapped_key__isnull=False)
        return self.filter(Q(case=None) | on_a_case)


class Notice(models.Model):
    """The current version of one notice or request, as its source last gave it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.CharField(_("source"), max_length=20, choices=RequestSource.choices)
    # The source's own identifier ("2026/12345"); for requests entered by hand, Shelter's. Sealed: with
    # a public list, a reference names its subject, and the alerts tie notices to cases. The keyed
    # digest finds a notice again on re-import without revealing it.
    source_id = SealedField(_("reference"))
    source_key = models.CharField(max_length=64)
    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    case = models.ForeignKey(
        "records.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    requesting_state = models.CharField(_("requesting state"), max_length=8, blank=True)
    warrant_states = models.JSONField(default=list, blank=True)  # may hold Interpol's non-ISO codes
    nationalities = models.JSONField(_("nationalities"), default=list, blank=True)
    gender = models.CharField(_("sex"), max_length=10, blank=True)

    name = SealedField(_("surname"))
    forename = SealedField(_("forename"))
    aliases = SealedField(_("other names"), long=True)  # JSON list
    birth_date = SealedField(_("date of birth"))
    place_of_birth = SealedField(_("place of birth"))
    charges = SealedField(_("charges"), long=True)  # JSON list of {charge, translation, issuing_state}
    facts_summary = SealedField(_("summary of facts"), long=True)
    # A request entered by hand carries the requesting state's own number (court case, letter).
    request_reference = SealedField(_("the request's own reference"))

    issued_on = PartialDateField(_("issued on"), blank=True)
    charged_on = PartialDateField(_("charges brought on"), blank=True)
    in_absentia = models.BooleanField(_("tried or sentenced in absentia"), default=False)
    penalty_years = models.DecimalField(
        _("maximum penalty or sentence left (years)"), max_digits=5, decimal_places=1, null=True, blank=True
    )

    version = models.PositiveIntegerField(default=1)
    content_digest = models.CharField(max_length=64)  # keyed: says "changed", not what it holds
    first_seen_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    # Interpol's public list: when a fetch last returned the notice, and when a complete fetch of its
    # nationality no longer did (deleted by the CCF or the General Secretariat, or made non-public).
    last_seen_at = models.DateTimeField(_("last seen on the public list"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn from the public list"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["source", "source_key"], name="one_notice_per_reference")]

    def __repr__(self):
        return f"<Notice: {self.pk}>"

    def __str__(self):
        return f"{self.get_kind_display()} {self.source_id}"

    @property
    def sealing_case_id(self):
        return self.case_id

    def sealing_key(self) -> bytes:
        return sealing.case_key(self.case_id) if self.case_id else sealing.instance_key(NOTICES_KEY)

    def full_name(self) -> str:
        return " ".join(str(part) for part in (self.forename, self.name) if part)

    def alias_list(self) -> list[str]:
        return _json_list(self.aliases)

    def charge_list(self) -> list[dict]:
        return _json_list(self.charges)

    def as_parsed(self) -> interpol.Notice:
        """The notice back in the parsers' shape, for the matcher."""
        warrants = tuple(
            interpol.Warrant(issuing_country=c.get("issuing_state", ""), charge=c.get("charge", ""),
                             charge_translation=c.get("translation", ""))
            for c in self.charge_list()
        )
        return interpol.Notice(
            entity_id=self.source_id, name=str(self.name or ""), forename=str(self.forename or ""),
            aliases=tuple(self.alias_list()), birth_date=str(self.birth_date or ""), gender=self.gender or None,
            place_of_birth=str(self.place_of_birth or ""), nationalities=tuple(self.nationalities), warrants=warrants,
            non_iso_codes=tuple(code for code in self.nationalities if not countries.is_country(code)),
        )


class NoticeVersion(models.Model):
    """Every version of a notice ever imported, sealed as a whole: re-importing the same content adds
    none, a changed notice adds one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # set before sealing: in the AAD
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    content = SealedField(long=True)  # the notice as JSON
    content_digest = models.CharField(max_length=64)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["notice", "version"], name="one_row_per_notice_version")]

    def __repr__(self):
        return f"<NoticeVersion: {self.pk}>"

    @property
    def sealing_case_id(self):
        return self.notice.case_id

    def sealing_key(self) -> bytes:
        return self.notice.sealing_key()


class AlertStatus(models.TextChoices):
    OPEN = "open", _("To triage")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
    ESCALATED = "escalated", _("Escalated")


# An alert waits for a decision while open or escalated; a coordinator decides an escalated one.
TO_DECIDE = (AlertStatus.OPEN, AlertStatus.ESCALATED)


class NoticeAlertQuerySet(CaseScopedQuerySet):
    def visible_to(self, user):
        # An erased case's alerts would tie it to a notice still readable under another key.
        return super().visible_to(user).exclude(case__wrapped_key=None)

    def to_decide(self):
        return self.filter(status__in=TO_DECIDE)

    def with_readable_notice(self, user):
        """Each alert with ``notice_readable``: may ``user`` read its notice? An alert on their case
        may come from a request entered on a case they do not work on; then they learn only that
        something matched, and route it to a coordinator."""
        return self.annotate(notice_readable=Exists(Notice.objects.visible_to(user).filter(pk=OuterRef("notice_id"))))


class NoticeAlert(CaseScoped):
    """A notice whose subject may be a registered person: the matcher's score and explanation, and
    the triage decision. It belongs to the person's case, so only that case's users see it."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="alerts")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notice_alerts")
    score = models.FloatField(_("score"))
    explanation = SealedField(long=True)  # the matcher's explanation as JSON: it quotes names
    notice_version = models.PositiveIntegerField(default=1)
    status = models.CharField(_("status"), max_length=20, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    reason = SealedField(_("reason"), long=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    process = models.OneToOneField(
        LegalProcess, null=True, blank=True, on_delete=models.SET_NULL, related_name="notice_alert"
    )
    task = models.OneToOneField(Deadline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = NoticeAlertQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-score", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["notice", "person"], name="one_alert_per_notice_person")]

    def save(self, *args, **kwargs):
        self.case_id = self.person.case_id
        super().save(*args, **kwargs)

    def explanation_features(self) -> list:
        return _json_list(self.explanation)


@receiver(case_erased)
def forget_erased_case(sender, case, **kwargs):
    """An erased case keeps no alert and no request: an alert ties its person to a notice sealed
    under another key (a public one stays readable), and a request entered on it would leave its
    clear fields and its alerts on other cases behind."""
    NoticeAlert.objects.filter(Q(case=case) | Q(notice__case=case)).delete()
    Notice.objects.filter(case=case).delete()


def reference_key(source: str, reference: str) -> str:
    return sealing.blind(f"{source}:{reference}", REFERENCE_DOMAIN)


def _json_list(value) -> list:
    if not value or isinstance(value, sealing.Hidden):
        return []
    try:
        loaded = json.loads(value)
    except ValueError:
        return []
    return loaded if isinstance(loaded, list) else []
