"""Logins, failed logins and logouts go to the audit log (the username tried, never the password)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from shelter.audit.log import record


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    record(user, "login", request=request, object_type="user", object_id=str(user.pk))


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(user, "logout", request=request, object_type="user", object_id=str(user.pk))


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    # The attempted username is kept (it is what an investigator needs), but cut to the field size.
    record(str(credentials.get("username", ""))[:150], "login_failed", request=request, object_type="user")
