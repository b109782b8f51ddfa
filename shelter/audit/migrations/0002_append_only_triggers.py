"""Make the audit table append-only inside the database too, not just in the ORM.

``audit_unlock`` is deliberately not a model: Django's flush (used between transactional tests)
does not know it, so a test harness can open it for that flush without the application ever
being able to. An administrator with direct database access can still tamper; issue-level
tamper evidence (hash chains) is a later layer.
"""

from django.db import migrations

SQLITE = [
    "CREATE TABLE audit_unlock (reason TEXT NOT NULL)",
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditevent "
    "WHEN NOT EXISTS (SELECT 1 FROM audit_unlock) "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
]
POSTGRES = [
    "CREATE TABLE audit_unlock (reason TEXT NOT NULL)",
    "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP <> 'UPDATE' AND EXISTS (SELECT 1 FROM audit_unlock) THEN RETURN NULL; END IF; "
    "RAISE EXCEPTION 'the audit log is append-only'; END $$",
    "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_auditevent "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
