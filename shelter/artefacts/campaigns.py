"""Linking suspicious messages and files into campaigns as they arrive: two artefacts belong to the same
campaign when they share a piece of the attacker's infrastructure — a sender or reply address, a domain
(by its registrable part, from the sender, the DKIM signature or a link), the server that sent it, a file
(by its SHA-256) — or enough of a trait: a file rebuilt with small changes, a lure's wording (see
shelter.digital.similarity). Values are compared as keyed digests, so that no case's values are read to
link it with another's. The big mail and social services are not infrastructure (two phishers using
Gmail are not one campaign); messages with no known signs are not linked."""

from django.db import transaction
from django.db.models import Count

from shelter.digital import domains, similarity
from shelter.records import sealing

from .models import Artefact, ArtefactIndicator, Campaign

EXACT_TYPES = ("email", "domain", "sha256", "ipv4")
TRAIT_TYPES = ("file", "lure")


def _shared_services() -> set[str]:
    return {d for brand in domains.brands()["brands"] for d in brand["domains"]}


def _digest(type_: str, value: str) -> tuple[str, str]:
    return type_, sealing.blind(f"{type_}:{value}", "artefact-indicator")


def digests(reports: list[dict]) -> set[tuple[str, str]]:
    """(type, keyed digest) of the values and traits an artefact's reports yielded that can link it to others."""
    shared, found = _shared_services(), set()
    for report in reports:
        sender = next((i["value"] for i in report.get("raw_indicators", []) if i["type"] == "email" and i["context"] == "From"), "")
        sent_by_a_service = domains.registrable(sender.rsplit("@", 1)[-1]) in shared if sender else False
        for indicator in report.get("raw_indicators", []):
            type_, value = indicator["type"], str(indicator["value"]).lower().strip()
            if type_ not in EXACT_TYPES or not value:
                continue
            if type_ == "domain":
                value = domains.registrable(value)
                if value in shared:
                    continue
            if type_ == "email" and domains.registrable(value.rsplit("@", 1)[-1]) in shared and indicator["context"] != "From":
                continue
            if type_ == "ipv4" and sent_by_a_service:
                continue  # a service's outgoing servers carry everyone's mail
            found.add(_digest(type_, value))
        found |= {_digest(trait["type"], trait["value"]) for trait in report.get("traits", [])}
    return found


def _linked(artefact: Artefact) -> list:
    """The other artefacts (with signs of an attack) that share a value with this one, or enough of a trait."""
    mine = ArtefactIndicator.objects.filter(artefact=artefact).values("digest")
    shared = (ArtefactIndicator.objects.filter(digest__in=mine).exclude(artefact=artefact)
              .exclude(artefact__verdict="no_known_signs")
              .values("artefact_id", "type").annotate(n=Count("id")))
    return sorted({row["artefact_id"] for row in shared
                   if row["type"] not in TRAIT_TYPES or row["n"] >= similarity.LINKING_SHARE})


@transaction.atomic
def link(artefact: Artefact) -> Campaign | None:
    """Put ``artefact`` in the campaign of the artefacts it shares infrastructure with, merging campaigns
    it joins together; None when it shares nothing (one message is not a campaign)."""
    if artefact.verdict == "no_known_signs":
        return None
    others = list(Artefact.objects.filter(pk__in=_linked(artefact)).select_related("campaign"))
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
