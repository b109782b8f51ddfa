"""Model fields of the identity tier.

``SealedField`` keeps AES-256-GCM ciphertext in the database and plaintext on the instance. Reading
the attribute decrypts with the case's data key, unless the current scope hides identity data (a
researcher's request) or the key was erased, in which case a ``Hidden`` marker comes back. Writing a
``Hidden`` marker back is refused, so a pseudonymised view can never overwrite real data.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from shelter import countries
from shelter import dates as partial_dates

from . import sealing


class Ciphertext(bytes):
    """A value as loaded from the database, not yet decrypted."""


class SealedAttribute(DeferredAttribute):
    # A data descriptor (it has __set__), so reads always come through __get__ and are decrypted.
    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        scope = sealing.current()
        if not scope.reveal:
            return sealing.Hidden("hidden")  # even emptiness is not shown to those who may not read
        if not isinstance(value, Ciphertext):
            return "" if value is None else value
        try:
            text = sealing.open_text(instance, self.field.name, value)
        except sealing.Erased:
            return sealing.Hidden("erased")
        scope.note_read(instance)
        return text


class SealedField(models.BinaryField):
    descriptor_class = SealedAttribute

    def __init__(self, *args, long=False, **kwargs):
        self.long = long
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("null", "blank"):
            kwargs.pop(key, None)
        if self.long:
            kwargs["long"] = True
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return None if value is None else Ciphertext(value)

    def to_python(self, value):
        return value

    def pre_save(self, instance, add):
        value = instance.__dict__.get(self.attname)
        if isinstance(value, sealing.Hidden):
            raise PermissionDenied("hidden identity data cannot be saved")
        if value is None or value == "" or isinstance(value, Ciphertext):
            return value or None
        return sealing.seal_text(instance, self.name, str(value))

    def value_from_object(self, obj):
        return getattr(obj, self.attname)

    def formfield(self, **kwargs):
        widget = forms.Textarea(attrs={"rows": 5}) if self.long else forms.TextInput
        return forms.CharField(
            label=capfirst(self.verbose_name),
            required=not self.blank,
            widget=widget,
            help_text=self.help_text,
            max_length=None if self.long else 500,
        )


class CountryFormField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        kwargs.pop("empty_value", None)
        super().__init__(choices=self._choices_now, coerce=str, empty_value="", **kwargs)

    @staticmethod
    def _choices_now():
        from django.utils.translation import get_language

        return [("", "—")] + countries.choices(get_language() or "en")


def validate_country(value):
    from django.core.exceptions import ValidationError

    if value and not countries.is_country(value):
        raise ValidationError(f"Unknown country code {value!r}.", code="country")


class CountryField(models.CharField):
    """ISO 3166-1 alpha-2 code (or SU, the former USSR)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 2)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_country)

    def formfield(self, **kwargs):
        return super().formfield(form_class=CountryFormField, choices_form_class=CountryFormField, **kwargs)


class PartialDateFormField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return ""
        try:
            return partial_dates.parse(value).iso()
        except partial_dates.PartialDateError as e:
            raise forms.ValidationError(date_reason(e), code="date") from e


DATE_REASONS = {
    partial_dates.NOT_A_DATE: _("%(value)s is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"),
    partial_dates.YEAR_OUT_OF_RANGE: _("year %(year)s is outside %(min_year)s–%(max_year)s"),
    partial_dates.NO_SUCH_MONTH: _("month %(month)s does not exist"),
    partial_dates.NO_SUCH_DAY: _("%(value)s is not a valid day: that month has no such day"),
}


def date_reason(error: partial_dates.PartialDateError) -> str:
    """Why a date was refused, in the user's language."""
    return str(DATE_REASONS.get(error.reason, error.reason)) % error.params


def validate_partial_date(value):
    from django.core.exceptions import ValidationError

    if value:
        try:
            partial_dates.parse(value)
        except partial_dates.PartialDateError as e:
            raise ValidationError(date_reason(e), code="date") from e


class PartialDateField(models.CharField):
    """A date of year, month or day precision, stored as sortable ISO text."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_partial_date)

    def formfield(self, **kwargs):
        kwargs.setdefault("help_text", _("YYYY, YYYY-MM or YYYY-MM-DD"))
        return super().formfield(form_class=PartialDateFormField, **kwargs)
