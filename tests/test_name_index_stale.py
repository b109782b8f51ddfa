"""After an upgrade that changed the matcher's keys, the name index says it must be rebuilt — on the
search and screening pages, in the API and in ``shelter screen`` — until ``shelter screening reindex``
has run; a database without names needs nothing."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from shelter.records import name_index
from shelter.records.models import BlockingKey, NameIndexVersion, NameToken, PersonName

from .apiclient import api, url
from .conftest import login

MESSAGE = "The name index must be rebuilt"


@pytest.fixture
def upgraded(person):
    """A database whose index an older release built: its rows are of other keys, and say so."""
    NameToken.objects.all().delete()
    NameToken.objects.create(person=person, case=person.case, digest=0)
    NameIndexVersion.objects.update_or_create(pk=1, defaults={"version": name_index.VERSION - 1})
    return person


def reindex():
    call_command("screening", "reindex", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_search_and_screening_pages_say_the_index_must_be_rebuilt(client, caseworker, upgraded):
    login(client, caseworker)
    for page in ("/search/", "/screen/"):
        assert MESSAGE in client.get(page).content.decode()
    reindex()
    for page in ("/search/", "/screen/"):
        assert MESSAGE not in client.get(page).content.decode()
    assert list(client.post("/search/", {"q": "Karimov"}).context["results"]) == [upgraded]


def test_the_message_is_in_russian_too(client, caseworker, upgraded):
    login(client, caseworker)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert "Именной указатель нужно перестроить" in client.get("/search/").content.decode()


def test_the_api_refuses_to_answer_from_a_stale_index(caseworker, upgraded):
    client = api(caseworker)
    for response in (
        client.get(url("persons"), {"q": "Karimov"}),
        client.post(url("screen"), {"name": "Ulugbek Karimov"}, content_type="application/json"),
    ):
        assert response.status_code == 503
        assert "shelter screening reindex" in response.json()["detail"]
    reindex()
    assert client.get(url("persons"), {"q": "Karimov"}).status_code == 200


def test_the_reindex_marks_the_index_current_with_both_indexes_rebuilt(upgraded):
    reindex()
    assert not name_index.stale()
    assert NameIndexVersion.objects.get().version == name_index.VERSION
    values = [name.value for name in upgraded.names.all()]
    for model, digests in ((NameToken, name_index.search_digests), (BlockingKey, name_index.blocking_digests)):
        assert set(model.objects.filter(person=upgraded).values_list("digest", flat=True)) == set().union(*map(digests, values))


def test_a_database_without_names_is_never_stale(db):
    NameIndexVersion.objects.update_or_create(pk=1, defaults={"version": name_index.VERSION - 1})
    assert not name_index.stale()


def test_a_database_emptied_since_the_migration_is_current(person):
    NameIndexVersion.objects.all().delete()  # as a flush leaves it; its names were saved by this release
    assert not name_index.stale()


def test_the_migration_stamps_a_database_with_names_as_stale_and_one_without_as_current(db, person):
    migration = importlib.import_module("shelter.records.migrations.0005_name_index")
    migration.stamp(apps, None)
    assert NameIndexVersion.objects.get().version == migration.OLD_VERSION and name_index.stale()
    PersonName.objects.all().delete()
    migration.stamp(apps, None)
    assert NameIndexVersion.objects.get().version == migration.VERSION


def test_the_per_person_migration_leaves_names_to_reindex_and_stamps_a_database_without_names_current(db, person):
    migration = importlib.import_module("shelter.records.migrations.0013_name_index_per_person")
    NameIndexVersion.objects.update_or_create(pk=1, defaults={"version": 2})
    migration.drop_rows(apps, None)
    assert not NameToken.objects.exists() and not BlockingKey.objects.exists() and name_index.stale()
    PersonName.objects.all().delete()
    migration.drop_rows(apps, None)
    assert NameIndexVersion.objects.get().version == migration.VERSION == name_index.VERSION
