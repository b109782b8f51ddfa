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
