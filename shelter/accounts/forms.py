import copy

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _

from . import throttle


def refuse(username, request, reason: str) -> None:
    """Audit and count a failure that Django's authenticate() did not see."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request, reason=reason)


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing a locked account or address with the very message (and hashing
    time) of a wrong password: a lock reveals neither the account's existence nor the password."""

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username is not None and password and throttle.is_blocked(username, self.request):
            throttle.spend_hashing_time(password)
            refuse(username, self.request, "locked")
            raise self.get_invalid_login_error()
        return super().clean()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown by your authenticator app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class ConfirmForm(forms.Form):
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}))

    def __init__(self, *args, with_code=False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_code:
            self.fields["code"] = copy.deepcopy(CodeForm.base_fields["code"])
