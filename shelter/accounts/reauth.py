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
from django.urls import NoReverseMatch, reverse

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


def recent_login_required(view=None, *, back=None):
    """``@recent_login_required`` on a page, or ``@recent_login_required(back="url-name")`` on a
    POST-only action: a form cannot be sent again by a redirect, so the user confirms and returns
    to the page ``back`` names (with the action's URL arguments if it takes them) to send it again."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not recently_authenticated(request):
                return redirect(confirm_url(_back_url(back, kwargs) if back else request.get_full_path()))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def _back_url(name, kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return reverse(name)
