"""Entering a request by hand: a diffusion, an extradition request, a deportation order or an entry of a
national or interstate (CIS, SCO) wanted list, as a lawyer or the person received it."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from shelter.notices.models import RequestKind
from shelter.notices.sources import interpol
from shelter.records import access
from shelter.records.fields import PartialDateFormField

from .forms import PARTIAL_DATE_HELP, country_choices
from .screening_forms import MAX_ALIASES, BirthDateField, _prepared

MAX_LINES = 20


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\x00", "").splitlines() if line.strip()]


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RequestKind.choices, initial=RequestKind.EXTRADITION)
    case = forms.ModelChoiceField(
        label=_("Case"), queryset=None, required=False,
        help_text=_("Leave empty for a public list: every caseworker sees it. On a case, only its users do."),
    )
    requesting_state = forms.ChoiceField(label=_("Requesting state"))
    request_reference = forms.CharField(
        label=_("The request's own reference"), max_length=200, required=False,
        help_text=_("As the requesting state numbers it: the court case, the prosecutor's letter, the list entry."),
    )
    name = forms.CharField(label=_("Surname"), max_length=200)
    forename = forms.CharField(label=_("Forename"), max_length=200, required=False)
    aliases = forms.CharField(label=_("Other names and spellings"), required=False, help_text=_("One per line."),
                              widget=forms.Textarea(attrs={"rows": 2}))
    birth_date = BirthDateField(label=_("Date of birth"), required=False, max_length=10, help_text=PARTIAL_DATE_HELP)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), required=False,
                               choices=[("", "—"), ("male", _("Male")), ("female", _("Female"))])
    charges = forms.CharField(label=_("Charges"), required=False, max_length=4000,
                              help_text=_("One per line, as the request states them (article and wording)."),
                              widget=forms.Textarea(attrs={"rows": 3}))
    issued_on = PartialDateFormField(label=_("Issued on"), required=False, help_text=PARTIAL_DATE_HELP)
    charged_on = PartialDateFormField(label=_("Charges brought on"), required=False, help_text=PARTIAL_DATE_HELP)
    in_absentia = forms.BooleanField(label=_("Tried or sentenced in absentia"), required=False)
    penalty_years = forms.DecimalField(label=_("Maximum penalty or sentence left (years)"), required=False,
                                       min_value=0, max_value=100, decimal_places=1)
    facts_summary = forms.CharField(label=_("Summary of facts"), required=False, max_length=10000,
                                    help_text=_("As the request words it: the CCF deletes notices whose facts are vague."),
                                    widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        states = country_choices()
        self.fields["requesting_state"].choices = [("", "—")] + states
        self.fields["nationality"].choices = [("", "—")] + states
        self.fields["case"].queryset = access.visible_cases(user).exclude(wrapped_key=None).order_by("reference")
        # By reference and title, as the case list shows them (a case's str is its reference alone).
        self.fields["case"].label_from_instance = lambda case: f"{case.reference} · {case.title}" if case.title else case.reference

    def clean_case(self):
        case = self.cleaned_data.get("case")
        if case is not None and not access.can_edit(self.user, case):
            raise forms.ValidationError(_("You cannot add records to this case."))
        return case

    def clean_aliases(self):
        aliases = lines(self.cleaned_data["aliases"])
        if len(aliases) > MAX_ALIASES:  # as many as the matcher takes of one person
            raise forms.ValidationError(_("At most %(n)d lines.") % {"n": MAX_ALIASES})
        for alias in aliases:
            _prepared(alias)
        return aliases

    def clean_charges(self):
        charges = lines(self.cleaned_data["charges"])
        if len(charges) > MAX_LINES:
            raise forms.ValidationError(_("At most %(n)d lines.") % {"n": MAX_LINES})
        return charges

    def clean(self):
        data = super().clean()
        if data.get("name"):
            try:
                _prepared(" ".join(filter(None, (data.get("forename", ""), data["name"]))))
            except forms.ValidationError as e:
                self.add_error("name", e)
        return data

    def parsed(self) -> interpol.Notice:
        data = self.cleaned_data
        state = data["requesting_state"]
        return interpol.Notice(
            entity_id=f"M-{secrets.token_hex(5).upper()}", name=data["name"].strip(), forename=data["forename"].strip(),
            aliases=tuple(data["aliases"]), birth_date=data["birth_date"], gender=data["gender"] or None,
            nationalities=(data["nationality"],) if data["nationality"] else (),
            warrants=tuple(interpol.Warrant(issuing_country=state, charge=charge) for charge in data["charges"]),
        )

    def extra(self) -> dict:
        data = self.cleaned_data
        extra = {key: data[key] for key in ("requesting_state", "issued_on", "charged_on", "in_absentia", "facts_summary")}
        extra["request_reference"] = data["request_reference"].strip()
        if data["penalty_years"] is not None:
            extra["penalty_years"] = str(data["penalty_years"])
        return extra
