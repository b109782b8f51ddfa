"""A JSON serialization format ("sealed-json") that carries sealed fields as their ciphertext.

Django's own JSON serializer reads a field through its attribute, which for a ``SealedField`` is the
decrypted plaintext: ``dumpdata`` fails on it, and would otherwise write identity data in clear.
Here sealed fields travel as base64 of the ciphertext, exactly as stored, and go back into the
database as that same ciphertext (``save_all``), so a backup never holds plaintext and a restore
never re-encrypts.
"""

import base64
import datetime
import json
from collections import defaultdict

from django.core import serializers
from django.core.serializers import json as json_serializer
from django.core.serializers import python as python_serializer
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder

from shelter.records import sealing
from shelter.records.fields import Ciphertext, SealedField

FORMAT = "sealed-json"
UPDATE_BATCH = 500
# Models that moved to another app since an archive may have been made: their rows load under the
# label they have now (their tables and sealed values did not change).
MOVED_MODELS = {"wanted.riskassessment": "returns.riskassessment"}


class PreciseEncoder(DjangoJSONEncoder):
    """Datetimes with their microseconds: Django's encoder cuts them to milliseconds, and a
    restored audit log must say exactly what the original said."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


class Serializer(json_serializer.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = PreciseEncoder

    def handle_field(self, obj, field):
        if not isinstance(field, SealedField):
            return super().handle_field(obj, field)
        stored = obj.__dict__.get(field.attname)
        if stored is not None and not isinstance(stored, Ciphertext):
            # Only values loaded from the database are sealed; anything else would be plaintext.
            raise ValueError(f"{obj._meta.label}.{field.name} of {obj.pk} is not ciphertext")
        self._current[field.name] = base64.b64encode(stored).decode("ascii") if stored else None


def Deserializer(stream_or_string, **options):
    try:
        rows = json.loads(stream_or_string)
    except ValueError as e:
        raise DeserializationError("not JSON") from e
    for row in rows:
        row["model"] = MOVED_MODELS.get(row.get("model"), row.get("model"))
        _unsealed_external_id(row)
    for deserialized in python_serializer.Deserializer(rows, **options):
        _prepare_sealed_fields(deserialized.object)
        yield deserialized


def _unsealed_external_id(row):
    # Archives made before records 0007 hold a person's external reference in clear: it restores
    # into external_id_legacy, which the restore then seals (records.external_ids).
    fields = row.get("fields")
    if row["model"] == "records.person" and isinstance(fields, dict) and "external_id_index" not in fields:
        fields["external_id_legacy"] = fields.pop("external_id", "") or ""
        fields["external_id"] = None


def _prepare_sealed_fields(instance):
    # A DeserializedObject is saved raw, and a raw insert reads each value through the attribute:
    # the attribute decrypts a Ciphertext but hands plain bytes back as they are, so ciphertext
    # goes in as plain bytes. It also turns None into "", which a binary column cannot take, so
    # blank fields go in as b"" and are set back to NULL by save_all.
    instance._sealed_blanks = []
    for field in instance._meta.concrete_fields:
        if isinstance(field, SealedField):
            encoded = instance.__dict__.get(field.attname)
            if encoded:
                instance.__dict__[field.attname] = bytes(base64.b64decode(encoded, validate=True))
            else:
                instance.__dict__[field.attname] = b""
                instance._sealed_blanks.append(field.attname)


def save_all(objects) -> set:
    """Insert deserialized objects into an empty database, keeping every value as it was. Objects
    are saved as they are read, so natural keys of rows read earlier resolve (as in loaddata).
    Returns the models saved."""
    if not sealing.current().reveal:
        # Inside a non-revealing scope the attribute hands back "[hidden]" instead of the bytes.
        raise RuntimeError("sealed rows can only be loaded outside a non-revealing scope")
    blanks, deferred, models = defaultdict(list), [], set()
    for obj in objects:
        # Force inserts: Django otherwise tries an UPDATE first when a primary key is given, which
        # the append-only audit table refuses even when it would touch no row.
        obj.save(force_insert=True)
        models.add(type(obj.object))
        if obj.deferred_fields:
            deferred.append(obj)
        for attname in getattr(obj.object, "_sealed_blanks", []):
            blanks[(type(obj.object), attname)].append(obj.object.pk)
    for obj in deferred:
        obj.save_deferred_fields()
    for (model, attname), pks in blanks.items():
        for start in range(0, len(pks), UPDATE_BATCH):
            model._base_manager.filter(pk__in=pks[start : start + UPDATE_BATCH]).update(**{attname: None})
    return models


def register():
    if FORMAT not in serializers.get_serializer_formats():
        serializers.register_serializer(FORMAT, __name__)
