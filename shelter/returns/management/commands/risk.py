"""``shelter risk assess PERSON --to COUNTRY``: the risk of returning a person to a state.
``shelter risk travel --origin COUNTRY [--via CC ...]``: for an exile from that state, host and
transit countries ranked by documented incidents and treaties easing returns (counts only).

PERSON is the person's id (as in /persons/<id>/). ``--manual FILE`` adds what the records cannot
show, as JSON: {"confession_evidence": true, "visibility": "high", "assurances": {"given": true,
"specific": false, ...}}. Each run is kept as a new assessment; earlier ones stay. ``--json`` writes
the assessment as JSON. Exit status 2: unknown person or country, unreadable file.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from shelter.assessment import refoulement, travel
from shelter.notices.facts import documented_incidents
from shelter.records.lookup import acting_user, person_or_error
from shelter.returns import assessments
from shelter.security.lockdown import refuse_command


class Command(BaseCommand):
    help = "Assess the risk of returning a person to a state (kept, with earlier assessments)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        assess = actions.add_parser("assess", help="assess a return")
        assess.add_argument("person", metavar="PERSON", help="the person's id")
        assess.add_argument("--to", required=True, metavar="COUNTRY", help="ISO 3166-1 code of the destination")
        assess.add_argument("--manual", metavar="FILE", help="JSON of the factors the records cannot show")
        assess.add_argument("--json", action="store_true", help="write the assessment as JSON")
        assess.add_argument("--user", metavar="USERNAME", help="record the assessment in this user's name")
        advisory = actions.add_parser("travel", help="rank host and transit countries for an exile")
        advisory.add_argument("--origin", required=True, metavar="COUNTRY", help="the state the exile fled")
        advisory.add_argument("--via", action="append", default=[], metavar="CC", help="also rank this country")
        advisory.add_argument("--json", action="store_true", help="write the ranking as JSON")

    def handle(self, *args, action, **options):
        if action == "travel":
            return self.travel(options["origin"], options["via"], options["json"])
        return self.assess(**options)

    def travel(self, origin: str, via: list[str], as_json: bool):
        try:
            origin = refoulement.country_code(origin)
            ranked = travel.rank(origin, documented_incidents(origin),
                                 candidates=[refoulement.country_code(code) for code in via])
        except refoulement.UnknownCountry as e:
            raise CommandError(str(e), returncode=2) from None
        rows = [host.as_dict() for host in ranked]
        if as_json:
            self.stdout.write(json.dumps({"origin": origin, "ranking": rows}, ensure_ascii=False, indent=2))
            return
        for row in rows:
            treaties = ", ".join(t["short"]["en"] if isinstance(t.get("short"), dict) else t["id"] for t in row["treaties"])
            self.stdout.write(f"{row['country']}  {row['score']:>6}  {row['level']:<10} {treaties}")

    def assess(self, *, person, to, manual=None, **options):
        refuse_command("risk assess")
        user = acting_user(options.get("user"))
        subject = person_or_error(person)
        try:
            stored = assessments.assess_risk(subject, to, user=user, manual=read_manual(manual))
        except refoulement.UnknownCountry as e:
            raise CommandError(str(e), returncode=2) from None
        result = stored.result_dict()
        if options["json"]:
            self.stdout.write(json.dumps({"assessment": str(stored.pk), "number": stored.number, **result},
                                         ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Return to {result['destination']}: {result['level_label']['en']} "
                          f"(assessment {stored.number}, method {result['method_version']})")
        for factor in result["individual"]:
            if factor["present"]:
                self.stdout.write(f"  + {factor['label']['en']}")
        self.stdout.write(result["conclusion"]["en"])


def read_manual(path: str | None) -> dict:
    if not path:
        return {}
    try:
        with open(path, encoding="utf-8") as stream:
            data = json.load(stream)
    except OSError as e:
        raise CommandError(f"cannot read {path}: {e.strerror}", returncode=2) from None
    except ValueError as e:
        raise CommandError(f"{path} is not JSON: {e}", returncode=2) from None
    if not isinstance(data, dict):
        raise CommandError(f"{path} must hold a JSON object", returncode=2)
    unknown = set(data) - set(refoulement.method()["manual_keys"])
    if unknown:
        raise CommandError(f"{path}: unknown factors {', '.join(sorted(unknown))}", returncode=2)
    return data
