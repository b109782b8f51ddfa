"""The name index's rows follow their names wherever they are written (save, bulk import) or
destroyed (crypto-erasure): search tokens and blocking keys, each in its own HMAC domain, one row
per person and digest."""

from django.db import connection

from shelter.exchange import person_lines
from shelter.ops.person_import import import_persons
from shelter.records import name_index
from shelter.records.models import BlockingKey, Case, NameToken, Person, PersonName


def digests(model, **where) -> set[int]:
    return set(model.objects.filter(**where).values_list("digest", flat=True))


def test_saving_a_name_writes_both_indexes_for_its_person(person):
    values = [name.value for name in person.names.all()]
    assert len(values) == 2
    assert digests(NameToken, person=person) == set().union(*map(name_index.search_digests, values)) != set()
    assert digests(BlockingKey, person=person) == set().union(*map(name_index.blocking_digests, values)) != set()


def test_a_digest_two_names_share_is_stored_once_per_person(person):
    # Улугбек Каримов and Ulugbek Karimov sound alike: most of their forms are the same.
    shared = name_index.blocking_digests("Улугбек Каримов") & name_index.blocking_digests("Ulugbek Karimov")
    assert shared
    for model in (NameToken, BlockingKey):
        rows = list(model.objects.filter(person=person).values_list("digest", flat=True))
        assert len(rows) == len(set(rows))


def test_digests_are_64_bit_integers(person):
    for model in (NameToken, BlockingKey):
        assert all(isinstance(d, int) and -(2**63) <= d < 2**63 for d in digests(model))


def test_the_two_indexes_never_share_a_digest(person):
    assert not digests(NameToken) & digests(BlockingKey)


def test_no_index_row_holds_a_name(person):
    with connection.cursor() as cursor:
        for model in (NameToken, BlockingKey):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")
            text = repr(cursor.fetchall()).lower()
            assert "karimov" not in text and "каримов" not in text and "karimav" not in text


def test_a_bulk_import_writes_the_rows_a_save_would(case):
    saved = Person.objects.create(case=case)
    PersonName.objects.create(person=saved, value="Ҳасанов Ҳайдар")
    import_persons(case, list(person_lines.read(['{"id": "r-1", "name": "Ҳасанов Ҳайдар"}'])))
    imported = Person.objects.with_external_id("r-1").get()
    for model in (NameToken, BlockingKey):
        assert digests(model, person=imported) == digests(model, person=saved) != set()


def test_crypto_erasure_removes_both_indexes_rows_of_that_case_only(person, elsewhere):
    person.case.erase()
    for model in (NameToken, BlockingKey):
        assert not model.objects.filter(case=person.case).exists()
        assert model.objects.filter(case=elsewhere.case).exists()


def test_deleting_a_case_removes_its_rows(person):
    Case.objects.filter(pk=person.case_id).delete()
    assert not NameToken.objects.exists() and not BlockingKey.objects.exists()


def test_a_restore_loads_no_index_rows_from_an_archive():
    import json

    from shelter.ops.management.commands.restore import without_name_index

    archived = [
        {"model": "records.person", "pk": "p"},
        {"model": "records.nametoken", "pk": 1},
        {"model": "screening.blockingkey", "pk": 2},  # as an archive of an older release names it
        {"model": "records.blockingkey", "pk": 3},
        {"model": "records.nameindexversion", "pk": 1},
    ]
    assert json.loads(without_name_index(json.dumps(archived).encode())) == archived[:1]


def test_a_person_with_the_most_and_longest_names_writes_at_most_the_stated_rows(case):
    # The bound SECURITY.md states: MAX_KEYS blocking keys per name (before it, one person of ten
    # long names wrote 221,600 rows).
    from shelter.matching import MAX_NAMES
    from shelter.matching.keys import MAX_KEYS

    from .worst_names import worst_names

    worst = Person.objects.create(case=case)
    for value in worst_names(seed=5, count=MAX_NAMES):
        PersonName.objects.create(person=worst, value=value, kind="alias")
    assert BlockingKey.objects.filter(person=worst).count() <= MAX_NAMES * MAX_KEYS
    assert NameToken.objects.filter(person=worst).count() <= 1000
