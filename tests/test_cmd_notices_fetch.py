"""``shelter notices fetch``: Interpol's public Red Notices crawled from a recorded Interpol (a local
server playing back recorded responses; nothing reaches the internet), stored and screened."""

import json

import pytest
from django.core.management import CommandError, call_command

from shelter.notices.models import Notice, NoticeAlert
from shelter.records.models import Person, PersonName

from .interpol_server import recorded_interpol


@pytest.fixture
def interpol():
    with recorded_interpol() as server:
        yield server


def fetch(capsys, interpol, *args):
    try:
        call_command("notices", "fetch", "--base-url", interpol.url, "--min-interval", "0", "--json", *args)
        status = 0
    except CommandError as e:
        status = e.returncode
    output = capsys.readouterr()
    return status, json.loads(output.out), output.err


def test_a_name_search_is_stored_and_screened(capsys, interpol, case):
    person = Person.objects.create(case=case, birth_date="1975-07-22", nationalities=["UZ"])
    PersonName.objects.create(person=person, value="Каримов Отабек")
    status, result, _ = fetch(capsys, interpol, "--name", "KARIMOV")
    assert status == 0
    assert result["created"] == Notice.objects.count() == 3
    assert result["queries"] == 1 and result["incomplete"] == [] and result["aborted"] == ""
    assert set(Notice.objects.values_list("source", flat=True)) == {"interpol"}
    assert NoticeAlert.objects.filter(person=person).exists()


def test_fetching_again_changes_nothing(capsys, interpol, db):
    fetch(capsys, interpol, "--name", "KARIMOV")
    status, result, _ = fetch(capsys, interpol, "--name", "KARIMOV")
    assert (status, result["created"], result["updated"], result["unchanged"]) == (0, 0, 0, 3)
    assert all(n.version == 1 for n in Notice.objects.all())


def test_a_split_crawl_reports_its_bad_records_and_imports_the_rest(capsys, interpol, db):
    status, result, err = fetch(capsys, interpol, "--nationality", "tj")
    assert status == 1
    assert result["created"] == Notice.objects.count() > 0
    assert result["errors"] and all(e["reason"] for e in result["errors"])
    assert "nationality=TJ" in err


def test_an_unknown_country_is_refused_before_asking(capsys, interpol, db):
    with pytest.raises(CommandError) as e:
        call_command("notices", "fetch", "--base-url", interpol.url, "--nationality", "XX")
    assert e.value.returncode == 2
    assert sum(interpol.hits.values()) == 0


def interpol_notice(entity_id, nationality):
    from shelter.notices import importing
    from shelter.notices.models import RequestSource
    from shelter.notices.sources import interpol as parser

    notice = parser.Notice(entity_id=entity_id, name="ABDULLAEV", forename="RUSTAM", nationalities=(nationality,))
    [stored] = importing.import_notices([notice], source=RequestSource.INTERPOL).created
    return stored


def test_a_complete_fetch_marks_the_notices_it_no_longer_lists_as_withdrawn(capsys, interpol, db):
    gone = interpol_notice("2019/11111", "RU")
    other_nationality = interpol_notice("2019/22222", "KZ")
    status, result, _ = fetch(capsys, interpol, "--nationality", "RU")
    assert status == 0 and result["complete_for"] == ["RU"] and result["withdrawn"] == 1
    gone.refresh_from_db(), other_nationality.refresh_from_db()
    assert gone.withdrawn_at is not None and other_nationality.withdrawn_at is None
    listed = Notice.objects.exclude(pk__in=[gone.pk, other_nationality.pk])
    assert listed.exists() and not listed.filter(withdrawn_at__isnull=False).exists()
    assert all(n.last_seen_at is not None for n in listed)


def test_an_incomplete_fetch_withdraws_nothing(capsys, interpol, db):
    kept = interpol_notice("2019/33333", "TJ")
    status, result, _ = fetch(capsys, interpol, "--nationality", "TJ")  # it meets bad records
    assert status == 1 and result["complete_for"] == [] and result["withdrawn"] == 0
    kept.refresh_from_db()
    assert kept.withdrawn_at is None


def test_a_name_search_is_never_complete_for_a_nationality(capsys, interpol, db):
    kept = interpol_notice("2019/44444", "UZ")
    status, result, _ = fetch(capsys, interpol, "--name", "KARIMOV")
    kept.refresh_from_db()
    assert result["complete_for"] == [] and kept.withdrawn_at is None


def test_a_withdrawn_notice_that_comes_back_is_withdrawn_no_longer(capsys, interpol, db):
    from django.utils import timezone

    from shelter.audit.models import AuditEvent

    fetch(capsys, interpol, "--nationality", "RU")
    back = Notice.objects.first()
    Notice.objects.filter(pk=back.pk).update(withdrawn_at=timezone.now())
    fetch(capsys, interpol, "--nationality", "RU")
    back.refresh_from_db()
    assert back.withdrawn_at is None
    assert AuditEvent.objects.filter(object_id=str(back.pk), detail__reappeared=True).exists()
