"""``shelter export``: incidents as CSV, cases as JSON, or everything as FollowTheMoney entities.

The JSON export also holds the notices and requests tied to the exported cases (public ones, and
those entered on an exported case), each case's alerts and its return-risk assessments.

Pseudonymised exports carry nothing of the identity tier: no names, birth data, titles, places,
narratives, references or source details, and persons appear by pseudonym. Crypto-erased cases
are skipped. Every run is recorded in the audit log with its format and counts, never its content.
"""

import csv
import json
import os
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shelter.audit.log import record
from shelter.exchange import ftm
from shelter.ops import exporting
from shelter.records import sealing
from shelter.records.models import cases_by_reference
from shelter.security import approvals

CSV_COLUMNS = [
    "case",
    "incident",
    "date",
    "origin_state",
    "host_state",
    "tactics",
    "accusation",
    "outcome",
    "host_complicity",
    "people_targeted",
]
CSV_IDENTITY_COLUMNS = ["title", "place", "narrative"]
# Cells a spreadsheet would run as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class Command(BaseCommand):
    help = "Export incidents (CSV), cases (JSON) or FollowTheMoney entities (JSON lines)."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=["csv", "json", "ftm"])
        parser.add_argument(
            "--case", dest="cases", action="extend", nargs="+", metavar="REFERENCE", help="only these cases (default: all)"
        )
        parser.add_argument("--pseudonymise", action="store_true", help="leave out the identity tier; persons by pseudonym")
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument("--approval", metavar="ID", help="the two-person approval an export with identity data needs")

    def handle(self, *args, **options):
        pseudonymise = options["pseudonymise"]
        if not pseudonymise and settings.SHELTER_EXPORT_APPROVAL:
            if not options["approval"]:
                raise CommandError("an export with identity data needs a two-person approval: ask for one under "
                                   "/security/exports/, have a second coordinator or administrator approve it, then "
                                   "pass --approval ID (or export with --pseudonymise)")
        cases = []
        for case in select_cases(options["cases"]):
            if case.erased:
                self.stderr.write(f"note: case {case.reference} was crypto-erased and is skipped")
            else:
                cases.append(case)
        if not pseudonymise and settings.SHELTER_EXPORT_APPROVAL:
            approvals.consume(options["approval"], options["cases"] or [])
        writer = {"csv": write_csv, "json": write_json, "ftm": write_ftm}[options["format"]]
        with sealing.scope(reveal=not pseudonymise), self.open_output(options["output"]) as out:
            counts = writer(out, cases, pseudonymise)
        approval = {"approval": options["approval"]} if options["approval"] else {}
        record("cli", "export", format=options["format"], pseudonymised=pseudonymise, **approval, **counts)
        if options["output"]:
            summary = ", ".join(f"{n} {what}" for what, n in counts.items())
            self.stderr.write(f"Exported {summary} to {options['output']}.")

    @contextmanager
    def open_output(self, path):
        if not path:
            yield _Unterminated(self.stdout)
            return
        # Readable by the owner only: a full export holds identity data.
        try:
            fd = os.open(Path(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError as e:
            raise CommandError(f"cannot write {path} ({e.strerror})") from e
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            yield f


class _Unterminated:
    """The command's stdout, without the line ending OutputWrapper adds to every write."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text):
        self.wrapper.write(text, ending="")


def select_cases(references):
    try:
        return cases_by_reference(references)
    except LookupError as e:
        raise CommandError(str(e)) from e


def write_csv(out, cases, pseudonymise) -> dict:
    columns = CSV_COLUMNS + ([] if pseudonymise else CSV_IDENTITY_COLUMNS)
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    incidents = 0
    for case in cases:
        for incident in exporting.incidents_of(case):
            data = exporting.incident_dict(incident, pseudonymise)
            data.update(case=case.reference, incident=data["id"], tactics=";".join(data["tactics"]))
            for column in CSV_IDENTITY_COLUMNS:
                if column in data:
                    data[column] = neutralise_formula(data[column])
            writer.writerow(data)
            incidents += 1
    return {"cases": len(cases), "incidents": incidents}


def neutralise_formula(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def write_json(out, cases, pseudonymise) -> dict:
    exported, organisations = [], {}
    counts = {"cases": len(cases), "persons": 0, "incidents": 0, "notices": 0, "alerts": 0, "risk_assessments": 0}
    notices = [exporting.notice_dict(n, pseudonymise) for n in exporting.notices_of(cases)]
    notice_ids = {n["id"] for n in notices}
    for case in cases:
        incidents = list(exporting.incidents_of(case))
        processes = list(exporting.legal_processes_of(case))
        persons = [exporting.person_dict(p, pseudonymise) for p in exporting.persons_of(case)]
        data = exporting.case_dict(case, pseudonymise)
        data.update(
            persons=persons,
            incidents=[exporting.incident_dict(i, pseudonymise) for i in incidents],
            legal_processes=[exporting.legal_process_dict(p, pseudonymise) for p in processes],
            sources=[exporting.source_dict(s, pseudonymise) for s in exporting.sources_of(case)],
            alerts=[exporting.alert_dict(a, pseudonymise, notice_ids) for a in exporting.alerts_of(case)],
            risk_assessments=[exporting.risk_assessment_dict(r, pseudonymise) for r in exporting.risk_assessments_of(case)],
        )
        counts["alerts"] += len(data["alerts"])
        counts["risk_assessments"] += len(data["risk_assessments"])
        for organisation in exporting.organisations_referenced(incidents, processes):
            organisations[organisation.pk] = exporting.organisation_dict(organisation)
        exported.append(data)
        counts["persons"] += len(persons)
        counts["incidents"] += len(incidents)
    document = {
        "format": "shelter-export",
        "version": 1,
        "exported_at": timezone.now().isoformat(),
        "pseudonymised": pseudonymise,
        "cases": exported,
        "organisations": list(organisations.values()),
        "notices": notices,
    }
    counts["notices"] = len(notices)
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return counts


def write_ftm(out, cases, pseudonymise) -> dict:
    counts = {"cases": len(cases), "entities": 0}
    written = set()

    def emit(entity):
        if entity.id not in written:
            written.add(entity.id)
            out.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            counts["entities"] += 1

    for case in cases:
        for entity in case_entities(case, pseudonymise):
            emit(entity)
    return counts


def case_entities(case, pseudonymise):
    """The FtM entities of one case: persons and organisations before the events and links that
    refer to them."""
    incidents = list(exporting.incidents_of(case))
    processes = list(exporting.legal_processes_of(case))
    person_ids = {}
    for person in exporting.persons_of(case):
        entity = ftm.person(ftm_person_data(person, pseudonymise))
        person_ids[person.pk] = entity.id
        yield entity
    organisation_ids = {}
    for organisation in exporting.organisations_referenced(incidents, processes):
        entity = ftm.organisation({"key": str(organisation.pk), **exporting.organisation_dict(organisation)})
        organisation_ids[organisation.pk] = entity.id
        yield entity
    for incident in incidents:
        yield from incident_entities(incident, pseudonymise, person_ids, organisation_ids)
    for process in processes:
        yield from ftm.legal_process(ftm_process_data(process, pseudonymise), person_ids[process.person_id])


def ftm_person_data(person, pseudonymise) -> dict:
    data = {
        "key": person.pseudonym if pseudonymise else str(person.pk),
        "fallback_name": person.pseudonym,
        "nationalities": person.nationalities,
        "gender": person.gender,
    }
    if not pseudonymise:
        data.update(
            names=[(exporting.revealed(n.value), n.kind) for n in person.names.all()],
            birth_date=exporting.revealed(person.birth_date),
            birth_place=exporting.revealed(person.birth_place),
        )
    return data


def incident_entities(incident, pseudonymise, person_ids, organisation_ids):
    organizers = []
    for involvement in incident.involvements.all():
        if involvement.organisation_id:
            organizers.append(organisation_ids[involvement.organisation_id])
        name = None if pseudonymise else exporting.involvement_name(involvement)
        if name:
            officer = ftm.officer({"key": str(involvement.pk), "name": name})
            organizers.append(officer.id)
            yield officer
    acts = list(incident.acts.all())
    data = exporting.incident_dict(incident, pseudonymise)
    data.update(key=str(incident.pk), name=data.get("title") or incident.label())
    event = ftm.event(data, involved=[person_ids[act.person_id] for act in acts], organizers=organizers)
    yield event
    for act in acts:
        yield ftm.act_link(str(act.pk), person_ids[act.person_id], event.id, act.role)
        if act.proxy_for_id in person_ids:
            yield ftm.relative_link(str(act.pk), person_ids[act.proxy_for_id], person_ids[act.person_id])


def ftm_process_data(process, pseudonymise) -> dict:
    data = {
        "key": str(process.pk),
        "name": str(process.get_kind_display()),
        "kind": process.kind,
        "status": process.status,
        "requesting_state": process.requesting_state,
        "deciding_state": process.deciding_state,
        "court": process.deciding_body.name if process.deciding_body else "",
        "opened_on": process.opened_on,
        "decided_on": process.decided_on,
    }
    if not pseudonymise:
        data.update(reference=exporting.revealed(process.reference), outcome=exporting.revealed(process.outcome))
    return data
