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
