import pytest
from django.db import transaction

from shelter.records import sealing
from shelter.records.models import Case, Person, PersonName


def test_it_round_trips_identity_data(person):
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.birth_date == "1979-08"
    assert fresh.primary_name() == "Улугбек Каримов"


def test_it_stores_no_plaintext_in_the_row(person):
    raw = Person.objects.filter(pk=person.pk).values_list("birth_date", flat=True).get()
    assert b"1979" not in bytes(raw)


def test_it_hides_identity_outside_a_revealing_scope(person):
    with sealing.scope(reveal=False):
        fresh = Person.objects.get(pk=person.pk)
        assert isinstance(fresh.birth_date, sealing.Hidden)
        assert fresh.display_name() == fresh.pseudonym


def test_it_refuses_to_save_hidden_values(person):
    from django.core.exceptions import PermissionDenied

    with sealing.scope(reveal=False):
        fresh = Person.objects.get(pk=person.pk)
        fresh.save()  # untouched ciphertext is written back as it was
        fresh.birth_place = fresh.birth_date  # a form round-tripping the [hidden] marker
        with pytest.raises(PermissionDenied), transaction.atomic():
            fresh.save()
    assert Person.objects.get(pk=person.pk).birth_date == "1979-08"


@pytest.mark.attack("crypto-erasure")
def test_crypto_erasure_makes_data_unreadable(person):
    person.case.erase()
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.birth_date.reason == "erased"
    assert Case.objects.get(pk=person.case_id).erased


@pytest.mark.attack("crypto-erasure")
def test_a_value_moved_to_another_row_does_not_decrypt(case, person):
    other = Person.objects.create(case=case, birth_date="1990")
    stolen = Person.objects.filter(pk=person.pk).values_list("birth_date", flat=True).get()
    Person.objects.filter(pk=other.pk).update(birth_date=stolen)
    from shelter.crypto.aead import DecryptionError

    with pytest.raises(DecryptionError):
        Person.objects.get(pk=other.pk).birth_date


def test_names_are_indexed_by_blind_tokens_across_scripts(person):
    from shelter.screening.search import find_persons

    assert list(find_persons(Person.objects.all(), "karimov")) == [person]
    assert list(find_persons(Person.objects.all(), "КАРИМОВ улугбек")) == [person]
    assert list(find_persons(Person.objects.all(), "Rakhimov")) == []
    assert not PersonName.objects.filter(pk__in=[]).exists()
