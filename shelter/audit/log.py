"""Writing to the audit log from views, the API and commands."""

from . import chain
from .models import AuditEvent, chain_entries


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def record(actor, action, obj=None, *, request=None, fields=(), case_id=None, object_type="", object_id="", **detail):
    """Append one event. ``obj`` is a model instance; only its type and id are kept, never its content."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(obj.pk)
        case_id = case_id or getattr(obj, "case_id", None) or (obj.pk if object_type == "case" else None)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_name=user.get_username() if user else (actor if isinstance(actor, str) else ""),
        action=action,
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
        fields=sorted(fields),
        detail=detail,
        ip=client_ip(request) if request is not None else None,
    )


def history(obj):
    """Create/update/delete events for one record, newest first."""
    return AuditEvent.objects.filter(object_type=obj._meta.model_name, object_id=str(obj.pk)).exclude(
        action="read_identity"
    )


def verify_log(checkpoint=None):
    """Walk the whole stored chain (streamed); returns a ``chain.Report``."""
    return chain.verify(chain_entries(), checkpoint)
