from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shelter.accounts import mfa, reauth
from shelter.accounts.models import ApiToken, validity_error
from shelter.audit.log import record


@login_required
def profile(request):
    return _render(request)


def _render(request, new_token=None, token_error=None):
    tokens = request.user.api_tokens.filter(revoked_at=None, expires_at__gt=timezone.now())
    context = {"tokens": tokens, "new_token": new_token, "sessions": request.user.sessions.all()}
    context.update(current_session_key=request.session.session_key, mfa_enrolled=mfa.is_enrolled(request.user))
    context.update(token_error=token_error, token_days=settings.SHELTER_TOKEN_DAYS, token_max_days=settings.SHELTER_TOKEN_MAX_DAYS)
    return render(request, "front/profile.html", context, status=400 if token_error else 200)


@login_required
@require_POST
def token_create(request):
    # A token outlives the session that made it, so the password (and code) must be fresh.
    if refusal := reauth.confirm_first(request, reverse("profile")):
        return refusal
    name = request.POST.get("name", "").strip()[:100] or _("API token")
    try:
        days = int(request.POST.get("days") or settings.SHELTER_TOKEN_DAYS)
        token, clear = ApiToken.objects.issue(request.user, name, days=days)
    except ValueError:
        return _render(request, token_error=validity_error())
    record(request.user, "token", token, request=request, days=days)
    # Shown once in this response and stored nowhere in clear: only its SHA-256 is kept.
    return _render(request, new_token=clear)


@login_required
@require_POST
def token_revoke(request, pk):
    revoked = request.user.api_tokens.filter(pk=pk, revoked_at=None).update(revoked_at=timezone.now())
    if revoked:
        messages.success(request, _("Token revoked."))
    return redirect("profile")
