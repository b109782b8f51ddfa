"""The export request form: the item, up to ``PARTY_ROWS`` parties, the destination — or a REQUEST.json,
the same file ``shelter exports screen`` reads. Either way it becomes a ``shelter.exports.request.Request``,
and what that refuses is shown against the field it names."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from shelter import wording
from shelter.exportcontrol.labels import PURPOSES, ROLES
from shelter.exports import classify
from shelter.exports.request import MAX_DESCRIPTION, MAX_END_USE, MAX_ID, MAX_NAME, InvalidRequest, from_json
from shelter.records.fields import CountryFormField

PARTY_ROWS = 6
MAX_FILE_BYTES = 1_000_000
ROLE_CHOICES = [("", "—"), *ROLES.items()]


class ExportRequestForm(forms.Form):
    file = forms.FileField(label=_("Or a request file (REQUEST.json)"), required=False,
                           help_text=_("The JSON file the command line reads; it replaces what is typed below."))
    reference = forms.CharField(label=_("Reference"), max_length=MAX_ID, required=False,
                                help_text=_("Your reference for this export: a licence application or file number."))
    exporter = forms.CharField(label=_("Exporter"), max_length=MAX_NAME, required=False)
    description = forms.CharField(label=_("Item"), max_length=MAX_DESCRIPTION, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("What the item is and does, as the exporter or the contract describes it."))
    control_code = forms.CharField(label=_("Control code given"), max_length=40, required=False,
                                   help_text=_("The exporter's classification, if any (e.g. 5A001.f)."))
    destination = CountryFormField(label=_("Destination"), required=False)
    end_use = forms.CharField(label=_("Stated end use"), max_length=MAX_END_USE, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, language="en", **kwargs):
        super().__init__(*args, **kwargs)
        for name, question in classify.parameters().items():
            if question["type"] == "bool":
                choices = [("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))]
            else:
                choices = [("", _("Not known"))] + [(c, PURPOSES.get(c, c)) for c in question["choices"]]
            self.fields[f"param_{name}"] = forms.ChoiceField(label=wording.text(question["question"], language),
                                                             choices=choices, required=False)
        for n in range(PARTY_ROWS):
            self.fields[f"party_{n}_role"] = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, required=False)
            self.fields[f"party_{n}_name"] = forms.CharField(label=_("Name"), max_length=MAX_NAME, required=False)
            self.fields[f"party_{n}_country"] = CountryFormField(label=_("Country"), required=False)
            for part in ("role", "name", "country"):  # in a table, without a label element of their own
                field = self.fields[f"party_{n}_{part}"]
                field.widget.attrs["aria-label"] = f"{field.label} {n + 1}"

    @property
    def questions(self):
        return [self[f"param_{name}"] for name in classify.parameters()]

    @property
    def party_rows(self):
        return [(self[f"party_{n}_role"], self[f"party_{n}_name"], self[f"party_{n}_country"]) for n in range(PARTY_ROWS)]

    @classmethod
    def initial_from(cls, data: dict) -> dict:
        """A kept request as the form's initial values."""
        item = data.get("item", {})
        initial = {"reference": data.get("id", ""), "exporter": data.get("exporter", ""),
                   "description": item.get("description", ""), "control_code": item.get("control_code", ""),
                   "destination": data.get("destination", ""), "end_use": data.get("end_use", "")}
        for name, value in (item.get("parameters") or {}).items():
            initial[f"param_{name}"] = {True: "yes", False: "no"}.get(value, value)
        for n, party in enumerate(data.get("parties", [])[:PARTY_ROWS]):
            initial.update({f"party_{n}_role": party["role"], f"party_{n}_name": party["name"],
                            f"party_{n}_country": party.get("country", "")})
        return initial

    def _parameters(self) -> dict:
        answers = {}
        for name in classify.parameters():
            value = self.cleaned_data.get(f"param_{name}") or ""
            if value:
                answers[name] = {"yes": True, "no": False}.get(value, value)
        return answers

    def _typed(self) -> dict:
        data = self.cleaned_data
        parties = []
        for n in range(PARTY_ROWS):
            role, name, country = (data.get(f"party_{n}_{f}") or "" for f in ("role", "name", "country"))
            if role or name.strip():
                parties.append({"role": role, "name": name, "country": country, "row": n})
        return {"id": data.get("reference", ""), "exporter": data.get("exporter", ""),
                "item": {"description": data.get("description", ""), "control_code": data.get("control_code", ""),
                         "parameters": self._parameters()},
                "parties": parties, "destination": data.get("destination", ""), "end_use": data.get("end_use", "")}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        upload = data.get("file")
        if upload:
            if upload.size > MAX_FILE_BYTES:
                raise forms.ValidationError(_("The file is larger than %(n)s bytes.") % {"n": MAX_FILE_BYTES})
            try:
                raw = json.loads(upload.read().decode("utf-8"))
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
            except json.JSONDecodeError as e:
                raise forms.ValidationError(_("The file is not JSON (line %(line)s: %(reason)s).")
                                            % {"line": e.lineno, "reason": e.msg}) from None
            try:
                data["request"] = from_json(raw)
            except InvalidRequest as e:
                raise forms.ValidationError(_("The file cannot be screened: %(reason)s") % {"reason": e}) from None
            return data
        typed = self._typed()
        rows = [p.pop("row") for p in typed["parties"]]
        required = forms.Field.default_error_messages["required"]
        for field in ("reference", "description", "destination"):
            if not data.get(field):
                self.add_error(field, required)
        for party, row in zip(typed["parties"], rows):
            if not party["role"]:
                self.add_error(f"party_{row}_role", _("Choose a role for this party."))
            if not party["name"].strip():
                self.add_error(f"party_{row}_name", required)
        if self.errors:
            return data
        try:
            data["request"] = from_json(typed)
        except InvalidRequest as e:
            self.add_error(self._field_of(str(e), rows), str(e).split(": ", 1)[-1])
        return data

    @staticmethod
    def _field_of(reason: str, rows: list[int]) -> str | None:
        """The form field a request's reason names (``parties[1].name: …`` → ``party_<row>_name``)."""
        where = reason.split(":", 1)[0]
        if where.startswith("parties[") and "]." in where:
            index, field = where[len("parties["):].split("].", 1)
            return f"party_{rows[int(index)]}_{field}"
        return {"id": "reference", "item.description": "description", "item.control_code": "control_code",
                "destination": "destination", "exporter": "exporter", "end_use": "end_use"}.get(where)

    def request(self):
        return self.cleaned_data["request"]
