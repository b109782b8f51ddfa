"""Logins, failed logins and logouts go to the audit log (the username tried, never the password).

A login also starts the session's tracking and its re-authentication clock; a failure counts
towards the lock-out of the account name and of the client address. Deactivating an account ends
its sessions and revokes its API tokens.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from shelter.audit.log import record

from . import reauth, sessions, throttle
from .models import User


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    record(user, "login", request=request, object_type="user", object_id=str(user.pk))
    sessions.start(request, user)
    reauth.mark_authenticated(request)
    throttle.forgive_account(user.get_username())


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs):
    sessions.end(request)
    if user is not None:
        record(user, "logout", request=request, object_type="user", object_id=str(user.pk))


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, reason="password", **kwargs):
    # The attempted username is kept (it is what an investigator needs), but cut to the field size.
    username = str(credentials.get("username", ""))[:150]
    record(username, "login_failed", request=request, object_type="user", reason=reason)
    throttle.note_failure(username, request)


@receiver(post_save, sender=User)
def deactivated(sender, instance, **kwargs):
    """A deactivated account loses its sessions and its tokens for good: reactivating it later does
    not bring back a token that may have leaked in the meantime."""
    if not instance.is_active:
        sessions.revoke_all_access(instance)
