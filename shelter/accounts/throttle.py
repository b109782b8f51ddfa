"""Lock-out of repeated authentication failures, per account and per client address.

Every failed password, MFA code or re-authentication is a ``LoginFailure`` row. An account name
with ``SHELTER_LOGIN_MAX_FAILURES_PER_ACCOUNT`` failures in the last ``SHELTER_LOGIN_LOCKOUT_MINUTES``
is locked, and so is an address with ``SHELTER_LOGIN_MAX_FAILURES_PER_ADDRESS``: the lock lifts when
the failures age out of the window; attempts refused during a lock are not counted, so that hammering
a locked name does not keep it locked. Names are counted whether or not such an account exists, so a
lock says nothing about who has an account.
"""

from datetime import timedelta
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone

from shelter.audit.log import client_ip

from .models import LoginFailure


def _account(username) -> str:
    return str(username or "").strip().lower()[:150]


def _window_start():
    return timezone.now() - timedelta(minutes=settings.SHELTER_LOGIN_LOCKOUT_MINUTES)


def note_failure(username, request) -> None:
    LoginFailure.objects.filter(at__lt=_window_start()).delete()
    if is_blocked(username, request):
        return  # refused unchecked, so not a guess: counting it would keep the lock on for ever
    LoginFailure.objects.create(username=_account(username), ip=client_ip(request) if request is not None else None)


def is_blocked(username, request) -> bool:
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    if recent.filter(username=_account(username)).count() >= settings.SHELTER_LOGIN_MAX_FAILURES_PER_ACCOUNT:
        return True
    ip = client_ip(request) if request is not None else None
    return ip is not None and recent.filter(ip=ip).count() >= settings.SHELTER_LOGIN_MAX_FAILURES_PER_ADDRESS


def forgive_account(username) -> None:
    """After a complete login (both factors) the account's earlier typos no longer count."""
    LoginFailure.objects.filter(username=_account(username)).delete()


@cache
def _dummy_hash() -> str:
    return make_password("shelter: no account here")


def spend_hashing_time(password) -> None:
    """Run the password hasher for nothing, so a refused attempt takes as long as a checked one."""
    check_password(str(password or ""), _dummy_hash())
