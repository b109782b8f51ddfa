"""Login in two steps (password, then an authenticator or recovery code), MFA enrolment,
re-authentication, and revoking sessions."""

import time

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from shelter.audit.log import record

from . import mfa, reauth, sessions, throttle
from .forms import CodeForm, ConfirmForm, EnrolForm, ThrottledAuthenticationForm, refuse
from .models import UserSession

PENDING_KEY = "shelter_mfa_pending"
PENDING_SECONDS = 300  # the code must follow the password within five minutes


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not mfa.is_enrolled(user):
            response = super().form_valid(form)
            # A role that requires MFA is logged in only to enrol: the middleware allows nothing else.
            return redirect("mfa-enrol") if mfa.is_required(user) else response
        # Password right: remember who, for the code step only. A fresh session key, so a
        # session id planted before the login is worth nothing (login() rotates it again).
        self.request.session.cycle_key()
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("login-code")


def _pending(request):
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    return user, pending


@never_cache
@csrf_protect
def login_code(request):
    user, pending = _pending(request)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        # Checked in this order so that a locked account does not even consume a recovery code.
        if not throttle.is_blocked(user.get_username(), request) and mfa.verify(user, code):
            del request.session[PENDING_KEY]
            login(request, user, backend=pending["backend"])
            return redirect(pending["next"])
        refuse(user.get_username(), request, "mfa")
        form.add_error("code", _("That code is not valid. Please try again."))
    return render(request, "accounts/login_code.html", {"form": form})


@never_cache
@login_required
def mfa_enrol(request):
    if mfa.is_enrolled(request.user):
        return render(request, "accounts/mfa_status.html", {"codes_left": mfa.recovery_codes_left(request.user)})
    device = mfa.pending_device(request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm(device, form.cleaned_data["code"])
        if codes is not None:
            record(request.user, "mfa_enrolled", request=request, object_type="user", object_id=str(request.user.pk))
            reauth.mark_authenticated(request)
            # Shown in this response only; the database keeps their digests.
            return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes})
        form.add_error("code", _("That code is not valid. Check the time on your phone and try again."))
    uri = mfa.provisioning_uri(device)
    return render(
        request,
        "accounts/mfa_enrol.html",
        {
            "form": form,
            "secret": mfa.secret_text(device),
            "uri": uri,
            "qr": mark_safe(mfa.qr_svg(uri)),  # noqa: S308 (segno's own markup, no user text in it)
            "mfa_required": mfa.is_required(request.user),
        },
    )


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@never_cache
@login_required
def login_confirm(request):
    """Enter the password (and a code, if enrolled) again before a sensitive action."""
    user = request.user
    with_code = mfa.is_enrolled(user)
    form = ConfirmForm(request.POST or None, with_code=with_code)
    if request.method == "POST" and form.is_valid():
        if _confirmed(request, form, with_code):
            reauth.mark_authenticated(request)
            return redirect(_safe_next(request))
        refuse(user.get_username(), request, "reauth")
        form.add_error(None, _("Your password or code didn't match. Please try again."))
    return render(request, "accounts/login_confirm.html", {"form": form, "next": _safe_next(request)})


def _confirmed(request, form, with_code: bool) -> bool:
    user = request.user
    if throttle.is_blocked(user.get_username(), request):
        throttle.spend_hashing_time(form.cleaned_data["password"])
        return False
    if not user.check_password(form.cleaned_data["password"]):
        return False
    return not with_code or mfa.verify(user, form.cleaned_data["code"])


@login_required
@require_POST
def session_revoke(request, pk):
    tracked = get_object_or_404(UserSession, pk=pk, user=request.user)
    if tracked.session_key == request.session.session_key:
        return redirect("profile")  # this session ends with "Log out"
    sessions.revoke(UserSession.objects.filter(pk=tracked.pk))
    record(request.user, "session_revoked", request=request, object_type="user", object_id=str(request.user.pk), count=1)
    messages.success(request, _("Session ended."))
    return redirect("profile")


@login_required
@require_POST
def sessions_revoke_others(request):
    count, tokens = sessions.revoke_all_access(request.user, keep_key=request.session.session_key)
    record(request.user, "session_revoked", request=request, object_type="user", object_id=str(request.user.pk),
           count=count, tokens=tokens)
    messages.success(request, _("All your other sessions were ended and your API tokens revoked."))
    return redirect("profile")


@login_required
@require_POST
def user_sessions_revoke(request, pk):
    """An administrator logs a user out everywhere (a lost laptop, a suspected compromise)."""
    if not request.user.manages_users:
        return render(request, "front/forbidden.html", status=403)
    target = get_object_or_404(get_user_model(), pk=pk)
    count, tokens = sessions.revoke_all_access(target, keep_key=request.session.session_key)
    record(request.user, "session_revoked", request=request, object_type="user", object_id=str(target.pk),
           count=count, tokens=tokens)
    messages.success(request, _("All sessions of %(user)s were ended and their API tokens revoked.")
                     % {"user": target.get_username()})
    return redirect(_safe_next(request))
