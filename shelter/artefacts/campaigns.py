"""Linking suspicious messages and files into campaigns as they arrive: two artefacts belong to the same
campaign when they share a piece of the attacker's infrastructure — a sender or reply address, a domain
(by its registrable part, from the sender, the DKIM signature or a link), the server that sent it, a file
(by its SHA-256) — or enough of a trait: a file rebuilt with small changes, a lure's wording (see
shelter.digital.similarity). Values are compared as keyed digests, so that no case's values are read to
link it with another's. The big mail and social services are not infrastructure (two phishers using
Gmail are not one campaign); messages with no known signs are not linked."""

from django.db import connection, transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from shelter.digital import domains, linking
from shelter.records import sealing

from .models import Artefact, ArtefactIndicator, Campaign, CampaignDigest

EXACT_TYPES = ("email", "domain", "sha256", "ipv4")


def _digest(type_: str, value: str) -> tuple[str, str]:
    return type_, sealing.blind(f"{type_}:{value}", "artefact-indicator")


def digests(reports: list[dict]) -> set[tuple[str, str]]:
    """(type, keyed digest) of the values and traits an artefact's reports yielded that can link it to others."""
    found = set()
    for report in reports:
        sender = next((i["value"] for i in report.get("raw_indicators", []) if i["type"] == "email" and i["context"] == "From"), "")
        sent_by_a_service = bool(sender) and domains.is_service(sender.rsplit("@", 1)[-1])
        for indicator in report.get("raw_indicators", []):
            type_, value = indicator["type"], str(indicator["value"]).lower().strip()
            if type_ not in EXACT_TYPES or not value:
                continue
            if type_ == "domain":
                if domains.is_service(value):
                    continue
                value = domains.registrable(value)
            if type_ == "email" and domains.is_service(value.rsplit("@", 1)[-1]) and indicator["context"] != "From":
                continue
            if type_ == "ipv4" and sent_by_a_service:
                continue  # a service's outgoing servers carry everyone's mail
            found.add(_digest(type_, value))
        found |= {_digest(trait["type"], trait["value"]) for trait in report.get("traits", [])}
    return found


def _matches(artefact: Artefact, mine: list[str]) -> tuple[set, set]:
    """The campaigns, and the artefacts in no campaign yet, that this artefact shares enough with."""
    by_campaign, by_artefact = {}, {}
    for campaign_id, type_, digest in CampaignDigest.objects.filter(digest__in=mine).values_list("campaign_id", "type", "digest"):
        by_campaign.setdefault(campaign_id, []).append((type_, digest))
    loose = (ArtefactIndicator.objects.filter(digest__in=mine, in_campaign=False)
             .exclude(artefact=artefact).exclude(artefact__verdict="no_known_signs")
             .values_list("artefact_id", "type", "digest"))
    for artefact_id, type_, digest in loose:
        by_artefact.setdefault(artefact_id, []).append((type_, digest))
    return ({c for c, found in by_campaign.items() if linking.shares_enough(found)},
            {a for a, found in by_artefact.items() if linking.shares_enough(found)})


def _index(campaign: Campaign, artefact_ids) -> None:
    own = ArtefactIndicator.objects.filter(artefact_id__in=list(artefact_ids))
    rows = own.values_list("type", "digest").distinct()
    CampaignDigest.objects.bulk_create([CampaignDigest(campaign=campaign, type=t, digest=d) for t, d in rows],
                                       ignore_conflicts=True, batch_size=2000)
    own.update(in_campaign=True)


@transaction.atomic
def link(artefact: Artefact) -> Campaign | None:
    """Put ``artefact`` in the campaign it shares infrastructure with, merging the campaigns it joins
    together; None when it shares nothing (one message is not a campaign). Compared with each campaign
    as a whole (its digests, once each) and with the artefacts in no campaign yet."""
    if artefact.verdict == "no_known_signs":
        return None
    mine = list(ArtefactIndicator.objects.filter(artefact=artefact).values_list("digest", flat=True))
    campaign_ids, loose = _matches(artefact, mine)
    if not campaign_ids and not loose:
        return None
    joined = list(Campaign.objects.filter(pk__in=campaign_ids).order_by("created_at"))
    campaign = joined[0] if joined else Campaign.objects.create()
    for absorbed in joined[1:]:
        Artefact.objects.filter(campaign=absorbed).update(campaign=campaign)
        new = absorbed.digests.exclude(digest__in=campaign.digests.values("digest")).values_list("type", "digest")
        CampaignDigest.objects.bulk_create([CampaignDigest(campaign=campaign, type=t, digest=d) for t, d in new])
        absorbed.delete()
    newcomers = [*loose, artefact.pk]
    Artefact.objects.filter(pk__in=newcomers).update(campaign=campaign)
    _index(campaign, newcomers)
    artefact.campaign = campaign
    return campaign


def rebuild(campaign: Campaign) -> None:
    """A campaign's index again from the artefacts it still has (after a case was erased); one left
    alone is no campaign."""
    members = list(campaign.artefacts.values_list("pk", flat=True))
    if len(members) < 2:
        ArtefactIndicator.objects.filter(artefact_id__in=members).update(in_campaign=False)
        campaign.artefacts.update(campaign=None)
        campaign.delete()
        return
    campaign.digests.all().delete()
    _index(campaign, members)


@transaction.atomic
def relink_all(progress=lambda items: items) -> int:
    """Every campaign found again from the stored digests, in one pass in memory and in the order the
    artefacts arrived, with the rule `link` applies (after the rule changed, or to check the links);
    the number of campaigns. Plain SQL reads and writes the rows: at a hundred thousand artefacts the
    ORM's objects would cost more than the linking."""
    finder, rows = linking.Linker(), {}
    digest_table, artefact_table = ArtefactIndicator._meta.db_table, Artefact._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.artefact_id, d.type, d.digest FROM {digest_table} d JOIN {artefact_table} a ON a.id = d.artefact_id "
                       f"WHERE a.verdict <> %s ORDER BY a.created_at, a.id", ["no_known_signs"])
        while batch := cursor.fetchmany(50000):
            for artefact_id, type_, digest in batch:
                rows.setdefault(artefact_id, []).append((type_, digest))
    for artefact_id in progress(list(rows)):
        finder.add(artefact_id, rows[artefact_id])
    Artefact.objects.update(campaign=None)
    Campaign.objects.all().delete()
    found = finder.campaigns()
    new = Campaign.objects.bulk_create([Campaign() for _ in found])
    with connection.cursor() as cursor:
        for campaign, members in zip(new, found.values()):
            campaign_id = campaign.pk.hex if connection.vendor == "sqlite" else campaign.pk  # as the database stores a UUID
            for start in range(0, len(members), 5000):
                part = members[start:start + 5000]
                cursor.execute(f"UPDATE {artefact_table} SET campaign_id = %s WHERE id IN ({', '.join(['%s'] * len(part))})",
                               [campaign_id, *part])
            digests = {d for member in members for d in rows[member]}
            cursor.executemany(f"INSERT INTO {CampaignDigest._meta.db_table} (campaign_id, type, digest) VALUES (%s, %s, %s)",
                               [(campaign_id, t, d) for t, d in digests])
    ArtefactIndicator.objects.update(in_campaign=Exists(Artefact.objects.filter(pk=OuterRef("artefact_id"), campaign__isnull=False)))
    return len(found)


def other_cases(artefact: Artefact) -> int:
    """How many other cases the artefact's campaign was seen in: all a caseworker may learn of them."""
    if artefact.campaign_id is None:
        return 0
    return (Artefact.objects.filter(campaign_id=artefact.campaign_id).exclude(case_id=artefact.case_id)
            .values("case_id").distinct().count())


def other_cases_expression():
    """`other_cases` as an expression to annotate artefacts with: one query for a whole page."""
    others = (Artefact.objects.filter(campaign_id=OuterRef("campaign_id")).exclude(case_id=OuterRef("case_id"))
              .order_by().values("campaign_id").annotate(n=Count("case_id", distinct=True)).values("n"))
    return Coalesce(Subquery(others, output_field=IntegerField()), 0)


def stix_bundle(campaign: Campaign) -> dict:
    """The indicators of every message and file of the campaign, as a STIX bundle MVT reads."""
    from shelter.digital import stix

    from .triage import reports_of

    reports = [r for artefact in campaign.artefacts.all() for r in (reports_of(artefact) or [])]
    return stix.of_reports(reports, f"Shelter campaign {campaign}")
