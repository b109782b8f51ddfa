import hashlib
import re

from django import forms
from django.conf import settings
from django.forms import inlineformset_factory
from django.forms.renderers import DjangoTemplates
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shelter import countries, files, thesaurus
from shelter.accounts.models import User
from shelter.actors.involved import actor_named
from shelter.audit.log import record
from shelter.digital import links
from shelter.matching import person as matching_person
from shelter.matching import scripts as matching_scripts
from shelter.records import models as m
from shelter.records import sealing
from shelter.records.fields import PartialDateFormField

PARTIAL_DATE_HELP = _("YYYY, YYYY-MM or YYYY-MM-DD")


class FormRenderer(DjangoTemplates):
    """Django's renderer, except that a lone checkbox is rendered inside its label: Django puts the label
    on the line above the box, where it reads as the caption of the next box (settings.FORM_RENDERER)."""

    field_template_name = "front/_field.html"


class TermChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


def terms(name):
    return m.Term.objects.filter(thesaurus=name)


def country_choices():
    return countries.choices((get_language() or "en")[:2])


class CaseForm(forms.ModelForm):
    class Meta:
        model = m.Case
        fields = ["title", "status", "opened_on", "notes", "never_publish"]
        widgets = {"opened_on": forms.DateInput(attrs={"type": "date"})}


class DeadlineForm(forms.ModelForm):
    class Meta:
        model = m.Deadline
        fields = ["title", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}


class AccessForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True), label=_("User"))


class PersonForm(forms.ModelForm):
    birth_date = PartialDateFormField(label=_("Date of birth"), required=False, help_text=PARTIAL_DATE_HELP)
    # Tick boxes in a scrolling box, the region's states first: usable without JavaScript or Ctrl-click.
    nationalities = forms.TypedMultipleChoiceField(
        label=_("Nationalities"), choices=country_choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "country-picker"}),
        help_text=_("Tick every nationality, former ones (such as the Soviet Union) included."),
    )
    profiles = TermChoiceField(label=_("Profile"), queryset=terms("profiles"), required=False)
    publication_consent = forms.ChoiceField(label=_("Consent to publication"), choices=m.PublicationConsent.choices,
                                            required=False)
    publication_consent_on = PartialDateFormField(label=_("Consent given on"), required=False, help_text=PARTIAL_DATE_HELP)

    class Meta:
        model = m.Person
        fields = ["birth_date", "birth_place", "nationalities", "gender", "profiles", "external_id", "notes",
                  "publication_consent", "publication_consent_on", "publication_consent_source"]

    def clean_publication_consent(self):
        return self.cleaned_data["publication_consent"] or m.PublicationConsent.NONE

    def clean(self):
        data = super().clean()
        if data.get("publication_consent", "none") != "none":
            for field in ("publication_consent_on", "publication_consent_source"):
                if not data.get(field):
                    self.add_error(field, _("Say when and how the consent was given."))
        return data


SCRIPTS = [
    ("", _("Automatic")), ("Cyrl", pgettext_lazy("script", "Cyrillic")), ("Latn", pgettext_lazy("script", "Latin")),
    ("Arab", pgettext_lazy("script", "Arabic")), ("Geor", pgettext_lazy("script", "Georgian")),
    ("Armn", pgettext_lazy("script", "Armenian")), ("Grek", pgettext_lazy("script", "Greek")),
    ("Hani", pgettext_lazy("script", "Chinese characters")), ("Hang", pgettext_lazy("script", "Korean (Hangul)")),
]
NAME_LANGUAGES = [
    ("", _("Automatic")),
    ("ru", pgettext_lazy("language", "Russian")), ("uz", pgettext_lazy("language", "Uzbek")), ("tg", pgettext_lazy("language", "Tajik")),
    ("kk", pgettext_lazy("language", "Kazakh")), ("ky", pgettext_lazy("language", "Kyrgyz")), ("tk", pgettext_lazy("language", "Turkmen")),
    ("az", pgettext_lazy("language", "Azerbaijani")), ("be", pgettext_lazy("language", "Belarusian")), ("uk", pgettext_lazy("language", "Ukrainian")),
    ("en", pgettext_lazy("language", "English")), ("tr", pgettext_lazy("language", "Turkish")), ("de", pgettext_lazy("language", "German")),
    ("fr", pgettext_lazy("language", "French")), ("ar", pgettext_lazy("language", "Arabic")), ("fa", pgettext_lazy("language", "Persian")),
]


def _with_current(choices, current):
    """A list of choices that keeps a value recorded earlier (by the API or an import) selectable."""
    return choices if not current or current in dict(choices) else [*choices, (current, current)]


class NameForm(forms.ModelForm):
    # "Automatic": the script is read from the letters, the language guessed from tell-tale ones.
    script = forms.ChoiceField(label=_("Script"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].required = True
        self.fields["script"].choices = _with_current(SCRIPTS, self.instance.script)
        self.fields["language"].choices = _with_current(NAME_LANGUAGES, self.instance.language)

    def clean(self):
        data = super().clean()
        value = data.get("value")
        if value and not data.get("language"):
            # Only a guess from tell-tale letters; the person page shows it, and it can be changed here.
            self.instance.language = data["language"] = matching_scripts.guess_language(value) or ""
        return data

    def clean_value(self):
        # The matcher's bounds on what one name may cost to index and to screen against.
        from .screening_forms import reason_text  # that module builds on this one

        value = self.cleaned_data["value"]
        try:
            matching_person.check_size(value)
        except matching_person.InvalidPerson as e:
            raise forms.ValidationError(reason_text(str(e)), code="name") from None
        return value


class BaseNameFormSet(forms.BaseInlineFormSet):
    default_error_messages = {
        "too_many_forms": _("At most %(num)d names."),
        "too_few_forms": _("Enter at least one name: the one the person uses."),  # no %(num)d: always one
    }

    def _construct_form(self, i, **kwargs):
        # The first name of a new person is the primary one; names added later are aliases. Bound
        # forms get the same initial, so that an empty row left as rendered counts as unchanged.
        form = super()._construct_form(i, **kwargs)
        if i >= self.initial_form_count():
            form.initial["kind"] = m.NameKind.PRIMARY if i == 0 and not self.initial_form_count() else m.NameKind.ALIAS
        if i == 0:
            form.fields["value"].error_messages["required"] = self.error_messages["too_few_forms"]
        return form


NameFormSet = inlineformset_factory(
    m.Person, m.PersonName, form=NameForm, formset=BaseNameFormSet, fields=["value", "kind", "script", "language"],
    extra=2, min_num=1, validate_min=True, max_num=matching_person.MAX_NAMES, validate_max=True,
)
ContactFormSet = inlineformset_factory(m.Person, m.ContactDetail, fields=["kind", "value"], extra=1)
DocumentFormSet = inlineformset_factory(
    m.Person, m.IdentityDocument, fields=["kind", "number", "issuing_country", "expires_on"], extra=1
)
AsylumFormSet = inlineformset_factory(
    m.Person, m.AsylumStatus, fields=["host_country", "status", "since", "until"], extra=1
)


class CaseScopedForm(forms.ModelForm):
    """A form for a record of one case: choices of persons and sources come from that case only."""

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and hasattr(field.queryset.model, "case"):
                field.queryset = field.queryset.filter(case=case)
                if hasattr(field.queryset.model, "names"):  # persons and actors are labelled by their names
                    field.queryset = field.queryset.prefetch_related("names")
                field.label_from_instance = str


class IncidentForm(CaseScopedForm):
    date = PartialDateFormField(label=_("Date"), help_text=PARTIAL_DATE_HELP)
    tactics = TermChoiceField(label=_("Tactics"), queryset=terms("tactics"))
    accusation = forms.ChoiceField(label=_("Accusation"), required=False)
    sources = forms.ModelMultipleChoiceField(
        label=_("Sources"), queryset=m.Source.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = m.Incident
        fields = [
            "title", "date", "origin_state", "host_state", "place", "tactics", "accusation", "people_targeted",
            "outcome", "host_complicity", "narrative", "sources",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accusation"].choices = [("", "—")] + thesaurus.choices("accusations", (get_language() or "en")[:2])


class ActForm(CaseScopedForm):
    class Meta:
        model = m.Act
        fields = ["person", "role", "proxy_for", "sources"]
        widgets = {"sources": forms.SelectMultiple(attrs={"size": 3})}


class InvolvementForm(CaseScopedForm):
    """Who acted: an agency, an officer or an informant — one of the case's actors, or a new one by the
    name the source gives (an actor of the case, found again by that name). Names are no longer written
    on the involvement itself; one still written there (older records) is offered as the new name."""

    new_actor_name = forms.CharField(
        label=_("or a new actor's name"), max_length=500, required=False,
        help_text=_("Becomes an actor of this case; the same name in this case is the same actor."))

    field_order = ["actor_kind", "organisation", "actor", "new_actor_name", "role"]

    class Meta:
        model = m.Involvement
        fields = ["actor_kind", "organisation", "actor", "role"]
        labels = {"actor": _("One of the case's actors")}  # the model's "actor" already labels actor_kind

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request  # whose the actors created here are, for the audit log
        self.fields["actor"].queryset = self.fields["actor"].queryset.prefetch_related("names")
        written = self.instance.actor_name if not self.instance.actor_id else ""
        if written and not isinstance(written, sealing.Hidden):
            self.initial.setdefault("new_actor_name", written)

    def clean(self):
        data = super().clean()
        new_name = (data.get("new_actor_name") or "").strip()
        if data.get("actor") and new_name:
            self.add_error("new_actor_name", _("Choose one of the case's actors or write a new name, not both."))
        elif data.get("actor_kind") == m.ActorKind.OFFICER and not data.get("actor") and not new_name:
            self.add_error("new_actor_name", _("A named officer needs a name. If the name is not known, choose “Unknown”."))
        data["new_actor_name"] = new_name
        return data

    def save(self, commit=True):
        involvement = super().save(commit=False)
        if self.cleaned_data["new_actor_name"]:
            involvement.actor = self._actor_named(self.cleaned_data["new_actor_name"], involvement)
        if involvement.actor_id:
            involvement.actor_name = ""  # the name now lives on the actor
        if commit:
            involvement.save()
        return involvement

    def _actor_named(self, name, involvement):
        actor, created = actor_named(self.case, name, involvement.actor_kind, involvement.organisation)
        if created:
            record(self.request.user, "create", actor, request=self.request, fields=["names", "kind", "organisation"])
        return actor


def case_formset(model, form, fields, prefetch=()):
    base = inlineformset_factory(m.Incident, model, form=form, fields=fields, extra=2)

    class CaseFormSet(base):
        def __init__(self, *args, case, **kwargs):
            self.case = case
            self.form_kwargs_extra = {k: kwargs.pop(k) for k in ("request",) if k in kwargs}
            kwargs.setdefault("queryset", model._default_manager.prefetch_related(*prefetch))  # a row's many-to-many
            super().__init__(*args, **kwargs)

        def get_form_kwargs(self, index):
            return {**super().get_form_kwargs(index), "case": self.case, **self.form_kwargs_extra}

        def add_fields(self, form, index):
            # The choices (the case's persons, sources, actors; the organisations) are the same in every
            # form of the set: read once for the set, not once a row. Validation still asks the queryset.
            super().add_fields(form, index)
            shared = self.__dict__.setdefault("_shared_choices", {})
            for name, field in form.fields.items():
                if isinstance(field, forms.ModelChoiceField) and not field.widget.is_hidden:  # not the row's id
                    if name not in shared:
                        shared[name] = list(field.choices)
                    field.choices = shared[name]
    return CaseFormSet


ActFormSet = case_formset(m.Act, ActForm, ["person", "role", "proxy_for", "sources"], prefetch=["sources"])
InvolvementFormSet = case_formset(m.Involvement, InvolvementForm, ["actor_kind", "organisation", "actor", "role"])


class LegalProcessForm(CaseScopedForm):
    opened_on = PartialDateFormField(label=_("Opened on"), required=False, help_text=PARTIAL_DATE_HELP)
    decided_on = PartialDateFormField(label=_("Decided on"), required=False, help_text=PARTIAL_DATE_HELP)
    sources = forms.ModelMultipleChoiceField(
        label=_("Sources"), queryset=m.Source.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = m.LegalProcess
        fields = [
            "person", "kind", "reference", "requesting_state", "deciding_state", "deciding_body",
            "opened_on", "decided_on", "deadline", "hearing_on", "status", "outcome", "sources",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "hearing_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "status": _("Granted and refused are read for the kind of process: a Red Notice is granted when "
                        "Interpol publishes it, an extradition or deportation when it is ordered, asylum when "
                        "protection is given, a CCF complaint when the CCF finds for the applicant."),
        }


class SourceForm(CaseScopedForm):
    published_on = PartialDateFormField(label=_("Date"), required=False, help_text=PARTIAL_DATE_HELP)

    class Meta:
        model = m.Source
        fields = ["kind", "title", "url", "language", "published_on", "reliability", "confidentiality", "notes"]


class OrganisationForm(forms.ModelForm):
    aliases = forms.CharField(label=_("Aliases"), required=False, help_text=_("One per line"), widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = m.Organisation
        fields = ["name", "kind", "country", "aliases", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["aliases"] = "\n".join(self.instance.aliases)
        if self.instance.imported:
            # What a list says is changed by importing it again, never by hand: a renamed or
            # re-countried listed entity would be a forged listing. Disabled fields ignore what is posted.
            for name in ("name", "aliases", "country"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("From the imported list: changed only by importing it again.")

    def clean_aliases(self):
        if self.fields["aliases"].disabled:
            return self.instance.aliases
        return [a.strip() for a in self.cleaned_data["aliases"].splitlines() if a.strip()]


def checked_size(upload):
    """An upload within the instance's limit and not empty, or the reason it is refused."""
    if upload.size > settings.SHELTER_MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("The file is too large: the limit is %(mb)s MB."), params={"mb": settings.SHELTER_MAX_UPLOAD_BYTES // (1024 * 1024)})
    if upload.size == 0:
        raise forms.ValidationError(_("The file is empty."))
    return upload


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    file = forms.FileField(label=_("File"), help_text=_("PDF, images, office documents, text, audio; at most %(mb)s MB"))
    source = forms.ModelChoiceField(label=_("Source"), queryset=m.Source.objects.none(), required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["source"].queryset = m.Source.objects.filter(case=case)
        self.fields["source"].label_from_instance = str
        self.fields["file"].help_text = self.fields["file"].help_text % {"mb": settings.SHELTER_MAX_UPLOAD_BYTES // (1024 * 1024)}

    def clean_file(self):
        upload = checked_size(self.cleaned_data["file"])
        upload.seek(0)
        head = upload.read(4096)
        upload.seek(0)
        try:
            self.content_type = files.classify(upload.name, head)
        except files.UnsupportedFile as e:
            raise forms.ValidationError(_("This file cannot be accepted: %(reason)s."), params={"reason": str(e)}) from e
        self.sha256 = hashlib.sha256(upload.read()).hexdigest()
        upload.seek(0)
        if m.EvidenceFile.objects.filter(case=self.case, sha256=self.sha256).exists():
            raise forms.ValidationError(_("This file is already stored in this case."))
        return upload


class EvidenceEditForm(CaseScopedForm):
    """Title and source only: the stored file itself never changes."""

    class Meta:
        model = m.EvidenceFile
        fields = ["title", "source"]


class IncidentFilterForm(forms.Form):
    origin = forms.ChoiceField(label=_("Origin state"), required=False)
    host = forms.ChoiceField(label=_("Host state"), required=False)
    tactic = forms.ChoiceField(label=_("Tactic"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    profile = forms.ChoiceField(label=_("Profile"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = (get_language() or "en")[:2]
        every = [("", _("All"))]
        self.fields["origin"].choices = every + country_choices()
        self.fields["host"].choices = every + country_choices()
        self.fields["tactic"].choices = every + thesaurus.choices("tactics", language)
        self.fields["profile"].choices = every + thesaurus.choices("profiles", language)

NameFormSet.legend = _("Names (in every script and spelling known)")
ContactFormSet.legend = _("Contact details")
DocumentFormSet.legend = _("Identity documents")
AsylumFormSet.legend = _("Asylum and refugee status")
ActFormSet.legend = _("Who was targeted")
InvolvementFormSet.legend = _("Who acted")


class SuspiciousFileForm(forms.Form):
    """A suspicious message (.eml) or file an exile forwarded — or its headers, or the links they were
    sent, pasted. Any file type is accepted, since it is kept encrypted and never opened or shown, only
    analysed and offered as a download."""

    file = forms.FileField(label=_("Message or file"), required=False,
                           help_text=_("A message saved as .eml or .msg (forwarded messages inside it are analysed too), a mailbox (mbox), or any file; at most %(mb)s MB. It is kept encrypted as evidence and never opened."))
    pasted = forms.CharField(label=_("Or paste the headers, or the links"), required=False, max_length=1_000_000,
                             widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
                             help_text=_("The message's headers as the mail program shows them (\"show original\"), or links one per line. Nothing is opened."))
    title = forms.CharField(label=_("Title"), max_length=500, required=False, help_text=_("Optional; the file name otherwise."))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["file"].help_text = self.fields["file"].help_text % {"mb": settings.SHELTER_MAX_UPLOAD_BYTES // (1024 * 1024)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        return checked_size(upload) if upload else None

    def clean(self):
        data = super().clean()
        upload, pasted = data.get("file"), (data.get("pasted") or "").strip()
        if upload and pasted:
            raise forms.ValidationError(_("Give a file or paste text, not both."))
        if upload:
            data["name"], data["data"] = upload.name, upload.read()
        elif pasted:
            data["name"], data["data"] = pasted_as_file(pasted)
        elif not self.errors:
            raise forms.ValidationError(_("Choose a file, or paste the headers or the links."))
        return data


HEADER_LINE = re.compile(r"^[!-9;-~]+:")


def pasted_as_file(text: str) -> tuple[str, bytes]:
    """Pasted text as the file it stands for: links one per line, or a message's header block."""
    if links.url_list(text):
        return "links.txt", text.encode()
    if not HEADER_LINE.match(text):
        raise forms.ValidationError(_("This is neither a message's headers (lines such as \"Received: …\") nor links, one per line."))
    header = text.replace("\r\n", "\n").split("\n\n", 1)[0]
    return "headers.eml", (header + "\n\n").encode()


class IndicatorFeedForm(forms.Form):
    """An administrator's import of published indicators (STIX 2.1 as MVT reads it, or a plain list)."""

    file = forms.FileField(label=_("Indicators"), help_text=_("A STIX 2.1 bundle (.stix2) or a list of domains, addresses, IPs and hashes, one per line."))
    name = forms.SlugField(label=_("Name"), max_length=100, help_text=_("Importing a name again replaces that feed."))
    campaign = forms.CharField(label=_("Campaign"), max_length=300, required=False)
    source = forms.URLField(label=_("Published at"), required=False, assume_scheme="https")

    def clean_file(self):
        return checked_size(self.cleaned_data["file"])


class ActorForm(CaseScopedForm):
    """An actor of the case, with the names it is known by (sealed)."""

    name = forms.CharField(label=_("Name"), max_length=500, help_text=_("As the victim or the source gives it, in any script"))
    aliases = forms.CharField(label=_("Other names"), required=False, help_text=_("One per line"), widget=forms.Textarea(attrs={"rows": 3}))
    first_seen = PartialDateFormField(label=pgettext_lazy("actor", "First seen"), required=False, help_text=PARTIAL_DATE_HELP)
    last_seen = PartialDateFormField(label=pgettext_lazy("actor", "Last seen"), required=False, help_text=PARTIAL_DATE_HELP)
    sources = forms.ModelMultipleChoiceField(label=_("Sources"), queryset=m.Source.objects.all(), required=False,
                                             widget=forms.CheckboxSelectMultiple)

    class Meta:
        from shelter.actors.models import Actor

        model = Actor
        fields = ["kind", "claimed_organisation", "organisation", "confidence", "first_seen", "last_seen", "notes", "sources"]

    def clean_aliases(self):
        return [a.strip() for a in self.cleaned_data["aliases"].splitlines() if a.strip()]


class IdentifierForm(forms.ModelForm):
    """A phone, an account, a plate… written as the source gives it: it is checked and kept as written,
    and compared in its one written form."""

    class Meta:
        from shelter.actors.models import Identifier

        model = Identifier
        fields = ["kind", "value", "country"]

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean(self):
        from shelter.identifiers.normalise import IdentifierError, normalise

        data = super().clean()
        if data.get("kind") and data.get("value"):
            try:
                normalise(data["kind"], data["value"], data.get("country") or "")
            except IdentifierError as e:
                reason = gettext(e.template).format(**e.params)  # the engine's reasons are in the catalogue too
                self.add_error("value", _("This is not a valid %(kind)s: %(reason)s.") % {
                    "kind": self.instance.__class__(kind=data["kind"]).get_kind_display(), "reason": reason})
        return data
