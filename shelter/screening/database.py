"""``shelter screen QUERIES.jsonl --user USERNAME``: screening against Shelter's own database.

Each query is screened with ``registry.screen`` as ``--user`` would in the web interface: only the
persons of cases that user can see are candidates, and only roles that read identity data may
screen. One line is written per alert, ``{"query", "candidate", "case", "score", "explanation"}``,
where ``candidate`` is the person's id as the web interface shows it (``/persons/<id>/``).

The run is read-only, so a lockdown does not stop it (as it does not stop ``shelter export``); it is
audited as one event in the user's name, with counts and the ids of the records read, never a name.
"""

import sys
from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from shelter.audit.log import record
from shelter.matching import batch
from shelter.records import name_index, sealing
from shelter.records.middleware import MAX_LOGGED_OBJECTS

from . import registry


def screen_database(user, lines: Iterable[str], write: Callable[[dict], None], report: batch.Report) -> None:
    """Screen every person of ``lines`` (JSON Lines) as ``user`` may: ``write`` gets one row per alert,
    ``report`` each bad line's number and reason."""
    warn_if_unindexed()
    counts = {"queries": 0, "alerts": 0, "bad_lines": 0}

    def counted(number: int, reason: str) -> None:
        counts["bad_lines"] += 1
        report(number, reason)

    with sealing.scope(reveal=True) as scope:
        try:
            for query_id, query in batch.read_people(lines, counted):
                counts["queries"] += 1
                for alert in registry.screen(user, query):
                    counts["alerts"] += 1
                    write(alert_row(query_id, alert))
        finally:
            # Whatever was decrypted is audited, even if the run stopped half-way.
            audit(user, scope, counts)


def screening_user(username: str | None):
    """The active user whose access the screening uses; refused unless that user may screen."""
    if not username:
        raise CommandError("screening the database needs --user USERNAME: the cases that user can see are screened")
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active user {username!r}")
    if not registry.may_screen(user):
        raise CommandError(
            f"user {username!r} is a {user.role}: screening shows names, so it needs a role that reads identity data "
            "(caseworker, coordinator or administrator)"
        )
    return user


def warn_if_unindexed() -> None:
    """Names indexed with an older release's keys are missed until a reindex: say so rather than
    answer "no match" for them."""
    if name_index.stale():
        sys.stderr.write(f"warning: {name_index.STALE_MESSAGE}, or recorded persons may be missed\n")


def alert_row(query_id, alert: registry.RegistryAlert) -> dict:
    return {
        "query": query_id,
        "candidate": str(alert.person.pk),
        "case": alert.person.case.reference,
        "score": alert.result.score,
        "explanation": alert.result.explanation(),
    }


def audit(user, scope, counts: dict) -> None:
    """One event per run, shaped like the request middleware's read events (``count``, ``objects``)
    so that insider alerts count the records a screening run decrypted."""
    objects = [{"type": t, "id": i, "case": str(c)} for (t, i), c in scope.reads.items()]
    record(
        user,
        "read_identity",
        object_type="screening",
        via="shelter screen",
        queries=counts["queries"],
        alerts=counts["alerts"],
        bad_lines=counts["bad_lines"],
        count=len(objects),
        objects=objects[:MAX_LOGGED_OBJECTS],
    )
