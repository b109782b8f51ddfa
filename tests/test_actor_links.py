"""Links across cases from actors' identifiers: the same phone or e-mail written two ways in two cases is
one link; a different one is none; a caseworker learns only that it is recorded elsewhere; values are
sealed at rest and their digests go with an erased case's key."""

import pytest
from django.db import connection

from shelter.actors import links
from shelter.actors.models import Actor, ActorKind, ActorName, Identifier, Link, LinkStatus
from shelter.identifiers.normalise import IdentifierError
from shelter.records.models import Case, CaseAccess


@pytest.fixture
def second_case(db, other_caseworker):
    case = Case.objects.create(title="Другое дело")
    CaseAccess.objects.create(case=case, user=other_caseworker)
    return case


def informant(case, name="Рустам", **identifiers):
    actor = Actor.objects.create(case=case, kind=ActorKind.INFORMANT)
    ActorName.objects.create(actor=actor, value=name)
    for kind, value in identifiers.items():
        Identifier.objects.create(actor=actor, kind=kind, value=value)
    return actor


def test_one_phone_written_two_ways_in_two_cases_is_one_link(case, second_case):
    informant(case, phone="+998 90 123-45-67")
    informant(second_case, phone="998901234567")
    [link] = Link.objects.all()
    assert link.identifier_kind == "phone" and set(link.sides.values_list("case_id", flat=True)) == {case.pk, second_case.pk}


def test_an_email_differing_only_in_case_and_dots_is_one_link(case, second_case):
    informant(case, email="Rustam.Karimov@gmail.com")
    informant(second_case, email="rustamkarimov@GMAIL.com")
    assert Link.objects.get().identifier_kind == "email"


def test_a_whatsapp_account_is_its_phone_number(case, second_case):
    informant(case, phone="+998 90 123 45 67")
    informant(second_case, whatsapp="998901234567")
    assert Link.objects.get().identifier_kind == "phone"


def test_a_different_number_makes_no_link(case, second_case):
    informant(case, phone="+998 90 123-45-67")
    informant(second_case, phone="+998 90 123-45-68")
    assert not Link.objects.exists()


def test_the_same_phone_twice_in_one_case_is_no_link(case):
    informant(case, phone="+998 90 123-45-67")
    informant(case, phone="998901234567")
    assert not Link.objects.exists()


def test_a_caseworker_learns_only_that_it_is_recorded_elsewhere(case, second_case):
    mine = informant(case, phone="+998 90 123-45-67").identifiers.get()
    alone = informant(case, phone="+998 91 000-00-00").identifiers.get()
    informant(second_case, phone="998901234567")
    assert links.recorded_elsewhere(mine) and not links.recorded_elsewhere(alone)


def test_a_rejected_link_stays_quiet_until_a_further_case_joins_it(case, second_case, db):
    informant(case, phone="+998 90 123-45-67")
    informant(second_case, phone="998901234567")
    link = Link.objects.get()
    link.status = LinkStatus.REJECTED
    link.save()
    assert not links.recorded_elsewhere(Identifier.objects.filter(case=case).get())
    third = Case.objects.create(title="Третье")
    informant(third, phone="+998901234567")
    link.refresh_from_db()
    assert link.status == LinkStatus.OPEN and link.sides.count() == 3


def test_changing_a_value_moves_it_out_of_its_link(case, second_case):
    informant(case, phone="+998 90 123-45-67")
    theirs = informant(second_case, phone="998901234567").identifiers.get()
    theirs.value = "+998 93 555 55 55"
    theirs.save()
    assert not Link.objects.exists()


def test_deleting_one_side_dissolves_the_link(case, second_case):
    informant(case, phone="+998 90 123-45-67")
    informant(second_case, phone="998901234567").identifiers.get().delete()
    assert not Link.objects.exists()


def test_a_value_that_is_no_identifier_of_its_kind_is_refused_and_nothing_stored(case):
    actor = informant(case)
    with pytest.raises(IdentifierError, match="not a valid phone number"):
        Identifier.objects.create(actor=actor, kind="phone", value="12345", country="UZ")
    assert not Identifier.objects.exists()


@pytest.mark.attack("data-at-rest")
def test_no_identifier_or_name_is_stored_in_clear(case):
    informant(case, name="Рустам Каримов", phone="+998 90 123-45-67", telegram="@rustam_k")
    with connection.cursor() as cursor:
        rows = []
        for table in ("actors_identifier", "actors_actorname", "actors_actor"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 — fixed table names
            rows += cursor.fetchall()
    stored = repr(rows)
    for secret in ("998901234567", "90 123", "rustam_k", "Рустам", "Каримов"):
        assert secret not in stored
    assert len(rows) == 4  # the check read the rows it should


@pytest.mark.attack("crypto-erasure")
def test_erasing_a_case_takes_its_digests_and_its_side_of_links(case, second_case):
    informant(case, phone="+998 90 123-45-67")
    informant(second_case, phone="998901234567")
    second_case.erase()
    assert not Link.objects.exists()
    assert list(Identifier.objects.filter(case=second_case).values_list("digest", flat=True)) == [""]
    links.discover_all()
    assert not Link.objects.exists()


def test_discovering_everything_again_finds_the_same_links(case, second_case):
    informant(case, phone="+998 90 123-45-67", email="a.b@gmail.com")
    informant(second_case, phone="998901234567", email="ab@gmail.com")
    Link.objects.all().delete()
    assert links.discover_all() == 2


def test_an_actor_is_shown_by_pseudonym_where_identity_is_hidden(case):
    from shelter.records import sealing

    actor = informant(case, name="Рустам")
    with sealing.scope(reveal=False):
        hidden = Actor.objects.get(pk=actor.pk)
        assert str(hidden).startswith("A-") and "Рустам" not in str(hidden)


def test_discovering_everything_again_keeps_decisions_and_drops_links_no_longer_shared(case, second_case):
    informant(case, phone="+998 90 123-45-67", email="a.b@gmail.com")
    theirs = informant(second_case, phone="998901234567", email="ab@gmail.com")
    phone_link = Link.objects.get(identifier_kind="phone")
    phone_link.status = LinkStatus.CONFIRMED
    phone_link.save()
    Identifier.objects.filter(actor=theirs, kind="email").update(digest="")  # as if changed behind the index's back
    assert links.discover_all() == 1
    assert Link.objects.get().status == LinkStatus.CONFIRMED
