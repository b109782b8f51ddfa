"""The screening index in the database: keyed digests of the blocking keys of every person's names,
kept in step with the names wherever they change (save, bulk import, deletion, crypto-erasure,
reindex, backup)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from shelter.audit.models import AuditEvent
from shelter.matching import keys, person as matching
from shelter.exchange import person_lines
from shelter.ops.person_import import import_persons
from shelter.records import name_index, sealing
from shelter.records.models import BlockingKey, Case, NameToken, Person, PersonName
from shelter.screening import registry
from shelter.security import lockdown

RAHMONOVA = "Зарина Раҳмонова"


def stored(**where) -> set[int]:
    return set(BlockingKey.objects.filter(**where).values_list("digest", flat=True))


def expected(*values) -> set[int]:
    return set().union(*(name_index.blocking_digests(value) for value in values))


def plaintext_keys(*values) -> set[str]:
    return set().union(*(keys.blocking_keys(matching.prepare_name(value)) for value in values))


def screen_karimov(user):
    return [alert.person for alert in registry.screen(user, matching.make("Ulugbek Karimov"))]


# --- kept in step with the names ---------------------------------------------------------------


def test_saving_a_name_indexes_its_blocking_keys(person):
    assert stored(person=person) == expected("Улугбек Каримов", "Ulugbek Karimov") != set()
    assert set(BlockingKey.objects.values_list("person_id", "case_id").distinct()) == {(person.pk, person.case_id)}


def test_changing_a_name_replaces_its_keys(person):
    name = person.names.get(kind="alias")
    name.value = "Rustam Nazarov"
    name.save()
    assert stored(person=person) == expected("Улугбек Каримов", "Rustam Nazarov")
    assert not stored(person=person) & (expected("Ulugbek Karimov") - expected("Улугбек Каримов"))


def test_deleting_a_name_or_its_person_removes_its_keys(person):
    alias = person.names.get(kind="alias")
    alias.delete()
    assert stored(person=person) == expected("Улугбек Каримов")
    person.delete()
    assert not BlockingKey.objects.exists()


def test_a_name_the_matcher_refuses_gets_no_blocking_keys(person):
    before = stored(person=person), set(NameToken.objects.filter(person=person).values_list("digest", flat=True))
    PersonName.objects.create(person=person, value="Z", kind="alias")
    assert stored(person=person) == before[0]
    tokens = set(NameToken.objects.filter(person=person).values_list("digest", flat=True))
    assert tokens == before[1] | name_index.search_digests("Z") != before[1]  # still found by the name search


@pytest.mark.attack("keys")
def test_the_database_holds_no_plaintext_blocking_key(person):
    rows = list(BlockingKey.objects.values_list("digest", flat=True))
    plain = plaintext_keys("Улугбек Каримов", "Ulugbek Karimov")
    assert rows and not set(rows) & plain
    assert all(isinstance(d, int) for d in rows)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {BlockingKey._meta.db_table}")
        dump = repr(cursor.fetchall()).lower()
    for fragment in ["karimov", "каримов", "ulugbek", "улугбек", *(key.lower() for key in plain)]:
        assert fragment not in dump


@pytest.mark.attack("keys")
def test_blocking_digests_are_keyed_and_apart_from_search_digests(person):
    assert not stored() & set(NameToken.objects.values_list("digest", flat=True))
    # Under another instance's blind-index key the same name gives other digests: they cannot be
    # computed, or compared across instances, without the key.
    with sealing.scope() as scope:
        scope.case_keys["index"] = b"\x01" * 32
        assert not name_index.blocking_digests("Ulugbek Karimov") & stored()


def import_lines(case, *lines):
    records = list(person_lines.read(json.dumps(line, ensure_ascii=False) for line in lines))
    assert all(isinstance(r, person_lines.PersonLine) for r in records)
    import_persons(case, records)


def test_a_bulk_import_indexes_names_as_saving_them_would(case):
    import_lines(
        case,
        {"id": "p-1", "name": "Улугбек Каримов", "aliases": ["Ulugbek Karimov"]},
        {"id": "p-2", "name": RAHMONOVA, "aliases": ["K"]},
    )
    for person in Person.objects.filter(case=case):
        with sealing.scope():
            values = [name.value for name in person.names.all()]
        assert stored(person=person) == expected(*values) != set()


def test_an_import_adding_an_alias_indexes_it(case):
    import_lines(case, {"id": "p-1", "name": "Улугбек Каримов"})
    import_lines(case, {"id": "p-1", "name": "Улугбек Каримов", "aliases": ["Ulugbek Karimov"]})
    assert stored() == expected("Улугбек Каримов", "Ulugbek Karimov")


@pytest.mark.attack("crypto-erasure")
def test_erasing_a_case_removes_its_blocking_keys(person, caseworker):
    other = Case.objects.create(title="Another case")
    kept = Person.objects.create(case=other)
    PersonName.objects.create(person=kept, value=RAHMONOVA)
    person.case.erase()
    assert not BlockingKey.objects.filter(case=person.case).exists()
    assert BlockingKey.objects.filter(case=other).exists()
    assert screen_karimov(caseworker) == []


# --- shelter screening reindex -----------------------------------------------------------------


def reindex():
    out, err = io.StringIO(), io.StringIO()
    call_command("screening", "reindex", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_reindex_rebuilds_the_keys(person, caseworker):
    before = set(BlockingKey.objects.values_list("person_id", "case_id", "digest"))
    BlockingKey.objects.all().delete()
    BlockingKey.objects.create(person=person, case=person.case, digest=0)  # stale
    out, _ = reindex()
    assert set(BlockingKey.objects.values_list("person_id", "case_id", "digest")) == before
    assert f"{len(before)} blocking keys for 2 names" in out
    assert screen_karimov(caseworker) == [person]


def test_reindex_is_audited_with_counts_only(person, informant):
    from shelter.actors.models import ActorNameKey

    reindex()
    event = AuditEvent.objects.get(object_type="screening_index")
    assert event.action == "update" and event.actor_name == "cli"
    assert event.detail == {"names": 2, "tokens": NameToken.objects.count(), "keys": BlockingKey.objects.count(),
                            "actor_names": 1, "actor_keys": ActorNameKey.objects.count()}
    assert "Karimov" not in json.dumps(event.detail, ensure_ascii=False)


def test_reindex_leaves_erased_cases_out(person):
    erased = Case.objects.create(title="Erased")
    gone = Person.objects.create(case=erased)
    PersonName.objects.create(person=gone, value=RAHMONOVA)
    erased.erase()
    reindex()
    assert not BlockingKey.objects.filter(case=erased).exists()
    assert BlockingKey.objects.filter(case=person.case).exists()


def test_reindex_shows_progress_on_stderr_only(person):
    out, err = reindex()
    assert "Indexing names" not in out
    assert "Karimov" not in out + err and "Каримов" not in out + err


def test_reindex_refuses_during_a_lockdown(person, administrator):
    lockdown.turn_on(administrator)
    with pytest.raises(CommandError, match="lockdown"):
        reindex()
    assert BlockingKey.objects.exists()


# --- keys and backups --------------------------------------------------------------------------


@pytest.fixture
def own_key_file(settings, tmp_path):
    """A key file of this test's own (as in test_cmd_keys): a rotation must not change the session's."""
    settings.SHELTER_MASTER_KEY_FILE = tmp_path / "home" / "master.key"
    settings.SHELTER_EVIDENCE_DIR = tmp_path / "evidence"


@pytest.mark.attack("keys")
def test_a_master_key_rotation_keeps_the_blocking_keys_valid(own_key_file, person, caseworker):
    before = stored()
    call_command("keys", "rotate", stdout=io.StringIO(), stderr=io.StringIO())
    sealing._master_key_for.cache_clear()
    assert stored() == before
    with sealing.scope():
        # The blind-index key is re-wrapped, not replaced: the stored digests are still the right ones.
        assert expected("Улугбек Каримов", "Ulugbek Karimov") == before
        assert screen_karimov(caseworker) == [person]


@pytest.mark.attack("backup")
def test_a_backup_carries_the_blocking_keys_and_a_restore_brings_them_back(settings, tmp_path, person, caseworker):
    settings.SHELTER_EVIDENCE_DIR = tmp_path / "evidence"
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("a very long backup passphrase\n")
    archive = tmp_path / "backup.shbk"
    before = set(BlockingKey.objects.values_list("person_id", "case_id", "digest"))
    call_command("backup", "--output", str(archive), "--passphrase-file", str(passphrase),
                 stdout=io.StringIO(), stderr=io.StringIO())
    BlockingKey.objects.all().delete()
    call_command("restore", str(archive), "--passphrase-file", str(passphrase), "--replace",
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert set(BlockingKey.objects.values_list("person_id", "case_id", "digest")) == before
    assert screen_karimov(caseworker) == [Person.objects.get(pk=person.pk)]
