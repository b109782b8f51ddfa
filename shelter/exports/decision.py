"""The recommendation, and every reason behind it, from what the screening found: the item's control
entries, whether it is a cyber-surveillance item, the parties' matches and the destination's record.
Plain Python, no Django; the wording is in ``data/reasons.json``, the rules it cites in ``legal.json``.

- ``deny``: a party is on a sanctions or export-restriction list; or a party is a documented perpetrator
  and the item is listed or a cyber-surveillance item.
- ``licence_with_conditions``: a listed item to a state documented using the tactics the item serves.
- ``licence_required``: a listed item otherwise; a non-listed cyber-surveillance item under the
  catch-all (Article 5); any item for a documented perpetrator (Article 9(1)).
- ``no_objection_found``: none of these, in the records the reader may see.
"""

import json
from functools import cache
from pathlib import Path

from shelter import wording

RECOMMENDATIONS = ("deny", "licence_with_conditions", "licence_required", "no_objection_found")
# A candidate entry at this confidence makes the item "listed"; "low" ones are for the exporter to rule out.
FIRM = ("declared", "high", "medium")


@cache
def _data() -> dict:
    return json.loads((Path(__file__).parent / "data" / "reasons.json").read_text(encoding="utf-8"))


def label(recommendation: str) -> dict:
    return _data()["recommendations"][recommendation]


def conditions() -> list[dict]:
    return _data()["conditions"]


def reason(code: str, **values) -> dict:
    template = _data()["reasons"][code]
    return {"code": code, "text": wording.render(template, **values), "cites": list(template["cites"])}


def _joined(values) -> dict:
    return wording.join(v if isinstance(v, dict) else wording.as_is(str(v)) for v in values)


def recommend(entries: list[dict], cyber_surveillance: bool, party_matches: list[dict], destination: dict) -> dict:
    """``entries``: candidate control entries (``code``, ``confidence``); ``party_matches``: each with
    ``party`` (``name``, ``role_label``), ``matched``, ``kind`` ("organisation" | "sanctions"),
    ``incidents`` (the count the reader may see), ``tactic_labels``, ``lists``, ``hidden``;
    ``destination``: ``shelter.exports.destination.record`` with ``country_name`` and tactic labels."""
    listed = [e["code"] for e in entries if e["confidence"] in FIRM]
    possible = [e["code"] for e in entries if e["confidence"] not in FIRM]
    sanctioned = [m for m in party_matches if m["kind"] == "sanctions"]
    perpetrators = [m for m in party_matches if m["kind"] == "organisation" and m["incidents"]]
    matching = destination["capability_matches"]
    reasons = []
    if listed:
        reasons.append(reason("listed_item", codes=", ".join(listed)))
    if possible:
        reasons.append(reason("possible_entry", codes=", ".join(possible)))
    for match in sanctioned:
        reasons.append(reason("sanctions_party", party=match["party"]["name"], role=match["party"]["role_label"],
                              matched=match["matched"], lists=_joined(match["lists"])))
    for match in perpetrators:
        reasons.append(reason("perpetrator_party", party=match["party"]["name"], role=match["party"]["role_label"],
                              matched=match["matched"], count=str(match["incidents"]),
                              tactics=_joined(match["tactic_labels"])))
    for match in party_matches:
        if match.get("hidden"):
            reasons.append(reason("hidden_record", matched=match["matched"]))
    if destination["incidents"]:
        if matching:
            tactics = list(dict.fromkeys(m["tactic"] for m in matching))
            reasons.append(reason("destination_record", country=destination["country_name"],
                                  count=str(destination["incidents"]), matching=str(destination["incidents_served"]),
                                  tactics=_joined(destination["tactic_labels"][t] for t in tactics)))
        else:
            reasons.append(reason("destination_record_other", country=destination["country_name"],
                                  count=str(destination["incidents"])))
    surveillance = bool(listed) or cyber_surveillance
    catch_all = not listed and cyber_surveillance and bool(perpetrators or matching)
    if catch_all:
        reasons.append(reason("catch_all"))
    elif cyber_surveillance and not listed:
        reasons.append(reason("cyber_item_no_indication"))
    if sanctioned or (perpetrators and surveillance):
        recommendation = "deny"
    elif listed and matching:
        recommendation = "licence_with_conditions"
    elif listed or catch_all:
        recommendation = "licence_required"
    elif perpetrators:
        recommendation = "licence_required"
        reasons.append(reason("perpetrator_other_item"))
    else:
        recommendation = "no_objection_found"
        if not reasons:
            reasons.append(reason("nothing_found"))
    return {
        "recommendation": recommendation,
        "recommendation_label": label(recommendation),
        "reasons": reasons,
        "catch_all": {"applies": catch_all, "cyber_surveillance": cyber_surveillance,
                      "basis": _catch_all_basis(listed, cyber_surveillance, catch_all)},
        "conditions": conditions() if recommendation == "licence_with_conditions" else [],
    }


def _catch_all_basis(listed, cyber_surveillance: bool, applies: bool) -> dict:
    if listed:
        return reason("catch_all_listed")["text"]
    if not cyber_surveillance:
        return reason("catch_all_not_cyber")["text"]
    return reason("catch_all" if applies else "cyber_item_no_indication")["text"]
