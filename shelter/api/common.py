"""What every endpoint does the same way: list what the caller may see, find a record or answer 404,
refuse writes that the caller's role or the case's state forbid, apply changes and audit them.

A record the caller may not see and a record that does not exist get the same 404, so the API
never confirms that a case or person exists to someone outside its access list.
"""

import base64
import binascii
import json

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from ninja.errors import HttpError

from shelter.accounts.models import ApiSubmission
from shelter.audit.log import record
from shelter.records import access, sealing
from shelter.records.counting import capped_count
from shelter.records.fields import SealedField
from shelter.records.models import Case


def reveals_identity() -> bool:
    return sealing.current().reveal


def values_of(obj, names) -> dict:
    """The named attributes of ``obj``. Sealed fields are null where identity data is hidden, even
    when empty, so a researcher cannot tell a recorded birth date from a missing one."""
    reveal = reveals_identity()
    return {name: None if not reveal and is_sealed(obj, name) else getattr(obj, name) for name in names}


def is_sealed(obj, name) -> bool:
    try:
        return isinstance(obj._meta.get_field(name), SealedField)
    except FieldDoesNotExist:
        return False


def visible(request, model):
    return access.visible(request.user, model)


def get_or_404(request, model, pk):
    return access.get_visible_or_404(request.user, model, pk)


def page(queryset, paging, serialize, keyset: tuple[str, ...] = ()) -> dict:
    """One page of ``queryset``, optionally narrowed to one case, as serialized items. A list in the
    order of ``keyset`` (its fields, "-" for descending; the last one unique) also pages by cursor:
    ``next`` is the cursor of its last item, and ``after`` a cursor starts the page after that item,
    from an index, where an offset would read and skip every row before it."""
    if getattr(paging, "case", None) is not None:
        queryset = queryset.filter(case_id=paging.case)
    after = getattr(paging, "after", None)
    if after:
        if paging.offset:
            raise HttpError(400, "give after or offset, not both")
        queryset = queryset.filter(after_cursor(queryset.model, keyset, after))
    items = list(queryset[paging.offset : paging.offset + paging.limit])
    count, more = capped_count(queryset, paging.offset + paging.limit)
    return {
        "count": count,
        "more": more,
        "limit": paging.limit,
        "offset": paging.offset,
        "next": cursor(items[-1], keyset) if keyset and items and (more or count > paging.offset + paging.limit) else None,
        "items": [serialize(item) for item in items],
    }


def cursor(item, keyset: tuple[str, ...]) -> str:
    values = [str(getattr(item, name.lstrip("-"))) for name in keyset]
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def after_cursor(model, keyset: tuple[str, ...], text: str) -> Q:
    """The rows after the cursor's in the keyset's order: (a, b, c) after (x, y, z) reads as
    a past x, or a = x and b past y, or a = x, b = y and c past z."""
    try:
        values = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        fields = [model._meta.get_field(name.lstrip("-")) for name in keyset]
        if not keyset or not isinstance(values, list) or len(values) != len(keyset):
            raise ValueError
        values = [field.to_python(value) for field, value in zip(fields, values)]
    except (ValueError, TypeError, ValidationError, binascii.Error):
        raise HttpError(400, "after: not a cursor this list gave") from None
    later, same = Q(), Q()
    for name, field, value in zip(keyset, fields, values):
        later |= same & Q(**{f"{field.name}__{'lt' if name.startswith('-') else 'gt'}": value})
        same &= Q(**{field.name: value})
    return later


def require_writer(request):
    # Decided on the role alone, before any lookup: a researcher learns nothing about which ids exist.
    if not request.user.edits_records:
        raise HttpError(403, "your role may not change records")


def require_coordinator(request, what: str):
    """403 for all but those who see every case: ``what`` joins records of several cases."""
    if not request.user.sees_all_cases:
        raise HttpError(403, f"{what} are for those who see every case")


def writable_case(request, case_id) -> Case:
    """The case a new record goes into: visible to the caller (else 404) and still writable."""
    require_writer(request)
    case = get_or_404(request, Case, case_id)
    ensure_writable(request, case)
    return case


def writable(request, model, pk):
    """An existing record the caller may change: visible (else 404), in a case that is writable."""
    require_writer(request)
    obj = get_or_404(request, model, pk)
    ensure_writable(request, obj if isinstance(obj, Case) else Case.objects.get(pk=obj.case_id))
    return obj


def ensure_writable(request, case):
    if case.erased:
        raise HttpError(400, "the case was crypto-erased: its records can no longer be changed")
    if not access.can_edit(request.user, case):
        raise HttpError(403, "you may not change the records of this case")


def reject_nulls(values: dict, schema) -> dict:
    """PATCH bodies may leave a field out, but only fields that are nullable may be sent as null."""
    for name, value in values.items():
        if value is None and schema.model_fields[name].default is not None:
            raise HttpError(422, f"{name} may not be null: leave it out, or send an empty value")
    return values


def apply(obj, values: dict) -> list[str]:
    """Set the attributes that differ; the names of those that changed (never their content)."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def completed(schema, items) -> list[dict]:
    """List items with their defaults filled in: a PATCH body leaves out what was not sent, down to
    the items of its lists."""
    return [schema.model_validate(item).model_dump() for item in items]


def replace_children(current, desired: list[dict], describe, create) -> bool:
    """Replace a record's list of child records (names, acts, ...) when it differs from ``desired``.
    Returns whether it changed."""
    current = list(current)
    if [describe(child) for child in current] == desired:
        return False
    for child in current:
        child.delete()
    for item in desired:
        create(item)
    return True


def set_related(manager, objects) -> bool:
    """Set a many-to-many relation; whether it changed."""
    if {o.pk for o in manager.all()} == {o.pk for o in objects}:
        return False
    manager.set(objects)
    return True


def same_case(model, ids, case, what: str) -> list:
    """The records of ``model`` with these ids, all in ``case``. A record of another case and an
    unknown id get the same answer, which does not say whether the id exists elsewhere."""
    ids = list(dict.fromkeys(ids))
    found = {o.pk: o for o in model.objects.filter(case=case, pk__in=ids)}
    if len(found) != len(ids):
        raise HttpError(422, f"{what}: no such record in this case")
    return [found[pk] for pk in ids]


def audit_write(request, action, obj, fields):
    if action == "create":
        remember_submission(request, obj)
    if action == "create" or fields:
        record(request.user, action, obj, request=request, fields=fields)


def remember_submission(request, obj):
    """Refuse a create request whose Idempotency-Key this user already sent. Called inside the
    create's transaction, so the refused duplicate leaves nothing behind."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return
    if len(key) > 100:
        raise HttpError(400, "Idempotency-Key: at most 100 characters")
    earlier = ApiSubmission.objects.filter(user=request.user, key=key).first()
    if earlier is not None:
        raise HttpError(409, f"duplicate submission: this Idempotency-Key already created {earlier.object_type} {earlier.object_id}")
    ApiSubmission.objects.create(user=request.user, key=key, object_type=obj._meta.model_name, object_id=str(obj.pk))

