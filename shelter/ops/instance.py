"""Facts about this instance that backup and restore need: its master key (without creating one),
the models whose rows a backup carries, and its database schema."""

import base64
import os

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from shelter.crypto import keys

# Auth groups come along with the users that belong to them. Contenttypes and permissions are
# rebuilt by every migrate and travel as natural keys.
EXTRA_MODELS = ["auth.group"]
# The audit log is dumped without natural keys: an event's actor may be a user deleted since, and
# its id must survive as it is.
PLAIN_KEY_APPS = ["audit"]
# Reference data, synced from shelter/data after every migrate, the name index's version marker,
# stamped by migrate, and the kept aggregates' version: present in an "empty" instance.
REFERENCE_MODELS = ["records.term", "records.nameindexversion", "records.dataversion"]


def master_key_present() -> bool:
    return bool(os.environ.get(keys.ENV_VAR)) or settings.SHELTER_MASTER_KEY_FILE.exists()


def existing_master_key() -> bytes | None:
    """The instance's master key, or None. Unlike sealing.master_key() this never creates one."""
    if not master_key_present():
        return None
    return keys.load_master_key(settings.SHELTER_MASTER_KEY_FILE)


def install_master_key(key: bytes):
    """Write the master key file of an instance that has none (never replaces one)."""
    path = settings.SHELTER_MASTER_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(base64.b64encode(key).decode() + "\n")
    from shelter.records import sealing

    sealing._master_key_for.cache_clear()


def shelter_app_labels() -> list[str]:
    return [app.label for app in apps.get_app_configs() if app.name.startswith("shelter.") and list(app.get_models())]


def dump_groups() -> list[tuple[str, list[str], bool]]:
    """(name, dumpdata labels, natural foreign keys?) in the order they are loaded back."""
    labels = shelter_app_labels()
    natural = EXTRA_MODELS + [label for label in labels if label not in PLAIN_KEY_APPS]
    plain = [label for label in labels if label in PLAIN_KEY_APPS]
    return [("database/main.json", natural, True), ("database/audit.json", plain, False)]


def backed_up_models() -> list:
    models = [apps.get_model(label) for label in EXTRA_MODELS]
    for label in shelter_app_labels():
        models.extend(apps.get_app_config(label).get_models())
    return models


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.count() for model in backed_up_models()}


def occupied_models() -> dict[str, int]:
    """Models (other than reference data) that hold rows: a restore would mix with them."""
    counts = row_counts()
    return {label: n for label, n in counts.items() if n and label not in REFERENCE_MODELS}


def applied_migrations() -> dict[str, list[str]]:
    applied = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied
