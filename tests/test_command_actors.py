"""`shelter actors import FILE.jsonl --case REF`: actors and identifiers into a case (created when it does
not exist, and said so), re-importing updates, bad lines named by number and nothing half-imported."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shelter.actors.models import Actor, Identifier, Link, LinkStatus
from shelter.audit.models import AuditEvent
from shelter.records import sealing
from shelter.records.models import Case, Incident

pytestmark = pytest.mark.django_db

RUSTAM = {"id": "a-1", "name": "Рустам", "aliases": ["Rustam K."], "kind": "informant", "organisation": "SNB",
          "identifiers": [{"kind": "phone", "value": "+998 90 123-45-67"}, {"kind": "telegram", "value": "@rustam_k"},
                          {"kind": "plate", "value": "01 A 123 BC", "country": "UZ"}]}


def write(tmp_path, *actors, raw=()):
    path = tmp_path / "actors.jsonl"
    path.write_text("\n".join([json.dumps(a, ensure_ascii=False) for a in actors] + list(raw)) + "\n", encoding="utf-8")
    return path


def run(*args):
    out = StringIO()
    call_command("actors", "import", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_creates_the_case_says_so_and_imports_the_actors(tmp_path):
    output = run(write(tmp_path, RUSTAM), "--case", "NGO-2026-17")
    case = Case.objects.get(reference="NGO-2026-17")
    assert "did not exist: created" in output and "1 actor created" in output
    actor = Actor.objects.get(case=case)
    with sealing.scope(reveal=True):
        assert sorted(n.value for n in actor.names.all()) == ["Rustam K.", "Рустам"]
        assert actor.organisation.name == "SNB" and actor.kind == "informant"
    assert actor.identifiers.count() == 3
    assert AuditEvent.objects.filter(action="import", detail__what="actors").exists()


def test_reimporting_updates_instead_of_duplicating(tmp_path, case):
    run(write(tmp_path, RUSTAM), "--case", case.reference)
    changed = {**RUSTAM, "identifiers": RUSTAM["identifiers"][:1] + [{"kind": "email", "value": "r@example.org"}]}
    output = run(write(tmp_path, changed), "--case", case.reference)
    assert "0 actors created, 1 updated" in output
    assert sorted(Identifier.objects.values_list("kind", flat=True)) == ["email", "phone"]


def test_a_reimport_keeps_a_coordinators_decision_on_a_link(tmp_path, case, db):
    other = Case.objects.create(title="Other")
    run(write(tmp_path, RUSTAM), "--case", case.reference)
    run(write(tmp_path, {**RUSTAM, "id": "x"}), "--case", other.reference)
    link = Link.objects.get(identifier_kind="phone")
    link.status = LinkStatus.REJECTED
    link.save()
    run(write(tmp_path, {**RUSTAM, "name": "Рустам Каримов"}), "--case", case.reference)
    assert Link.objects.get(pk=link.pk).status == LinkStatus.REJECTED


def test_the_links_across_cases_are_found_after_the_import(tmp_path, case):
    other = Case.objects.create(title="Other")
    run(write(tmp_path, RUSTAM), "--case", case.reference)
    run(write(tmp_path, {"id": "z", "name": "Unknown", "identifiers": [{"kind": "phone", "value": "998901234567"}]}),
        "--case", other.reference)
    assert Link.objects.filter(identifier_kind="phone").count() == 1


def test_bad_lines_are_named_by_number_and_nothing_is_imported(tmp_path, case):
    bad_phone = {"id": "b", "name": "B", "identifiers": [{"kind": "phone", "value": "12345", "country": "UZ"}]}
    path = write(tmp_path, RUSTAM, bad_phone, raw=["{not json", json.dumps({"id": "c", "name": "C", "kind": "spy"})])
    with pytest.raises(CommandError) as error:
        run(path, "--case", case.reference)
    message = str(error.value)
    assert "line 2: id 'b': identifier 1 (phone): not a valid phone number in UZ" in message
    assert "line 3: not JSON" in message and "line 4: id 'c': 'kind' must be one of" in message
    assert "nothing was imported" in message and "12345" not in message
    assert not Actor.objects.exists()


def test_partial_imports_the_good_lines_and_still_fails(tmp_path, case):
    path = write(tmp_path, RUSTAM, raw=["{not json"])
    with pytest.raises(CommandError, match="the other lines were imported"):
        run(path, "--case", case.reference, "--partial")
    assert Actor.objects.count() == 1


def test_an_actor_is_recorded_as_involved_in_the_incidents_it_names(tmp_path, case):
    incident = Incident.objects.create(case=case, title="Approach in Istanbul", date="2025-03", origin_state="UZ", host_state="TR")
    run(write(tmp_path, {**RUSTAM, "incidents": [str(incident.pk)]}), "--case", case.reference)
    assert incident.involvements.get().actor == Actor.objects.get()


def test_an_unknown_incident_refuses_the_whole_file(tmp_path, case):
    path = write(tmp_path, RUSTAM, {**RUSTAM, "id": "a-2", "incidents": ["00000000-0000-0000-0000-000000000000"]})
    with pytest.raises(CommandError, match="line 2: id 'a-2': no incident"):
        run(path, "--case", case.reference)
    assert not Actor.objects.exists()


def test_an_erased_case_and_a_bad_reference_are_refused(tmp_path, case):
    case.erase()
    with pytest.raises(CommandError, match="crypto-erased"):
        run(write(tmp_path, RUSTAM), "--case", case.reference)
    with pytest.raises(CommandError, match="1 to 30 letters"):
        run(write(tmp_path, RUSTAM), "--case", "a b c")
