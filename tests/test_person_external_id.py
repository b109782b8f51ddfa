"""The external reference (a UNHCR or passport number, a registry's id) is identity data: sealed,
shown to those who read identity only, gone with the case's key, found again by a keyed digest."""

import pytest
from django.db import connection

from shelter.records import external_ids
from shelter.records.models import Person

from .conftest import login

REFERENCE = "UNHCR-521-00042"


@pytest.fixture
def referenced(case):
    return Person.objects.create(case=case, external_id=REFERENCE)


def stored_row(person) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM records_person WHERE id = %s", [person.pk.hex if connection.vendor == "sqlite" else person.pk])
        return repr(cursor.fetchone())


@pytest.mark.attack("data-at-rest")
def test_the_database_holds_no_reference_in_clear(referenced):
    assert REFERENCE not in stored_row(referenced)
    assert Person.objects.get(pk=referenced.pk).external_id == REFERENCE


@pytest.mark.attack("idor")
def test_a_researcher_does_not_see_it_on_the_person_page(client, researcher, referenced):
    login(client, researcher)
    page = client.get(f"/persons/{referenced.pk}/").content.decode()
    assert REFERENCE not in page and "External reference" not in page


def test_a_caseworker_sees_it(client, caseworker, referenced):
    login(client, caseworker)
    assert REFERENCE in client.get(f"/persons/{referenced.pk}/").content.decode()


def test_a_person_is_found_by_it_within_its_case(case, elsewhere, referenced):
    Person.objects.create(case=elsewhere.case, external_id=REFERENCE)
    assert list(Person.objects.filter(case=case).with_external_id(REFERENCE)) == [referenced]
    assert not Person.objects.with_external_id("UNHCR-521-00043").exists()
    assert not Person.objects.with_external_id("").exists()


def test_changing_it_moves_the_digest(referenced):
    referenced.external_id = "UNHCR-NEW"
    referenced.save(update_fields=["external_id"])
    assert list(Person.objects.with_external_id("UNHCR-NEW")) == [referenced]
    assert not Person.objects.with_external_id(REFERENCE).exists()


@pytest.mark.attack("crypto-erasure")
def test_erasure_leaves_neither_the_value_nor_its_digest(case, referenced):
    case.erase()
    person = Person.objects.get(pk=referenced.pk)
    assert person.external_id == "[erased]"
    assert person.external_id_index == ""
    assert not Person.objects.with_external_id(REFERENCE).exists()


@pytest.mark.attack("data-at-rest")
def test_a_reference_stored_in_clear_before_the_upgrade_is_sealed_and_found(case):
    person = Person.objects.create(case=case)
    Person.objects.filter(pk=person.pk).update(external_id_legacy=REFERENCE)  # as migration 0007 leaves it
    assert external_ids.seal_legacy() == 1
    assert REFERENCE not in stored_row(person)
    assert list(Person.objects.with_external_id(REFERENCE)) == [person]
    assert Person.objects.get(pk=person.pk).external_id == REFERENCE


def test_reindex_rebuilds_the_digests(referenced):
    Person.objects.filter(pk=referenced.pk).update(external_id_index="")
    assert external_ids.reindex() == 1
    assert list(Person.objects.with_external_id(REFERENCE)) == [referenced]


def test_an_archive_made_before_the_reference_was_sealed_restores_it_sealed(referenced):
    import json

    from django.core import serializers

    from shelter.ops import sealed_json

    sealed_json.register()
    rows = json.loads(serializers.serialize(sealed_json.FORMAT, Person.objects.all()))
    for row in rows:  # as such an archive has it: the reference in clear, no digest, no legacy column
        del row["fields"]["external_id_index"], row["fields"]["external_id_legacy"]
        row["fields"]["external_id"] = REFERENCE
    Person.objects.all().delete()

    sealed_json.save_all(sealed_json.Deserializer(json.dumps(rows)))
    external_ids.reindex()

    assert REFERENCE not in stored_row(referenced)
    assert Person.objects.with_external_id(REFERENCE).get().external_id == REFERENCE
