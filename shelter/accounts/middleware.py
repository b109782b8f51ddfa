"""Session lifetimes, revocation and mandatory MFA, checked on every request of a logged-in user.

- A session without its ``UserSession`` row (revoked, or never tracked) is logged out.
- A session idle for ``SHELTER_SESSION_IDLE_MINUTES``, or older than ``SHELTER_SESSION_MAX_HOURS``,
  is logged out.
- A user whose role requires MFA and who has not enrolled may only enrol (or log out).
- An auditor reads the audit log and their own account, nothing else (not even statistics).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone

from shelter.audit.log import record

from . import mfa
from .models import Role, UserSession

SEEN_EVERY = timedelta(seconds=60)  # last_seen_at is written at most once a minute
OPEN_WHILE_ENROLLING = {"mfa-enrol", "logout", "set_language"}
OPEN_TO_AUDITORS = OPEN_WHILE_ENROLLING | {"audit-log", "profile", "session-revoke", "sessions-revoke-others"}


def _expired(tracked: UserSession, now) -> str:
    if now - tracked.created_at > timedelta(hours=settings.SHELTER_SESSION_MAX_HOURS):
        return "absolute"
    if now - tracked.last_seen_at > timedelta(minutes=settings.SHELTER_SESSION_IDLE_MINUTES):
        return "idle"
    return ""


def _end_session(request, user, reason: str) -> None:
    """Continue as an anonymous visitor: views then ask for a login as usual."""
    record(user, "session_ended", request=request, object_type="user", object_id=str(user.pk), reason=reason)
    UserSession.objects.filter(session_key=request.session.session_key).delete()
    request.session.flush()
    request.user = AnonymousUser()


def _url_name(request) -> str:
    try:
        return resolve(request.path_info).url_name or ""
    except Resolver404:
        return ""


def _auditor_page(request):
    """None where an auditor may go; the home page leads to the audit log; anywhere else is 403."""
    name = _url_name(request)
    if name == "dashboard":
        return redirect("audit-log")
    if name not in OPEN_TO_AUDITORS:
        raise PermissionDenied("auditors read the audit log only")
    return None


def session_guard(get_response):
    def middleware(request):
        user = request.user
        if user.is_authenticated:
            now = timezone.now()
            tracked = UserSession.objects.filter(session_key=request.session.session_key, user=user).first()
            reason = "revoked" if tracked is None else _expired(tracked, now)
            if reason:
                _end_session(request, user, reason)
            else:
                if now - tracked.last_seen_at > SEEN_EVERY:
                    UserSession.objects.filter(pk=tracked.pk).update(last_seen_at=now)
                if mfa.is_required(user) and not mfa.is_enrolled(user) and _url_name(request) not in OPEN_WHILE_ENROLLING:
                    return redirect("mfa-enrol")
                if user.role == Role.AUDITOR:
                    return _auditor_page(request) or get_response(request)
        return get_response(request)

    return middleware
