"""Names of officers and informants written on involvements before actors were records move into actors
of the same case: right after ``migrate``, in ``shelter screening reindex``; sealed all the way."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from shelter.actors import legacy
from shelter.actors.models import Actor, ActorName
from shelter.audit.models import AuditEvent
from shelter.records.models import Case, Incident, Involvement, Organisation


@pytest.fixture
def incident(case):
    return Incident.objects.create(case=case, title="Visit at the flat", date="2021-03", origin_state="UZ", host_state="TR")


@pytest.fixture
def snb(db):
    return Organisation.objects.create(name="SNB", kind="security_service", country="UZ")


@pytest.fixture
def police(db):
    return Organisation.objects.create(name="Istanbul police", kind="police", country="TR")


def named(incident, name, kind="informant", organisation=None):
    """An involvement as older records have it: a name written on it, no actor."""
    return Involvement.objects.create(incident=incident, actor_kind=kind, organisation=organisation, actor_name=name)


def another_incident(case):
    return Incident.objects.create(case=case, date="2022", origin_state="UZ", host_state="RU")


def stored(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a fixed table name of this test
        return repr(cursor.fetchall())


def test_it_moves_an_informants_name_into_an_actor_of_the_same_case(case, incident):
    involvement = named(incident, "Bobur the neighbour")
    assert legacy.move_named_involvements() == 1
    involvement.refresh_from_db()
    actor = involvement.actor
    assert actor.case == case and actor.kind == "informant" and actor.confidence == "alleged"
    assert actor.primary_name() == "Bobur the neighbour"
    assert involvement.actor_name == ""


@pytest.mark.parametrize(("organisation", "kind"), [("snb", "intelligence_officer"), ("police", "police"), (None, "unknown")])
def test_an_officer_becomes_the_kind_of_officer_their_agency_tells(request, incident, organisation, kind):
    agency = request.getfixturevalue(organisation) if organisation else None
    involvement = named(incident, "Major Rustamov", kind="officer", organisation=agency)
    legacy.move_named_involvements()
    actor = Involvement.objects.get(pk=involvement.pk).actor
    assert actor.kind == kind and actor.organisation == agency


def test_an_officer_of_a_court_is_of_unknown_kind(incident):
    court = Organisation.objects.create(name="Tashkent city court", kind="court", country="UZ")
    named(incident, "Judge Aliev", kind="officer", organisation=court)
    legacy.move_named_involvements()
    assert Actor.objects.get().kind == "unknown"


def test_the_same_name_in_one_case_is_one_actor(case, incident):
    first = named(incident, "Major  Rustamov", kind="officer")
    second = named(another_incident(case), "major rustamov ", kind="officer")
    assert legacy.move_named_involvements() == 2
    assert Actor.objects.count() == 1
    assert Involvement.objects.get(pk=first.pk).actor == Involvement.objects.get(pk=second.pk).actor


def test_an_actor_the_case_already_has_is_reused(case, incident, informant):
    named(incident, "рустам каримов")
    legacy.move_named_involvements()
    assert Actor.objects.count() == 1
    assert Involvement.objects.get().actor == informant


def test_the_same_name_in_two_cases_is_never_one_actor(case, incident, other_caseworker):
    other_case = Case.objects.create(title="Another family")
    named(incident, "Major Rustamov", kind="officer")
    named(another_incident(other_case), "Major Rustamov", kind="officer")
    legacy.move_named_involvements()
    assert sorted(str(a.case_id) for a in Actor.objects.all()) == sorted([str(case.pk), str(other_case.pk)])
    for involvement in Involvement.objects.select_related("actor"):
        assert involvement.actor.case_id == involvement.case_id


@pytest.mark.attack("crypto-erasure")
def test_an_erased_case_is_left_alone(case, incident):
    involvement = named(incident, "Bobur the neighbour")
    case.erase()
    assert legacy.move_named_involvements() == 0
    assert not Actor.objects.exists()
    assert Involvement.objects.get(pk=involvement.pk).actor is None


def test_it_is_idempotent(case, incident):
    named(incident, "Bobur the neighbour")
    named(incident, "   ")  # a blank name: nothing to move, and nothing to keep
    assert legacy.move_named_involvements() == 1
    events = AuditEvent.objects.count()
    assert legacy.move_named_involvements() == 0
    assert Actor.objects.count() == 1 and AuditEvent.objects.count() == events
    assert not Involvement.objects.filter(actor_name__isnull=False).exists()


def test_an_involvement_with_an_actor_keeps_it(incident, informant):
    involvement = Involvement.objects.create(incident=incident, actor_kind="informant", actor=informant)
    assert legacy.move_named_involvements() == 0
    assert Involvement.objects.get(pk=involvement.pk).actor == informant


@pytest.mark.attack("data-at-rest")
def test_the_name_stays_sealed_in_the_database(incident):
    named(incident, "Bobur Tashmatov")
    legacy.move_named_involvements()
    assert ActorName.objects.get().value == "Bobur Tashmatov"
    for table in ("records_involvement", "actors_actor", "actors_actorname", "audit_auditevent"):
        assert "Tashmatov" not in stored(table), table


def test_the_move_is_audited_as_the_systems_doing(case, incident):
    named(incident, "Bobur the neighbour")
    legacy.move_named_involvements()
    actor = Actor.objects.get()
    assert AuditEvent.objects.filter(action="create", object_type="actor", object_id=str(actor.pk), actor_name="system").exists()
    changed = AuditEvent.objects.get(action="update", object_type="incident", object_id=str(incident.pk))
    assert changed.fields == ["involvements"] and str(changed.case_id) == str(case.pk)


def test_it_runs_right_after_migrate(incident):
    involvement = named(incident, "Bobur the neighbour")
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    assert Involvement.objects.get(pk=involvement.pk).actor is not None


def test_without_the_master_key_migrate_says_what_to_run(settings, tmp_path, incident, capsys):
    involvement = named(incident, "Bobur the neighbour")
    key_file = tmp_path / "master.key"
    key_file.write_text("not a key\n")
    settings.SHELTER_MASTER_KEY_FILE = key_file
    legacy.move_after_migrate(sender=None)
    assert "run `shelter screening reindex` where the master key is available" in capsys.readouterr().err
    assert Involvement.objects.get(pk=involvement.pk).actor_id is None and not Actor.objects.exists()


def test_screening_reindex_moves_them(incident):
    named(incident, "Bobur the neighbour")
    out = io.StringIO()
    call_command("screening", "reindex", stdout=out, stderr=io.StringIO())
    assert "1 names written on incidents moved into actors" in out.getvalue()
    assert Involvement.objects.get().actor.primary_name() == "Bobur the neighbour"
