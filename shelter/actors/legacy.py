"""Moving the officers' and informants' names that involvements held as free text, before actors were
records, into actors of their case (issue 14).

Reading a sealed name needs the master key, which a migration may run without; so the move runs right
after ``migrate`` (a post_migrate handler, which says so when the key is missing), in ``shelter screening
reindex`` and after ``shelter restore`` (an archive made before the move). It is idempotent: a moved
involvement has an actor and no name left to move.
"""

import sys
from collections import defaultdict

from django.db import transaction

from shelter.audit.log import record
from shelter.crypto.keys import MasterKeyError
from shelter.records import sealing
from shelter.records.models import Involvement

from .involved import actor_named, actors_by_name

WHO = "system"  # the audit log's actor for changes no user made


def waiting():
    """Involvements with a name still written on them and no actor. An erased case's are left: their
    names can no longer be read, and are gone with the key anyway."""
    return (Involvement.objects.filter(actor__isnull=True, actor_name__isnull=False)
            .exclude(case__wrapped_key=None).select_related("case", "organisation").order_by("created_at", "pk"))


def move_named_involvements() -> int:
    """Give every involvement that names someone an actor of its case known by that name (the same name
    in one case is one actor), and clear the name. Returns how many involvements were moved. Created
    actors and changed incidents are audited, as the system's doing."""
    if not waiting().exists():  # the usual case, and one that needs no key
        return 0
    moved, touched_incidents, known_by_case = 0, defaultdict(set), {}
    with transaction.atomic(), sealing.scope(reveal=True):
        for involvement in waiting().select_for_update(of=("self",)):
            name = involvement.actor_name.strip()
            if name:
                case = involvement.case
                known = known_by_case.setdefault(case.pk, actors_by_name(case))
                actor, created = actor_named(case, name, involvement.actor_kind, involvement.organisation, known)
                if created:
                    record(WHO, "create", actor, fields=["names", "kind", "organisation"], moved_from="involvement name")
                involvement.actor = actor
                moved += 1
            involvement.actor_name = ""  # a blank name has nothing to move, and nothing to keep
            involvement.save(update_fields=["actor", "actor_name"])
            touched_incidents[involvement.case_id].add(involvement.incident_id)
        for case_id, incidents in touched_incidents.items():
            for incident_id in sorted(incidents, key=str):
                record(WHO, "update", object_type="incident", object_id=str(incident_id), case_id=case_id,
                       fields=["involvements"], moved_from="involvement name")
    return moved


def move_after_migrate(sender, **kwargs):
    try:
        moved = move_named_involvements()
    except MasterKeyError as e:
        print(f"Names of officers and informants written on incidents are not yet actors ({e}): run "
              "`shelter screening reindex` where the master key is available.", file=sys.stderr)
        return
    if moved:
        print(f"Moved {moved} names of officers and informants written on incidents into actors of their cases.",
              file=sys.stderr)
