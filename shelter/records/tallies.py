"""Aggregates of what one user may see — the dashboard's and the incident list's charts and totals —
computed once and kept until the data they count changes.

At 200,000 incidents a chart is a GROUP BY over every visible incident (100–200 ms), and twenty users
open the dashboard all day while incidents change a few times an hour. Each result is kept in the
cache under the user, their role (what they may see follows from it and their case list), the
question asked, and the data version: one row, raised in the same transaction as any write that could
change a figure (an incident, its tactics or acts, a person's profiles, a case, a case-access grant:
the signals below; bulk writers call ``bump``). A new version makes every kept figure unreachable, so
a figure is never older than the last committed write; MAX_AGE bounds it for a write that went
around the ORM."""

import hashlib

from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

MAX_AGE = 600  # seconds


def version() -> int:
    from .models import DataVersion

    return DataVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def bump(**_) -> None:
    from .models import DataVersion

    if not DataVersion.objects.filter(pk=1).update(version=F("version") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def remembered(user, question: str, compute):
    """``compute()``, or what it gave this user for this question at this data version."""
    asked = hashlib.sha256(question.encode()).hexdigest()[:32]  # any text, as a key any cache accepts
    key = f"shelter:tally:{version()}:{user.pk}:{user.role}:{asked}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, MAX_AGE)
    return found


def watch() -> None:
    """Raise the version on every ORM write that could change a figure (from RecordsConfig.ready)."""
    from .models import Act, Case, CaseAccess, Incident, Person

    for model in (Incident, Act, Case, CaseAccess):
        post_save.connect(bump, sender=model, dispatch_uid=f"tally-save-{model.__name__}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"tally-delete-{model.__name__}")
    for through in (Incident.tactics.through, Person.profiles.through):
        m2m_changed.connect(bump, sender=through, dispatch_uid=f"tally-m2m-{through.__name__}")
