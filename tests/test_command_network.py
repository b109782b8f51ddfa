"""`shelter network links`: the links between cases for the operator; never an identifier's value
unless --reveal is given, and that read audited."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from shelter.actors.models import Actor, Identifier
from shelter.audit.models import AuditEvent
from shelter.records.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(case):
    other = Case.objects.create(title="Other")
    for owner, value, external in ((case, "+998 90 123-45-67", "a-1"), (other, "998901234567", "")):
        actor = Actor.objects.create(case=owner, external_id=external)
        Identifier.objects.create(actor=actor, kind="phone", value=value)
    return case, other


def links(*args):
    out = StringIO()
    call_command("network", "links", *args, stdout=out)
    return out.getvalue()


def test_it_lists_each_link_with_its_cases_and_actors_but_no_value(linked):
    case, other = linked
    [row] = json.loads(links("--json"))
    assert row["kind"] == "identifier" and row["identifier_kind"] == "phone" and row["status"] == "open"
    assert row["cases"] == sorted([case.reference, other.reference])
    assert "a-1" in row["actors"] and any(a.startswith("A-") for a in row["actors"])
    assert "value" not in row and "99890" not in links("--json") and "99890" not in links()


def test_reveal_prints_the_value_and_is_audited(linked):
    [row] = json.loads(links("--json", "--reveal"))
    assert row["value"] in ("+998 90 123-45-67", "998901234567")
    assert AuditEvent.objects.filter(action="read_identity", object_type="link").exists()


def test_no_link_says_so(db):
    assert "no link between cases" in links()
