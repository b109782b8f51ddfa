"""Links across cases, found without exposing them: identifiers of different cases with one keyed digest
(the same phone, account or plate, however it was written) become one link, whose sides only
coordinators see. Found as identifiers are saved, and all at once after an import (`discover_all`)."""

from django.db import transaction
from django.db.models import Count

from .models import Identifier, Link, LinkKind, LinkSide, LinkStatus, SAME_AS_PHONE


def _family(kind: str) -> str:
    return "phone" if kind in SAME_AS_PHONE else kind


@transaction.atomic
def discover(identifier: Identifier) -> Link | None:
    """The link of the identifier's digest when it is recorded in another case too; None otherwise.
    A link a coordinator rejected opens again when a further case joins it: that is new evidence."""
    moved = LinkSide.objects.filter(identifier=identifier).exclude(link__key=identifier.digest)
    left = set(moved.values_list("link_id", flat=True))
    moved.delete()
    drop_single_sided(left)
    if not identifier.digest:
        return None
    same = list(Identifier.objects.filter(digest=identifier.digest).values_list("pk", "case_id"))
    if len({case for _, case in same}) < 2:
        return None
    link, _ = Link.objects.get_or_create(key=identifier.digest, defaults={
        "kind": LinkKind.IDENTIFIER, "identifier_kind": _family(identifier.kind)})
    known_cases = set(link.sides.values_list("case_id", flat=True))
    LinkSide.objects.bulk_create([LinkSide(link=link, case_id=case, identifier_id=pk) for pk, case in same],
                                 ignore_conflicts=True)
    if known_cases and {case for _, case in same} - known_cases and link.status == LinkStatus.REJECTED:
        link.status, link.decided_at, link.decided_by = LinkStatus.OPEN, None, None
        link.save(update_fields=["status", "decided_at", "decided_by"])
    return link


def discover_all() -> int:
    """Every link the stored identifiers make (after an import, or to check); how many links there are."""
    shared = (Identifier.objects.exclude(digest="").values("digest")
              .annotate(cases=Count("case", distinct=True)).filter(cases__gt=1).values_list("digest", flat=True))
    for digest in shared.iterator():
        discover(Identifier.objects.filter(digest=digest).first())
    return Link.objects.count()


def drop_single_sided(link_ids) -> None:
    """Links that no longer join two cases (a side erased or changed) are no links."""
    for link in Link.objects.filter(pk__in=list(link_ids)):
        if link.sides.values("case_id").distinct().count() < 2:
            link.delete()


def recorded_elsewhere(identifier: Identifier) -> bool:
    """All a caseworker may learn: that the identifier is recorded in another case too (not which, nor
    in how many), unless a coordinator found the match to be chance."""
    return LinkSide.objects.filter(identifier=identifier).exclude(link__status=LinkStatus.REJECTED).exists()
