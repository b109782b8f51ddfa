"""Screening an export request with what the reader may see: the engines (``shelter.exports`` for the
item, the destination and the decision; ``shelter.orgnames`` for the parties) fed from the database.

The parties are matched against every organisation (public knowledge); an organisation counts as a
documented perpetrator for this reader by the incidents of the cases they see, and a match whose
incidents are all in other cases says only that there is more to ask a coordinator about. The result is
kept bilingual (``{"en", "ru"}`` texts); ``as_json`` gives the one-language form the CLI and API print.
"""

import threading
import uuid
from collections import Counter

from django.db import transaction
from django.db.models import Count, Max

from shelter import wording
from shelter.assessment import refoulement, sources
from shelter.audit.log import record
from shelter.exports import classify, controls, decision, destination
from shelter.exports.request import ROLES, Request
from shelter.records.access import visible_cases
from shelter.records.models import Case, Incident, Involvement, Organisation

from .models import ExportRequest, Screening

MATCHES_PER_PARTY = 3
ROLE_LABELS = {
    "end_user": {"en": "end user", "ru": "конечный пользователь"},
    "consignee": {"en": "consignee", "ru": "грузополучатель"},
    "intermediary": {"en": "intermediary", "ru": "посредник"},
    "owner": {"en": "owner", "ru": "владелец"},
}
assert set(ROLE_LABELS) == set(ROLES)


# -- the parties ------------------------------------------------------------------------------------

_index_lock = threading.Lock()
_index_cache: dict = {}


def organisation_index():
    """The name index of every organisation, rebuilt when one is added, changed or removed."""
    from shelter.orgnames import Index

    stamp = tuple(Organisation.objects.aggregate(n=Count("pk"), latest=Max("updated_at")).values())
    with _index_lock:
        if _index_cache.get("stamp") != stamp:
            index = Index()
            for pk, name, aliases, country in Organisation.objects.values_list("pk", "name", "aliases", "country").iterator():
                index.add(str(pk), [name, *(aliases or [])], country or "")
            index.freeze()
            _index_cache.update(stamp=stamp, index=index)
        return _index_cache["index"]


def _cases(user):
    """The cases the screening reads: the reader's; every case for the operator at the command line."""
    return Case.objects.all() if user is None else visible_cases(user)


def _tactic_label(code: str) -> dict:
    return wording.term("tactics", code)


def _organisation_record(organisation, cases) -> dict:
    incidents = list(Incident.objects.filter(case__in=cases, involvements__organisation=organisation)
                     .distinct().prefetch_related("tactics"))
    by_tactic, by_year = Counter(), Counter()
    for incident in incidents:
        by_year[incident.date[:4] or "?"] += 1
        for tactic in incident.tactics.all():
            by_tactic[tactic.code] += 1
    elsewhere = Involvement.objects.filter(organisation=organisation).exclude(case__in=cases).exists()
    return {
        "incidents": len(incidents),
        "incidents_by_tactic": dict(by_tactic.most_common()),
        "incident_years": dict(sorted(by_year.items())),
        "incident_ids": [str(i.pk) for i in incidents],
        "tactic_labels": [_tactic_label(code) for code, _ in by_tactic.most_common()],
        "hidden": elsewhere,
    }


def party_matches(request: Request, cases) -> list[dict]:
    index = organisation_index()
    perpetrators = set(Involvement.objects.exclude(organisation=None).values_list("organisation_id", flat=True).distinct())
    found = []
    for number, party in enumerate(request.parties):
        hits = index.screen(party.name, party.country, limit=MATCHES_PER_PARTY)
        organisations = Organisation.objects.in_bulk([hit.key for hit in hits])
        for hit in hits:
            organisation = organisations.get(uuid.UUID(hit.key))
            if organisation is None:
                continue
            common = {
                "party": {"number": number, "role": party.role, "role_label": ROLE_LABELS[party.role],
                          "name": party.name, "country": party.country},
                "matched": organisation.name, "organisation": str(organisation.pk),
                "organisation_country": organisation.country, "score": round(hit.score, 3),
                "explanation": hit.explanation, "matched_name": hit.matched_name,
            }
            if organisation.restricted:
                found.append({**common, "kind": "sanctions", "lists": list(organisation.datasets or []) or
                              [wording.as_is("an imported sanctions or export-restriction list")],
                              "topics": list(organisation.topics or [])})
            if organisation.pk in perpetrators:
                found.append({**common, "kind": "organisation", **_organisation_record(organisation, cases)})
    return found


# -- the destination --------------------------------------------------------------------------------

def destination_record(country: str, capabilities: list[str], cases) -> dict:
    incidents = Incident.objects.filter(case__in=cases, origin_state=country).prefetch_related("tactics")
    rows = [destination.Row(tuple(t.code for t in incident.tactics.all()), incident.date[:4], incident.host_state == country)
            for incident in incidents]
    found = destination.record(country, rows, [_capability(code) for code in capabilities])
    profile = refoulement.country_profiles()["countries"].get(country, {})
    found["sources"] = [
        {"text": statement["text"], "as_of": statement.get("as_of"),
         "cites": [sources.as_cited(source) for source in statement["sources"]]}
        for statement in profile.get("statements", [])
    ]
    found["country_name"] = wording.country_name(country)
    found["tactic_labels"] = {code: _tactic_label(code) for code in found["incidents_by_tactic"]}
    return found


# -- the whole screening ----------------------------------------------------------------------------

def _cited(citations) -> list[dict]:
    return [sources.as_cited(c) for c in citations]


def _legal(ref: str) -> dict:
    statement = controls.legal(ref)
    return {"ref": ref, "title": statement.title, "text": statement.text, "cites": _cited(statement.cites)}


def _capability(code: str) -> dict:
    capability = controls.capability(code)
    return {"code": code, "title": capability.title,
            "tactics": [{"code": link.tactic, "why": link.why, "basis": link.basis} for link in capability.tactics]}


def _entry(candidate) -> dict:
    entry = controls.entry(candidate.code)
    return {
        "code": candidate.code, "list": candidate.list, "title": candidate.title, "confidence": candidate.confidence,
        "basis": {lang: "; ".join(seen.describe(lang) for seen in candidate.basis) for lang in wording.LANGUAGES},
        "reason": candidate.reason, "text": entry.text, "wording": entry.wording,
        "counterparts": {regime: c.code for regime, c in entry.counterparts.items()},
        "cites": _cited(entry.cites),
    }


def _step(step) -> dict:
    return {"id": step.id, "title": step.title, "asks": step.asks, "cites": _cited(step.cites)}


def screen(request: Request, user=None) -> dict:
    """The screening's result, bilingual, for ``user`` (None: the operator, every case)."""
    cases = _cases(user)
    item = classify.classify(request.item.description, request.item.control_code, request.item.parameters)
    entries = [_entry(candidate) for candidate in item.candidates]
    matches = party_matches(request, cases)
    place = destination_record(request.destination, list(item.capabilities), cases)
    decided = decision.recommend(entries, item.cyber_surveillance, matches, place)
    refs = list(dict.fromkeys(ref for r in decided["reasons"] for ref in r["cites"]))
    matched_parties = {m["party"]["number"] for m in matches}
    return {
        "id": request.id,
        "request": request.as_json(),
        "control_entries": entries,
        "cyber_surveillance": item.cyber_surveillance,
        "capabilities": [_capability(code) for code in item.capabilities],
        "catch_all": decided["catch_all"],
        "party_matches": matches,
        "unmatched_parties": [{"role": p.role, "role_label": ROLE_LABELS[p.role], "name": p.name, "country": p.country}
                              for n, p in enumerate(request.parties) if n not in matched_parties],
        "destination": place,
        "recommendation": decided["recommendation"],
        "recommendation_label": decided["recommendation_label"],
        "reasons": decided["reasons"],
        "conditions": decided["conditions"],
        "citations": [_legal(ref) for ref in refs],
        "due_diligence": [_step(step) for step in controls.due_diligence()],
        "scope": "all cases" if user is None or user.sees_all_cases else "the reader's cases",
        "data_versions": item.versions,
    }


@transaction.atomic
def save(request: Request, user=None, stored: ExportRequest | None = None, http_request=None) -> Screening:
    """Screen and keep the result as the request's next version (a new request if ``stored`` is None)."""
    result = screen(request, user)
    if stored is None:
        stored = ExportRequest.objects.create(reference=request.id, exporter=request.exporter,
                                              destination=request.destination, request=request.as_json(),
                                              created_by=user)
    else:
        stored = ExportRequest.objects.select_for_update().get(pk=stored.pk)
        stored.reference, stored.exporter = request.id, request.exporter
        stored.destination, stored.request = request.destination, request.as_json()
        stored.save()
    version = (stored.screenings.aggregate(v=Max("version"))["v"] or 0) + 1
    screening = Screening.objects.create(request=stored, version=version, recommendation=result["recommendation"],
                                         result=result, screened_by=user)
    record(user or "cli", "create", screening, request=http_request, object_type="export_screening",
           version=version, recommendation=result["recommendation"])
    return screening


# -- one language, for the CLI and the API ------------------------------------------------------------

def _in(value, language: str):
    return wording.text(value, language) if isinstance(value, dict) and set(value) <= set(wording.LANGUAGES) else value


def _cited_line(citation: dict) -> str:
    """A cited document as one line, with its pinpoint."""
    line = sources.cited(citation)
    return f"{line}, {citation['pinpoint']}" if citation.get("pinpoint") else line


def as_json(result: dict, language: str = "en") -> dict:
    """The result in the shape ``shelter exports screen --json`` prints, texts in ``language``."""
    return {
        "id": result["id"],
        "control_entries": [{"code": e["code"], "list": e["list"], "title": _in(e["title"], language),
                             "basis": _in(e["basis"], language), "confidence": e["confidence"],
                             "reason": _in(e["reason"], language), "counterparts": e["counterparts"]}
                            for e in result["control_entries"]],
        "catch_all": {"applies": result["catch_all"]["applies"],
                      "cyber_surveillance": result["catch_all"]["cyber_surveillance"],
                      "basis": _in(result["catch_all"]["basis"], language)},
        "party_matches": [{
            "party": {k: m["party"][k] for k in ("role", "name", "country")},
            "matched": m["matched"], "kind": m["kind"], "score": m["score"], "explanation": m["explanation"],
            **({"incidents": m["incidents"], "incidents_by_tactic": m["incidents_by_tactic"],
                "incident_years": m["incident_years"]} if m["kind"] == "organisation" else {"lists": [
                    _in(x, language) for x in m["lists"]], "topics": m["topics"]}),
        } for m in result["party_matches"]],
        "destination": {"country": result["destination"]["country"],
                        "incidents": result["destination"]["incidents"],
                        "incidents_by_tactic": result["destination"]["incidents_by_tactic"],
                        "inside_borders": result["destination"]["inside_borders"],
                        "abroad": result["destination"]["abroad"],
                        "by_year": result["destination"]["by_year"],
                        "capability_matches": [{"capability": m["capability"], "tactic": m["tactic"],
                                                "incidents": m["incidents"]}
                                               for m in result["destination"]["capability_matches"]],
                        "sources": [_cited_line(c) for s in result["destination"]["sources"] for c in s["cites"]]},
        "recommendation": result["recommendation"],
        "reasons": [{"code": r["code"], "text": _in(r["text"], language), "cites": r["cites"]}
                    for r in result["reasons"]],
        "citations": [{"ref": c["ref"], "statement": _in(c["title"], language),
                       "sources": [_cited_line(x) for x in c["cites"]]} for c in result["citations"]],
        "disclaimer": DISCLAIMER[language],
    }


DISCLAIMER = {
    "en": "Decision support, not legal advice: the classification stays the exporter's and the decision the authority's.",
    "ru": "Поддержка решения, а не юридическая консультация: классификация остаётся за экспортёром, решение — за компетентным органом.",
}
