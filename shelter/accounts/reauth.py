"""Re-authentication before sensitive actions.

A login (both factors) or a confirmation on the ``login-confirm`` page stamps the session; views
decorated with ``@recent_login_required`` send the user to confirm again when the stamp is older
than ``SHELTER_REAUTH_MINUTES``, and back to the action afterwards.
"""

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

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
