"""The lockdown switch: when an account or a laptop is feared compromised, an administrator revokes
every session at once and makes the instance read-only until the incident is understood.

While locked down, every state-changing HTTP request of the UI is refused with 503, except logging
in and out and an administrator lifting the lockdown; every API request is refused with 503 (its
tokens are suspended); commands that write refuse as well.
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from shelter.audit.log import record

from .models import Lockdown

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class LockedDown(CommandError):
    pass


def is_active() -> bool:
    return Lockdown.objects.filter(pk=1, active=True).exists()


def turn_on(actor, request=None) -> int:
    """Lock the instance down and revoke every web session; returns the number of sessions revoked."""
    with transaction.atomic():
        _set(True, actor)
        revoked = _revoke_all_sessions()
        record(actor, "lockdown", request=request, object_type="instance", state="on", sessions_revoked=revoked)
    return revoked


def turn_off(actor, request=None):
    with transaction.atomic():
        _set(False, actor)
        record(actor, "lockdown", request=request, object_type="instance", state="off")


def _set(active: bool, actor):
    name = actor.get_username() if getattr(actor, "is_authenticated", False) else str(actor)
    Lockdown.objects.update_or_create(pk=1, defaults={"active": active, "changed_at": timezone.now(), "changed_by": name})


def _revoke_all_sessions() -> int:
    """Every web session ends. API tokens are kept but suspended while the lockdown lasts
    (``shelter.api.auth``), so that the ones not compromised work again afterwards."""
    from django.contrib.sessions.models import Session

    from shelter.accounts.sessions import revoke_all_sessions

    revoked = revoke_all_sessions(user=None) or 0
    # Also any session not tracked by the accounts app (e.g. opened before it tracked them).
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        revoked += Session.objects.all().delete()[0]
    return revoked


def refuse_command(name: str):
    """Called first by every management command that writes to the instance."""
    if Lockdown._meta.db_table not in connection.introspection.table_names():
        return  # not migrated yet: there can be no lockdown (and the command reports what is wrong)
    if is_active():
        raise LockedDown(f"the instance is in lockdown: `shelter {name}` would change it. An administrator can lift it "
                         "with `shelter lockdown off`.")


def exempt(view_name: str) -> bool:
    return view_name in settings.SHELTER_LOCKDOWN_EXEMPT_VIEWS


class LockdownMiddleware:
    """Refuses non-safe methods during a lockdown. Only requests that would change something pay for
    the (single-row) lookup."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS:
            return None
        match = request.resolver_match
        if match is not None and exempt(match.view_name):
            return None
        if not is_active():
            return None
        return refusal(request)


def refusal(request):
    message = _("Shelter is in lockdown: nothing can be changed until an administrator lifts it.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
