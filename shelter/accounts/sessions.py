"""Tracking and revoking logged-in sessions.

Each login creates a ``UserSession`` row; the ``session_guard`` middleware refuses a session that
has none. Revoking deletes the row and the session itself, so a stolen cookie stops working at once.
"""

from importlib import import_module

from django.conf import settings

from shelter.audit.log import client_ip

from .models import ApiToken, UserSession


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def start(request, user) -> UserSession:
    return UserSession.objects.create(
        user=user,
        session_key=request.session.session_key,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )


def end(request) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


def revoke(sessions) -> int:
    """Delete the given ``UserSession`` rows and their Django sessions; returns how many."""
    store = _store()
    keys = list(sessions.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def revoke_all_sessions(user=None, keep_key=None) -> int:
    """Log out every session of ``user`` (None: of everyone), except the session ``keep_key``."""
    sessions = UserSession.objects.all() if user is None else UserSession.objects.filter(user=user)
    if keep_key:
        sessions = sessions.exclude(session_key=keep_key)
    return revoke(sessions)


def revoke_all_access(user, keep_key=None) -> tuple[int, int]:
    """End ``user``'s sessions (except ``keep_key``) and revoke their API tokens: a token minted by
    a stolen session must not outlive it. Returns (sessions, tokens)."""
    return revoke_all_sessions(user, keep_key=keep_key), ApiToken.objects.revoke_all(user)
