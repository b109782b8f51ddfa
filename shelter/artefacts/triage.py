"""Triage a suspicious message or file into a case: the file is kept encrypted as the case's evidence,
analysed in a child process (shelter.digital), and its report sealed with the case's key; the values it
yields are kept as keyed digests for linking campaigns across cases."""

import json

from django.db import transaction

from shelter.audit.log import record
from shelter.digital import isolate
from shelter.digital.message import report_dicts, report_dicts_for_path
from shelter.records import sealing
from shelter.records.evidence import store_evidence
from shelter.records.models import EvidenceFile

from . import campaigns
from .models import Artefact, ArtefactIndicator

SECONDS = 60


class AlreadyStored(ValueError):
    """The same file is already evidence in this case."""


def analyse_isolated(data: bytes, name: str, seconds: float = SECONDS) -> list[dict]:
    """The reports of shelter.digital, computed in a child process with time and memory limits, against
    the shipped and the imported feeds."""
    from .feeds import all_feeds

    try:
        return isolate.run(report_dicts, data, name, all_feeds(), seconds=seconds)
    except isolate.Isolated as e:
        return _unanalysed(name, e)


def analyse_path_isolated(path, seconds: float = SECONDS, dkim_keys: dict | None = None, online=None) -> list[dict]:
    """As analyse_isolated, for a file on disk: a mailbox is read one message at a time. ``online``
    (shelter.digital.dnscheck.Online) lets the child ask DNS, through the name server it names."""
    from .feeds import all_feeds

    try:
        return isolate.run(report_dicts_for_path, str(path), all_feeds(), dkim_keys, online, seconds=seconds)
    except isolate.Isolated as e:
        return _unanalysed(str(getattr(path, "name", path)), e)


def _unanalysed(name: str, e: Exception) -> list[dict]:
    return [{"file": name, "verdict": "suspicious", "score": 20, "likely_goal": [], "indicators": [], "raw_indicators": [],
             "findings": [{"kind": "parse_limit", "severity": "medium", "evidence": name,
                           "summary": f"The file was not analysed: {e}.", "summary_ru": f"Файл не проанализирован: {e}."}]}]


def overall(reports: list[dict]) -> tuple[str, int]:
    order = ["no_known_signs", "suspicious", "malicious"]
    worst = max(reports, key=lambda r: (order.index(r["verdict"]), r["score"]))
    return worst["verdict"], worst["score"]


def triage_into_case(case, name: str, data: bytes, user, title: str = "", request=None) -> Artefact:
    if EvidenceFile.objects.filter(case=case, sha256=_sha256(data)).exists():
        raise AlreadyStored("this file is already stored in this case")
    reports = analyse_isolated(data, name)
    verdict, score = overall(reports)
    person = user if getattr(user, "is_authenticated", False) else None  # the CLI acts under a name, not a user
    with transaction.atomic():
        evidence = store_evidence(case, title or name, name, data,
                                  "message/rfc822" if name.lower().endswith(".eml") else "application/octet-stream", person)
        artefact = Artefact.objects.create(
            case=case, evidence=evidence, verdict=verdict, score=score,
            goals=",".join(likely_goals_of(reports)), kinds=",".join(sorted({f["kind"] for r in reports for f in r["findings"]})),
            report=json.dumps(without_traits(reports), ensure_ascii=False), analysed_by=person)
        ArtefactIndicator.objects.bulk_create(
            [ArtefactIndicator(artefact=artefact, type=type_, digest=digest) for type_, digest in campaigns.digests(reports)])
        campaigns.link(artefact)
        record(user, "triage", artefact, request=request, verdict=verdict)
    return artefact


def without_traits(reports: list[dict]) -> list[dict]:
    """The reports as kept and shown: the similarity samples serve linking only."""
    return [{k: v for k, v in r.items() if k != "traits"} for r in reports]


def likely_goals_of(reports: list[dict]) -> list[str]:
    seen = []
    for report in reports:
        seen += [g for g in report["likely_goal"] if g not in seen]
    return seen


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def reports_of(artefact: Artefact) -> list[dict] | None:
    """The sealed reports, or None where the reader may not see them."""
    text = artefact.report
    if text is None or isinstance(text, sealing.Hidden):
        return None
    return json.loads(text)
