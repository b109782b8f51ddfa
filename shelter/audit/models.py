"""The append-only audit log: who did what, to which record, when — never the content itself.

Entries form a hash chain (see ``chain.py``): each one holds its sequence number, the previous
entry's hash and its own. Appending is serialised — a PostgreSQL advisory lock, SQLite's write
lock — so that two writers can never both extend the same head and fork the chain.
"""

import json

from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import chain

# pg_advisory_xact_lock key of the audit chain (the ASCII of "AUDITCHN").
CHAIN_LOCK_KEY = 0x4155444954434E
# An always-empty table (migration 0003) that SQLite writers delete from to take the database's
# write lock *before* reading the head: reading first and writing second could deadlock two
# writers, and SQLite would refuse one of them instead of making it wait.
SQLITE_LOCK_TABLE = "audit_chain_lock"


class AppendOnly(Exception):
    pass


class Action(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    READ_IDENTITY = "read_identity", _("Read identity data")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")
    DOWNLOAD = "download", _("Downloaded")
    UPLOAD = "upload", _("Uploaded")
    GRANT = "grant", _("Granted access")
    REVOKE = "revoke", _("Revoked access")
    ERASE = "erase", _("Crypto-erased")
    BACKUP = "backup", _("Backed up")
    RESTORE = "restore", _("Restored")
    TOKEN = "token", _("API token issued")
    MFA_ENROLLED = "mfa_enrolled", _("Two-step login turned on")
    SESSION_ENDED = "session_ended", _("Session expired")
    SESSION_REVOKED = "session_revoked", _("Session ended")
    LOCKDOWN = "lockdown", _("Lockdown switched")
    ALERT = "alert", _("Insider alert raised")
    ALERT_ACK = "alert_ack", _("Insider alert acknowledged")
    EXPORT_REQUEST = "export_request", _("Export requested")
    EXPORT_APPROVE = "export_approve", _("Export approved")
    EXPORT_USE = "export_use", _("Export approval used")
    IMPORT_NOTICES = "import_notices", _("Notices imported")
    ALERT_CONFIRMED = "alert_confirmed", _("Notice alert confirmed")
    ALERT_DISMISSED = "alert_dismissed", _("Notice alert dismissed")
    ALERT_ESCALATED = "alert_escalated", _("Notice alert escalated")
    ASSESS_NOTICE = "assess_notice", _("Notice assessed")
    TRIAGE = "triage", _("Suspicious message or file triaged")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("the audit log is append-only")

    def delete(self):
        raise AppendOnly("the audit log is append-only")


class PendingEvent(models.Model):
    """An identity read waiting to be appended to the chain (``audit.log.chain_pending``): a server
    records reads here in the request, without the chain's lock, and appends them in batches, in the
    order they came, within a fraction of a second (``shelter serve``). Durable like any row: what a
    crash leaves is appended by the next server or ``shelter audit verify``."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    case_id = models.UUIDField(null=True, blank=True)
    fields = models.JSONField(default=list, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    DATA = ("at", "actor_id", "actor_name", "action", "object_type", "object_id", "case_id", "fields", "detail", "ip")


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # No database constraint: the log must outlive the rows it talks about.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    case_id = models.UUIDField(null=True, blank=True, db_index=True)
    fields = models.JSONField(default=list, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # The hash chain: filled in when the entry is appended, kept as they are by a restore.
    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # A user's recent events of one kind: the insider alerts' counts (security.alerts).
        indexes = [models.Index(fields=["actor", "action", "at"], name="audit_event_actor_action_at")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("the audit log is append-only")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        # Head read and insert in one transaction, under the chain lock, which holds until the
        # outermost transaction ends: the next writer sees this entry as the head.
        with transaction.atomic(using=using):
            self.append_to_chain(using)
            super().save(*args, **kwargs)

    def append_to_chain(self, using):
        lock_chain(connections[using])
        self.normalise()
        head = AuditEvent.objects.using(using).order_by("-sequence").values_list("sequence", "entry_hash").first()
        last_sequence, last_hash = head or (0, chain.GENESIS)
        self.sequence = last_sequence + 1
        sealed = chain.seal(self.chain_fields(), last_hash)
        self.prev_hash, self.entry_hash = sealed["prev_hash"], sealed["entry_hash"]

    def normalise(self):
        """Put every hashed value in the form the database hands back, so that the hash computed
        now is the one a verification recomputes from the stored row."""
        for name in chain.HASHED_FIELDS:
            if name == "sequence":
                continue
            field = self._meta.get_field(name)
            value = getattr(self, field.attname)
            if isinstance(field, models.JSONField):
                value = json.loads(json.dumps(value))  # tuples become lists, keys text
            elif value is not None:
                value = field.to_python(value)  # e.g. IPv6 addresses compressed, ids as int/UUID
            if isinstance(field, models.GenericIPAddressField):
                value = value or None  # stored as NULL
            setattr(self, field.attname, value)

    def chain_fields(self) -> dict:
        return {name: getattr(self, name) for name in chain.HASHED_FIELDS}

    def delete(self, *args, **kwargs):
        raise AppendOnly("the audit log is append-only")


def lock_chain(connection):
    """Serialise appends until the current transaction ends."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        elif connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {SQLITE_LOCK_TABLE}")


def chain_entries(using="default"):
    """Every entry as a plain dict, in chain order, streamed."""
    columns = ["id", "prev_hash", "entry_hash", *chain.HASHED_FIELDS]
    return AuditEvent.objects.using(using).order_by("sequence", "id").values(*columns).iterator(chunk_size=2000)


@receiver(pre_save, sender=AuditEvent)
def chain_legacy_rows(sender, instance, raw, using, **kwargs):
    """Rows loaded raw (``shelter restore``) keep their sequence and hashes as stored; rows from an
    archive made before the chain existed have none, and are chained as they load, in the
    archive's order — as migration 0003 chained the rows already stored."""
    if raw and instance.sequence is None:
        instance.append_to_chain(using)
