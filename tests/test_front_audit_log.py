import pytest

from .conftest import PASSWORD


def test_auditors_read_the_log(client, auditor, caseworker, records):
    client.login(username="caseworker", password=PASSWORD)
    client.get(f"/persons/{records['person'].pk}/")
    client.logout()
    client.login(username="auditor", password=PASSWORD)
    page = client.get("/audit/", {"action": "read_identity"}).content.decode()
    assert "Read identity data" in page and "caseworker" in page
    assert "Каримов" not in page


def test_caseworkers_cannot_read_the_log(client, caseworker):
    client.login(username="caseworker", password=PASSWORD)
    assert client.get("/audit/").status_code == 403


def test_the_log_cannot_be_changed_or_deleted(db):
    import pytest
    from django.db import connection, transaction

    from shelter.audit.log import record
    from shelter.audit.models import AppendOnly, AuditEvent

    event = record("cli", "export")
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.update(action="login")
    # Below the ORM too: the database's own triggers refuse.
    for sql in ["UPDATE audit_auditevent SET action = 'login'", "DELETE FROM audit_auditevent"]:
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).action == "export"


def test_auditors_verify_the_chain_on_demand(client, auditor):
    from shelter.audit.log import record

    record("cli", "export")
    client.login(username="auditor", password=PASSWORD)
    page = client.get("/audit/").content.decode()
    assert "Verify the hash chain" in page and "Chain intact" not in page
    page = client.get("/audit/", {"verify": "1"}).content.decode()
    assert "Chain intact up to #" in page


@pytest.mark.attack("audit-tampering")
def test_the_audit_page_shows_where_the_chain_breaks(client, auditor):
    from django.db import connection

    from shelter.audit.log import record

    events = [record("cli", "export", rows=n) for n in range(3)]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_update")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("UPDATE audit_auditevent SET actor_name = 'nobody' WHERE id = %s", [events[1].pk])
    client.login(username="auditor", password=PASSWORD)
    page = client.get("/audit/", {"verify": "1"}).content.decode()
    assert f"Chain broken at #{events[1].sequence} (entry id {events[1].pk}): an entry was modified" in page


# --- readable by an auditor (issue 11, item 16) ---------------------------------------------------

import csv  # noqa: E402
import datetime  # noqa: E402
import io  # noqa: E402

from django.utils import timezone  # noqa: E402

from shelter.audit.log import record  # noqa: E402
from shelter.audit.models import AuditEvent  # noqa: E402

from .conftest import login  # noqa: E402


@pytest.fixture
def edited(records, caseworker):
    person = records["person"]
    record(caseworker, "update", person, fields=["birth_date", "birth_place"])
    record(caseworker, "read_identity", object_type="many", count=15, objects=[])
    record("cli", "export", format="json", pseudonymised=True)
    return person


def test_records_read_by_type_and_case_with_field_labels(client, auditor, edited, records):
    page = login(client, auditor).get("/audit/").content.decode()
    assert "Person" in page and records["case"].reference in page
    assert "date of birth, place of birth" in page and "birth_date" not in page
    assert "Several records (15 records)" in page and "many (15)" not in page
    assert "pseudonymised" in page


def test_an_administrator_on_the_case_gets_a_link_and_an_auditor_none(client, auditor, administrator, edited, records):
    from shelter.records.models import CaseAccess

    from django.test import Client

    link = f'href="/persons/{edited.pk}/"'
    assert link not in login(client, auditor).get("/audit/").content.decode()
    assert link not in login(Client(), administrator).get("/audit/").content.decode()  # not on the case
    CaseAccess.objects.create(case=records["case"], user=administrator)
    assert link in login(Client(), administrator).get("/audit/").content.decode()


def test_the_log_speaks_russian(client, auditor, edited):
    login(client, auditor)
    client.cookies["django_language"] = "ru"
    page = client.get("/audit/").content.decode()
    assert "Лицо" in page and "дата рождения, место рождения" in page and "псевдонимизировано" in page


def test_dates_narrow_the_log(client, auditor, edited):
    today = timezone.localdate()
    login(client, auditor)
    assert "Person" in client.get("/audit/", {"since": today.isoformat()}).content.decode()
    page = client.get("/audit/", {"until": (today - datetime.timedelta(days=1)).isoformat()}).content.decode()
    assert "No entry matches these filters." in page


def test_identity_reads_can_be_hidden(client, auditor, edited):
    page = login(client, auditor).get("/audit/", {"hide_reads": "1"}).content.decode()
    assert "Read identity data</td>" not in page and "Person" in page


@pytest.mark.parametrize("query, message", [
    ({"action": "erase_everything"}, "There is no action “erase_everything”: all actions are shown."),
    ({"since": "2026-13-01"}, "“2026-13-01” is not a date (YYYY-MM-DD): that filter is not applied."),
])
def test_an_unknown_filter_value_is_answered(client, auditor, edited, query, message):
    page = login(client, auditor).get("/audit/", query).content.decode()
    assert message in page and "Person" in page


@pytest.mark.attack("xss")
def test_filter_values_are_escaped(client, auditor, edited):
    page = login(client, auditor).get("/audit/", {"action": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page


def test_the_filtered_log_downloads_as_csv_and_the_download_is_audited(client, auditor, edited, records):
    response = login(client, auditor).get("/audit/", {"action": "update", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:6] == ["time", "user", "action", "record type", "record id", "case"]
    assert [r[2] for r in rows[1:]] == ["Changed"]
    assert rows[1][5] == records["case"].reference and rows[1][6] == "date of birth, place of birth"
    assert AuditEvent.objects.filter(action="export", object_type="audit_log", actor=auditor).exists()


@pytest.mark.attack("xss")
def test_a_typed_user_name_cannot_become_a_spreadsheet_formula(client, auditor, db):
    record("=HYPERLINK(\"http://evil\")", "login_failed")
    response = login(client, auditor).get("/audit/", {"action": "login_failed", "format": "csv"})
    assert "'=HYPERLINK" in response.content.decode()


def test_caseworkers_cannot_download_the_log(client, caseworker):
    assert login(client, caseworker).get("/audit/", {"format": "csv"}).status_code == 403
