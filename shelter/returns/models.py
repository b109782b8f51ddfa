"""Return-risk assessments: what was concluded about the risk of a person's return to a state, each
assessment kept as it was made."""

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shelter.records import sealing
from shelter.records.fields import SealedField
from shelter.records.models import CaseScoped, Person


class RiskAssessment(CaseScoped):
    """One non-refoulement risk assessment of a person's return to a state. Re-assessing adds a new
    one: earlier assessments are kept, as they were, with the method version that made them."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="risk_assessments")
    destination = models.CharField(_("destination state"), max_length=2)
    number = models.PositiveIntegerField(default=1)
    method_version = models.CharField(max_length=40)
    level = SealedField(_("level"))
    result = SealedField(_("result"), long=True)  # the assessment as JSON
    manual_factors = SealedField(_("factors entered by hand"), long=True)  # what the assessor entered, as JSON
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    # Moved here from the notices app (label "wanted"): its table and the associated data its sealed
    # values are bound to keep the old name, so that nothing stored has to be rewritten.
    sealing_label = "wanted.riskassessment"

    class Meta:
        db_table = "wanted_riskassessment"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "destination", "number"], name="one_risk_assessment_number")
        ]

    def save(self, *args, **kwargs):
        self.case_id = self.person.case_id
        super().save(*args, **kwargs)

    def result_dict(self) -> dict:
        value = self.result
        if not value or isinstance(value, sealing.Hidden):
            return {}
        return json.loads(value)
