"""The return-risk assessment moved from the notices app (label ``wanted``) to the returns app:
what was stored before the move still opens, and archives made before it still restore."""

import json

from django.core import serializers

from shelter.crypto import aead
from shelter.ops import sealed_json
from shelter.records import sealing
from shelter.returns.models import RiskAssessment


def assessment(person):
    return RiskAssessment.objects.create(person=person, destination="UZ", method_version="v1", level="high",
                                         result=json.dumps({"level": "high"}))


def test_a_value_sealed_before_the_move_still_opens(person):
    stored = assessment(person)
    before_the_move = aead.seal(sealing.case_key(person.case_id), b"very_high",
                                f"wanted.riskassessment.level:{stored.pk}".encode())
    RiskAssessment.objects.filter(pk=stored.pk).update(level=before_the_move)
    assert RiskAssessment.objects.get(pk=stored.pk).level == "very_high"


def test_an_archive_made_before_the_move_restores_its_assessments(person):
    stored = assessment(person)
    sealed_json.register()
    dumped = serializers.serialize(sealed_json.FORMAT, RiskAssessment.objects.all())
    old_archive = dumped.replace('"returns.riskassessment"', '"wanted.riskassessment"')
    assert '"wanted.riskassessment"' in old_archive
    RiskAssessment.objects.all().delete()

    sealed_json.save_all(sealed_json.Deserializer(old_archive))

    restored = RiskAssessment.objects.get(pk=stored.pk)
    assert restored.level == "high" and restored.result_dict() == {"level": "high"}
