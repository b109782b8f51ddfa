from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shelter.accounts import mfa
from shelter.accounts.models import ApiToken
from shelter.audit.log import record


@login_required
def profile(request):
    return _render(request)


def _render(request, new_token=None):
    tokens = request.user.api_tokens.filter(revoked_at=None)
    context = {"tokens": tokens, "new_token": new_token, "sessions": request.user.sessions.all()}
    context.update(current_session_key=request.session.session_key, mfa_enrolled=mfa.is_enrolled(request.user))
    return render(request, "front/profile.html", context)


@login_required
@require_POST
def token_create(request):
    name = request.POST.get("name", "").strip()[:100] or _("API token")
    token, clear = ApiToken.objects.issue(request.user, name)
    record(request.user, "token", token, request=request)
    # Shown once in this response and stored nowhere in clear: only its SHA-256 is kept.
    return _render(request, new_token=clear)


@login_required
@require_POST
def token_revoke(request, pk):
    revoked = request.user.api_tokens.filter(pk=pk, revoked_at=None).update(revoked_at=timezone.now())
    if revoked:
        messages.success(request, _("Token revoked."))
    return redirect("profile")
