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
