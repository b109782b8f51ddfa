"""``shelter demo --scale N``: fictional persons, cases and incidents at scale through the bulk paths —
sealed, indexed for search and screening, with access lists — added once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from shelter.matching import make
from shelter.ops.demo_data import SCALE_MARKER
from shelter.records.models import Case, CaseAccess, Incident, Person, PersonName
from shelter.screening import registry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def contained_demo_mode(settings, monkeypatch):
    monkeypatch.setenv("SHELTER_DEMO", "false")
    settings.SHELTER_DEMO = False


def demo(*args):
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def scale_persons():
    return Person.objects.filter(case__external_source=SCALE_MARKER)


def test_it_adds_persons_in_cases_of_five_with_incidents():
    output = demo("--scale", "60", "--incidents", "20")
    assert "Added fictional scale data: 12 cases, 60 persons" in output
    assert scale_persons().count() == 60
    assert Case.objects.filter(external_source=SCALE_MARKER).count() == 12
    incidents = Incident.objects.filter(case__external_source=SCALE_MARKER)
    assert incidents.count() == 20
    assert all(i.acts.filter(role="victim").count() == 1 and i.tactics.exists() for i in incidents)


def test_names_come_in_several_scripts_and_are_sealed_at_rest():
    demo("--scale", "40")
    names = PersonName.objects.filter(case__external_source=SCALE_MARKER)
    assert {n.script for n in names} >= {"Cyrl", "Latn"}
    name = names.first()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {PersonName._meta.db_table} WHERE id = %s",
                       [PersonName._meta.pk.get_db_prep_value(name.pk, connection)])
        stored = bytes(cursor.fetchone()[0])
    assert name.value.encode() not in stored


def test_the_persons_are_found_by_screening_in_another_script():
    demo("--scale", "40")
    person = scale_persons().filter(names__script="Cyrl").first()
    latin = person.names.filter(script="Latn").first().value
    alerts = registry.screen_among(Case.objects.all(), make(latin))
    assert person.pk in {alert.person.pk for alert in alerts}


def test_the_caseworker_is_given_every_tenth_case():
    demo("--scale", "100")
    cases = Case.objects.filter(external_source=SCALE_MARKER)
    granted = CaseAccess.objects.filter(case__in=cases, user__username="caseworker").count()
    assert granted == 2  # cases 0 and 10 of 20


def test_running_it_again_adds_only_what_is_missing():
    demo("--scale", "30")
    assert "Scale data already loaded (30 persons)." in demo("--scale", "30")
    demo("--scale", "50")
    assert scale_persons().count() == 50
    assert Case.objects.filter(external_source=SCALE_MARKER).values("reference").distinct().count() == 10


def test_a_negative_scale_is_refused_with_the_reason():
    with pytest.raises(CommandError, match="0 or more"):
        demo("--scale", "-5")
    assert not Person.objects.exists()
