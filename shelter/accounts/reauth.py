"""Re-authentication before sensitive actions.

A login (both factors) or a confirmation on the ``login-confirm`` page stamps the session; views
decorated with ``@recent_login_required`` send the user to confirm again when the stamp is older
than ``SHELTER_REAUTH_MINUTES``, and back to the action afterwards; POST actions (creating a token,
granting access, approving an export, lifting a lockdown) call ``confirm_first`` and send the user
back to the page whose form they submit again.
"""

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SESSION_KEY = "shelter_authenticated_at"


def mark_authenticated(request) -> None:
    request.session[SESSION_KEY] = time.time()


def recently_authenticated(request) -> bool:
    stamp = request.session.get(SESSION_KEY)
    if not isinstance(stamp, (int, float)):
        return False
    return 0 <= time.time() - stamp <= settings.SHELTER_REAUTH_MINUTES * 60


def confirm_url(next_url: str) -> str:
    return reverse("login-confirm") + "?" + urlencode({"next": next_url})


def recent_login_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not recently_authenticated(request):
            return redirect(confirm_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper


def confirm_first(request, back: str):
    """For a POST action: None when the login is recent, else a redirect to confirm the password and
    return to the page ``back``, where the user sends the form again (a redirect cannot resend it)."""
    if recently_authenticated(request):
        return None
    messages.info(request, _("Confirm your password, then try again."))
    return redirect(confirm_url(back))
