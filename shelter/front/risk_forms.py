"""The return-risk form: the destination, and what the assessor knows that the records cannot show."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shelter import wording
from shelter.assessment import refoulement

from .forms import country_choices

VISIBILITY = [("", "—"), ("high", _("High: widely known critic")), ("medium", _("Medium")), ("low", _("Low"))]
STATED = {
    "confession_evidence": _("The charges rest on confessions (the person's or co-accused's)"),
    "co_accused_ill_treated": _("Co-accused or relatives were ill-treated"),
    "activity_abroad": _("Political or religious activity abroad, known to the destination state"),
    "ethnic_group_at_risk": _("Belongs to an ethnic group at risk in the destination state"),
    "incommunicado_detention": _("Was held incommunicado before"),
    "prior_ill_treatment": _("Was tortured or ill-treated before"),
}


def assurance_checks() -> list[dict]:
    """The Othman criteria the assessor answers (the others are computed from the country profile)."""
    return [check for check in refoulement.method()["assurances"]["checks"] if not check.get("computed")]


class RiskForm(forms.Form):
    destination = forms.ChoiceField(label=_("Destination state"))
    visibility = forms.ChoiceField(label=_("Visibility to the destination state"), choices=VISIBILITY, required=False)
    assurances_given = forms.BooleanField(label=_("Diplomatic assurances were given"), required=False)

    def __init__(self, *args, language="en", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = [("", "—")] + country_choices()
        for key, label in STATED.items():
            self.fields[key] = forms.BooleanField(label=label, required=False)
        for check in assurance_checks():
            label = wording.text(check["label"], language)
            self.fields[f"assurance_{check['id']}"] = forms.BooleanField(label=label, required=False)

    def stated_fields(self):
        return [self[key] for key in STATED]

    def assurance_fields(self):
        return [self[f"assurance_{check['id']}"] for check in assurance_checks()]

    def clean_destination(self):
        try:
            return refoulement.country_code(self.cleaned_data["destination"])
        except refoulement.UnknownCountry as e:
            raise forms.ValidationError(str(e)) from None

    def manual(self) -> dict:
        data = self.cleaned_data
        manual = {key: True for key in STATED if data.get(key)}
        if data.get("visibility"):
            manual["visibility"] = data["visibility"]
        if data.get("assurances_given"):
            manual["assurances"] = {"given": True, **{check["id"]: bool(data.get(f"assurance_{check['id']}"))
                                                     for check in assurance_checks()}}
        return manual
