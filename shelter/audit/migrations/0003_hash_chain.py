"""Chain the audit log by hash (see shelter/audit/chain.py).

The new columns come in nullable, the entries already stored are chained in the order they were
written (by id), and only then do the columns become required and the sequence unique. Chaining
the old rows writes to them, which the append-only triggers forbid: they are set aside for this
migration only — on SQLite they are re-created at the end anyway, since rebuilding the table for
the altered columns drops them. ``audit_chain_lock`` is SQLite's append lock (see models.py).
"""

import importlib

from django.db import migrations, models

from shelter.audit import chain

triggers = importlib.import_module("shelter.audit.migrations.0002_append_only_triggers")
SQLITE_TRIGGERS = [sql for sql in triggers.SQLITE if sql.startswith("CREATE TRIGGER")]
BATCH = 1000


def install_sqlite_triggers(schema_editor):
    schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_update")
    schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    for sql in SQLITE_TRIGGERS:
        schema_editor.execute(sql)


def open_for_chaining(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("CREATE TABLE IF NOT EXISTS audit_chain_lock (id INTEGER PRIMARY KEY)")
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_update")
    elif vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")


def close_after_chaining(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        install_sqlite_triggers(schema_editor)
    elif vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")


def reinstall_after_reversal(apps, schema_editor):
    # Reversing rebuilds the SQLite table without its triggers: put them back.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS audit_chain_lock")
        install_sqlite_triggers(schema_editor)


def chain_stored_entries(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    database = schema_editor.connection.alias
    rows = AuditEvent.objects.using(database).order_by("id")
    sequence, prev_hash, after = 0, chain.GENESIS, 0
    while batch := list(rows.filter(id__gt=after).values("id", *chain.HASHED_FIELDS[1:])[:BATCH]):
        for row in batch:
            sequence += 1
            sealed = chain.seal({**row, "sequence": sequence}, prev_hash)
            AuditEvent.objects.using(database).filter(id=row["id"]).update(sequence=sequence, **sealed)
            prev_hash, after = sealed["entry_hash"], row["id"]


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, reinstall_after_reversal),
        migrations.AddField("auditevent", "sequence", models.PositiveBigIntegerField(null=True, editable=False)),
        migrations.AddField("auditevent", "prev_hash", models.CharField(max_length=64, null=True, editable=False)),
        migrations.AddField("auditevent", "entry_hash", models.CharField(max_length=64, null=True, editable=False)),
        migrations.RunPython(open_for_chaining, migrations.RunPython.noop),
        migrations.RunPython(chain_stored_entries, migrations.RunPython.noop),
        migrations.AlterField("auditevent", "sequence", models.PositiveBigIntegerField(unique=True, editable=False)),
        migrations.AlterField("auditevent", "prev_hash", models.CharField(max_length=64, editable=False)),
        migrations.AlterField("auditevent", "entry_hash", models.CharField(max_length=64, editable=False)),
        migrations.RunPython(close_after_chaining, migrations.RunPython.noop),
    ]
