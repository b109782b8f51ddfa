"""Linking suspicious messages and files into campaigns as they arrive: two artefacts belong to the same
campaign when they share a piece of the attacker's infrastructure — a sender address, a domain (by its
registrable part), a file (by its SHA-256) — compared as keyed digests, so that no case's values are read
to link it with another's. Domains of the big mail and social services are not infrastructure (two
phishers using Gmail are not one campaign); messages with no known signs are not linked."""

from django.db import transaction

from shelter.digital import domains
from shelter.records import sealing

from .models import Artefact, ArtefactIndicator, Campaign

LINKED_TYPES = ("email", "domain", "sha256")


def _shared_services() -> set[str]:
    return {d for brand in domains.brands()["brands"] for d in brand["domains"]}


def digests(reports: list[dict]) -> set[tuple[str, str]]:
    """(type, keyed digest) of the values an artefact's reports yielded that can link it to others."""
    shared, found = _shared_services(), set()
    for report in reports:
        for indicator in report.get("raw_indicators", []):
            type_, value = indicator["type"], str(indicator["value"]).lower().strip()
            if type_ not in LINKED_TYPES or not value:
                continue
            if type_ == "domain":
                value = domains.registrable(value)
                if value in shared:
                    continue
            if type_ == "email" and domains.registrable(value.rsplit("@", 1)[-1]) in shared and indicator["context"] != "From":
                continue
            found.add((type_, sealing.blind(f"{type_}:{value}", "artefact-indicator")))
    return found


@transaction.atomic
def link(artefact: Artefact) -> Campaign | None:
    """Put ``artefact`` in the campaign of the artefacts it shares infrastructure with, merging campaigns
    it joins together; None when it shares nothing (one message is not a campaign)."""
    if artefact.verdict == "no_known_signs":
        return None
    mine = ArtefactIndicator.objects.filter(artefact=artefact).values_list("digest", flat=True)
    others = list(Artefact.objects.filter(indicator_digests__digest__in=list(mine))
                  .exclude(pk=artefact.pk).exclude(verdict="no_known_signs").distinct())
    if not others:
        return None
    campaigns = sorted({a.campaign for a in others if a.campaign}, key=lambda c: c.created_at)
    campaign = campaigns[0] if campaigns else Campaign.objects.create()
    for absorbed in campaigns[1:]:
        Artefact.objects.filter(campaign=absorbed).update(campaign=campaign)
        absorbed.delete()
    Artefact.objects.filter(pk__in=[a.pk for a in others] + [artefact.pk]).update(campaign=campaign)
    artefact.campaign = campaign
    return campaign


def other_cases(artefact: Artefact) -> int:
    """How many other cases the artefact's campaign was seen in: all a caseworker may learn of them."""
    if artefact.campaign_id is None:
        return 0
    return (Artefact.objects.filter(campaign_id=artefact.campaign_id).exclude(case_id=artefact.case_id)
            .values("case_id").distinct().count())
