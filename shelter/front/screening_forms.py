"""The "Screen a name" form: a person as a notice or an extradition request describes them.

Errors are phrased for the user and translated; the matcher's reasons (``InvalidPerson``) never quote
the name, and neither do these.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shelter import dates
from shelter.matching import person as matching_person

from .forms import PARTIAL_DATE_HELP, country_choices

MAX_ALIASES = matching_person.MAX_ALIASES


def reason_text(reason: str) -> str:
    """The matcher's reason for refusing a name, in the user's language (the reason itself when it
    is not one of the known ones)."""
    limits = {"length": matching_person.MAX_NAME_LENGTH, "parts": matching_person.MAX_PARTS}
    if reason.startswith("name has no letters"):
        return gettext("It has no letters: only digits or punctuation.")
    if reason.startswith("name is a single letter"):
        return gettext("It is a single letter.")
    if reason.startswith("name mixes scripts"):
        return gettext("It mixes scripts: write each spelling on a line of its own, in one script.")
    if reason.startswith("name has nothing but titles"):
        return gettext("It has nothing but titles (Mr, Dr …).")
    if reason.startswith("name is longer than"):
        return gettext("It is longer than %(length)s characters.") % limits
    if reason.startswith("name has more than"):
        return gettext("It has more than %(parts)s parts.") % limits
    if reason.endswith(" is empty"):
        return gettext("It is empty.")
    return reason


def _prepared(text: str) -> None:
    try:
        matching_person.prepare_name(text)
    except matching_person.InvalidPerson as e:
        raise forms.ValidationError(reason_text(str(e)), code="name") from None


class BirthDateField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return ""
        try:
            return dates.parse(value).iso()
        except dates.PartialDateError:
            raise forms.ValidationError(_("Not a date: use YYYY, YYYY-MM or YYYY-MM-DD."), code="date") from None


class ScreenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=matching_person.MAX_NAME_LENGTH,
        help_text=_("As the notice or request writes it, in any script."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autofocus": True}),
    )
    aliases = forms.CharField(
        label=_("Other spellings and aliases"), required=False, help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off", "spellcheck": "false"}),
    )
    birth_date = BirthDateField(label=_("Date of birth"), required=False, max_length=10, help_text=PARTIAL_DATE_HELP,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "1979-08"}))
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", "—"), ("male", _("Male")), ("female", _("Female"))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = [("", "—")] + country_choices()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        _prepared(name)
        return name

    def clean_aliases(self):
        lines = [line.strip() for line in self.cleaned_data["aliases"].splitlines()]
        aliases = list(dict.fromkeys(line for line in lines if line))
        if len(aliases) > MAX_ALIASES:
            raise forms.ValidationError(
                _("At most %(count)s aliases."), code="aliases", params={"count": MAX_ALIASES}
            )
        for number, alias in enumerate(aliases, 1):
            try:
                _prepared(alias)
            except forms.ValidationError as e:
                raise forms.ValidationError(
                    _("Alias %(number)s: %(reason)s"), code="alias",
                    params={"number": number, "reason": e.messages[0]},
                ) from None
        return aliases

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.person = matching_person.make(
                data["name"], data["aliases"], data.get("birth_date") or None, data.get("nationality") or None,
                data.get("gender") or None,
            )
        except matching_person.InvalidPerson as e:
            raise forms.ValidationError(reason_text(str(e)), code="person") from None
        return data

    def filled(self) -> list[str]:
        """Which optional facts were given (field names only, for the audit log)."""
        return [name for name in ("aliases", "birth_date", "nationality", "gender") if self.cleaned_data.get(name)]
