"""Per-request state of the identity tier: may data be revealed, which case keys are unwrapped,
which records were read (for the audit log).

Views run inside ``scope(reveal=user.reads_identity)``; outside any scope (commands, shell) data is
revealed and nothing is cached, so an erased key takes effect at once.
"""

import contextvars
import hashlib
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext

from shelter.crypto import aead, keys
from shelter.crypto.blind import blind_index, blind_number


class Hidden(str):
    """Stands in for identity data that the viewer may not read, or that was crypto-erased."""

    def __new__(cls, reason: str):
        text = gettext("[erased]") if reason == "erased" else gettext("[hidden]")
        obj = super().__new__(cls, text)
        obj.reason = reason
        return obj


class Erased(Exception):
    """The case's data key was destroyed: its identity data can no longer be read or written."""


@dataclass
class Scope:
    reveal: bool = True
    case_keys: dict = field(default_factory=dict)
    reads: dict = field(default_factory=dict)
    # The cases of the records read in this scope whose keys were not needed yet: the first key asked
    # for reads all their wrapped keys in one query (``wrapped``), so that a page of rows from many
    # cases costs one query for their keys, not one per case.
    pending_cases: set = field(default_factory=set)
    wrapped: dict = field(default_factory=dict)

    def note_read(self, instance):
        self.reads[(instance._meta.model_name, str(instance.pk))] = instance.sealing_case_id


_current: contextvars.ContextVar[Scope | None] = contextvars.ContextVar("shelter_sealing", default=None)


@contextmanager
def scope(reveal: bool = True):
    token = _current.set(Scope(reveal=reveal))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def current() -> Scope:
    return _current.get() or Scope()


def _key_source_stamp(path):
    """What tells one master key from the next: the environment value's digest, or the key file's
    inode, size and modification time. ``shelter keys rotate`` renames a new file into place, so
    the stamp changes and a running server reads the new key on its next request."""
    if os.environ.get(keys.ENV_VAR):
        return ("env", hashlib.sha256(os.environ[keys.ENV_VAR].encode()).hexdigest())
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


@lru_cache(maxsize=1)  # only the current key stays in memory; a rotated-out key is dropped
def _master_key_for(path, stamp=None) -> bytes:
    return keys.load_master_key(path)


def master_key() -> bytes:
    path = settings.SHELTER_MASTER_KEY_FILE
    return _master_key_for(path, _key_source_stamp(path))


def case_label(case_id) -> str:
    return f"case/{case_id}"


def unwrap_case_key(case_id, wrapped) -> bytes:
    if wrapped is None:
        raise Erased(str(case_id))
    s = current()
    if case_id not in s.case_keys:
        s.case_keys[case_id] = _unwrap_current(case_id, wrapped)
    return s.case_keys[case_id]


def _unwrap_current(case_id, wrapped) -> bytes:
    try:
        return keys.unwrap(master_key(), bytes(wrapped), case_label(case_id))
    except aead.DecryptionError:
        pass
    # A key rotation may have re-wrapped this key after the row was read: read row and key again, once.
    from .models import Case

    fresh = Case.objects.filter(pk=case_id).values_list("wrapped_key", flat=True).first()
    if fresh is None:
        raise Erased(str(case_id))
    try:
        return keys.unwrap(master_key(), bytes(fresh), case_label(case_id))
    except aead.DecryptionError as e:
        raise keys.MasterKeyError(
            "the master key does not open this case's key: it is the wrong key, or it is being rotated"
        ) from e


KEYS_PER_QUERY = 900


def note_cases(case_ids) -> None:
    """The cases of records just read: their keys are read together when the first is needed."""
    s = _current.get()
    if s is not None:
        s.pending_cases.update(c for c in case_ids if c is not None and c not in s.case_keys and c not in s.wrapped)


def case_key(case_id) -> bytes:
    s = current()
    if case_id in s.case_keys:
        return s.case_keys[case_id]
    if case_id not in s.wrapped:
        from .models import Case

        wanted = [case_id, *(s.pending_cases - s.wrapped.keys() - {case_id})]
        s.pending_cases.clear()
        # A command reading many thousands of records notes as many cases: ask in lists that stay under
        # SQLite's limit of query parameters.
        for start in range(0, len(wanted), KEYS_PER_QUERY):
            s.wrapped.update(Case.objects.filter(pk__in=wanted[start:start + KEYS_PER_QUERY]).values_list("pk", "wrapped_key"))
    return unwrap_case_key(case_id, s.wrapped.pop(case_id, None))


def index_key() -> bytes:
    """The blind-index key: random, stored wrapped by the master key, so key rotation keeps indexes."""
    return instance_key("blind-index", slot="index")


def instance_key(name: str, slot: str | None = None) -> bytes:
    """An instance-wide key (``KeyMaterial``), unwrapped once per scope."""
    s = current()
    slot = slot or f"instance/{name}"
    if slot not in s.case_keys:
        from .models import KeyMaterial

        s.case_keys[slot] = KeyMaterial.unwrapped(name)
    return s.case_keys[slot]


def blind(value: str, domain: str) -> str:
    return blind_index(index_key(), value, domain)


def blind_int(value: str, domain: str) -> int:
    return blind_number(index_key(), value, domain)


def aad(instance, field_name: str) -> bytes:
    # A model moved to another app keeps the label its values were sealed under (``sealing_label``).
    label = getattr(instance, "sealing_label", instance._meta.label_lower)
    return f"{label}.{field_name}:{instance.pk}".encode()


def seal_text(instance, field_name: str, text: str) -> bytes:
    return aead.seal(instance.sealing_key(), text.encode(), aad(instance, field_name))


def open_text(instance, field_name: str, token: bytes) -> str:
    return aead.unseal(instance.sealing_key(), token, aad(instance, field_name)).decode()
