"""A suspicious message or file kept as a case's evidence, with its triage. The report (subject, sender,
links, values) is sealed with the case's key: it may name the exile or their contacts. Its indicators
are also kept as keyed digests, so that artefacts of different cases can be linked into campaigns without
anyone reading another case's values."""

import uuid

from django.conf import settings
from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from shelter.records.fields import SealedField
from shelter.records.models import CaseScoped, EvidenceFile, case_erased


class Verdict(models.TextChoices):
    MALICIOUS = "malicious", _("Malicious")
    SUSPICIOUS = "suspicious", _("Suspicious")
    NO_KNOWN_SIGNS = "no_known_signs", _("No known signs")


class Artefact(CaseScoped):
    evidence = models.OneToOneField(EvidenceFile, on_delete=models.CASCADE, related_name="artefact",
                                    verbose_name=_("evidence file"))
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    score = models.PositiveIntegerField(_("score"), default=0)
    goals = models.CharField(max_length=100, blank=True)  # credentials, malware, tracking (comma-separated)
    kinds = models.CharField(max_length=500, blank=True)  # the finding kinds, comma-separated: no identity data
    report = SealedField(_("report"), long=True)  # JSON: the reports as shelter.digital gives them
    analysed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    campaign = models.ForeignKey("Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="artefacts")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suspicious message or file")

    @property
    def goal_list(self) -> list[str]:
        return [g for g in self.goals.split(",") if g]


class ArtefactIndicator(models.Model):
    """A value an artefact yielded (a domain, a sender address, a hash), as a keyed digest."""

    artefact = models.ForeignKey(Artefact, on_delete=models.CASCADE, related_name="indicator_digests")
    type = models.CharField(max_length=20)
    digest = models.CharField(max_length=64, db_index=True)
    # Once its artefact is in a campaign, a digest is compared through the campaign's index (CampaignDigest);
    # the artefacts still alone are found through this partial index, however large the campaigns grow.
    in_campaign = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["artefact", "type", "digest"], name="artefact_indicator_once")]
        indexes = [models.Index(fields=["digest"], condition=models.Q(in_campaign=False), name="artefact_digest_alone")]


class IndicatorFeed(models.Model):
    """Indicators of a campaign imported by an administrator (`shelter iocs import`): public data of
    attackers' infrastructure, matched against every artefact of the instance."""

    name = models.CharField(max_length=100, unique=True)
    campaign = models.CharField(max_length=300)
    source = models.URLField(blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]


class FeedIndicator(models.Model):
    feed = models.ForeignKey(IndicatorFeed, on_delete=models.CASCADE, related_name="indicators")
    type = models.CharField(max_length=20)
    value = models.CharField(max_length=2000)
    campaign = models.CharField(max_length=300, blank=True)


class Campaign(models.Model):
    """Suspicious messages and files that share infrastructure (a sender, a domain, a file), across cases.
    Only those who see every case (coordinators) see which cases; others learn only that one exists."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"C-{str(self.pk)[:6].upper()}"


class CampaignDigest(models.Model):
    """The digests of a campaign's artefacts, once each: what a new artefact is compared with, so that
    linking it costs the same whatever the size of the campaigns it may join."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="digests")
    type = models.CharField(max_length=20)
    digest = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "digest"], name="campaign_digest_once")]


@receiver(case_erased)
def _forget_erased_case(sender, case, **kwargs):
    """The digests that linked an erased case's artefacts into campaigns go with its key: they would still
    confirm a guess at a value."""
    from .campaigns import rebuild

    touched = set(Artefact.objects.filter(case=case, campaign__isnull=False).values_list("campaign_id", flat=True))
    ArtefactIndicator.objects.filter(artefact__case=case).delete()
    Artefact.objects.filter(case=case).update(campaign=None)
    for campaign in Campaign.objects.filter(pk__in=touched):
        rebuild(campaign)
