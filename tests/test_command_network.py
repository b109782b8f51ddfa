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


def export(*args):
    out = StringIO()
    call_command("network", "export", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_graphml_export_reads_back_with_the_shared_phone_as_one_node(linked):
    import io

    import networkx as nx

    graph = nx.read_graphml(io.BytesIO(export("--format", "graphml").encode()))
    phones = [n for n, d in graph.nodes(data=True) if d.get("identifier_kind") == "phone"]
    assert len(phones) == 1 and graph.degree(phones[0]) == 2


def test_the_ftm_export_validates_and_a_pseudonymised_one_names_no_one(linked):
    from followthemoney import model

    entities = [model.get_proxy(json.loads(line)) for line in export("--format", "ftm").splitlines()]
    from shelter.network.export import validate

    assert validate(entities) == [] and any("+998901234567" in e.get("phone") for e in entities if e.schema.name == "Person")
    hidden = export("--format", "gexf", "--pseudonymise")
    assert "99890" not in hidden and "A-" in hidden


def test_an_identity_export_needs_the_two_person_approval(linked, settings):
    from django.core.management import CommandError

    settings.SHELTER_EXPORT_APPROVAL = True
    with pytest.raises(CommandError, match="two-person approval"):
        export("--format", "ftm")
    assert export("--format", "graphml", "--pseudonymise")


def test_an_export_is_audited(linked):
    export("--format", "gexf", "--pseudonymise")
    assert AuditEvent.objects.filter(action="export", object_type="network", detail__pseudonymised=True).exists()


def test_it_lists_likely_same_actors_with_their_score_but_no_name(informant, same_actor_elsewhere):
    [row] = [row for row in json.loads(links("--json")) if row["kind"] == "same_actor"]
    assert row["score"] == 0.9 and [r["code"] for r in row["reasons"]] == ["name", "organisation"]
    assert sorted(row["actors"]) == sorted([informant.pseudonym, same_actor_elsewhere.pseudonym])
    assert row["cases"] == sorted([informant.case.reference, same_actor_elsewhere.case.reference])
    assert "names" not in row
    for output in (links("--json"), links()):
        assert "Karimov" not in output and "Каримов" not in output
    assert "same_actor 90%" in links()


def test_reveal_prints_the_likely_same_actors_names(informant, same_actor_elsewhere):
    [row] = [row for row in json.loads(links("--json", "--reveal")) if row["kind"] == "same_actor"]
    assert sorted(row["names"]) == ["Rustam Karimov", "Рустам Каримов"]
