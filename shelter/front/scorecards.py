"""Scorecards and briefs from the records: the facts read in SQL from non-sealed fields only (dates,
ISO codes, codes of the vocabularies — nothing is decrypted), handed to the pure engine
(``shelter.publishing.scorecard``), and the context its templates render.

``scorecard_context`` takes querysets, not a user: the web views pass what the reader may see, the
static site (later) every publishable case. Cases marked "never publish" and crypto-erased cases are left
out either way.
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from shelter import countries, thesaurus
from shelter.publishing import charts, scorecard
from shelter.publishing.recommendations import recommend
from shelter.records.models import (CONSENTED, STATUS_MEANINGS, Act, ActRole, Complicity, Gender, Incident, Outcome, Person,
                                    ProcessKind, ProcessStatus)

VICTIM_ROLES = (ActRole.VICTIM, ActRole.PROXY_VICTIM)


def incidents_in_scope(incidents, s: scorecard.Scope):
    """The incidents of ``s`` (state on its side, years in the period), compared as 'YYYY…' strings."""
    return incidents.of_publishable_cases().filter(**{f"{s.side}_state": s.state}, date__gte=str(s.from_year),
                                         date__lt=str(s.to_year + 1))


def incident_facts(incidents) -> list[dict]:
    """The engine's incident dicts, in four queries whatever the number of incidents (the related rows
    are selected by subquery, not by a list of ids that SQLite would limit)."""
    rows = list(incidents.values("id", "date", "origin_state", "host_state", "outcome", "host_complicity", "people_targeted"))
    scoped = incidents.values("pk")
    tactics = defaultdict(list)
    for incident, code in Incident.tactics.through.objects.filter(incident_id__in=scoped).values_list("incident_id", "term__code"):
        tactics[incident].append(code)
    victims = Act.objects.filter(incident_id__in=scoped, role__in=VICTIM_ROLES)
    profiles = defaultdict(list)
    for person, code in Person.profiles.through.objects.filter(person_id__in=victims.values("person_id")).values_list(
            "person_id", "term__code"):
        profiles[person].append(code)
    targets = defaultdict(list)
    for incident, person in victims.values_list("incident_id", "person_id"):
        targets[incident].append({"id": str(person), "profiles": profiles[person]})
    return [{"id": str(r["id"]), "year": scorecard.year_of(r["date"]), "origin": r["origin_state"], "host": r["host_state"],
             "tactics": tactics[r["id"]], "outcome": r["outcome"], "host_complicity": r["host_complicity"],
             "people_targeted": r["people_targeted"], "targets": targets[r["id"]]} for r in rows]


def process_facts(processes, s: scorecard.Scope) -> list[dict]:
    from django.db.models import Q

    rows = processes.of_publishable_cases().filter(Q(requesting_state=s.state) | Q(deciding_state=s.state)).values(
        "kind", "requesting_state", "deciding_state", "status", "opened_on", "decided_on")
    return [{"kind": r["kind"], "requesting_state": r["requesting_state"], "deciding_state": r["deciding_state"],
             "status": r["status"], "year": scorecard.year_of(r["opened_on"]) or scorecard.year_of(r["decided_on"])}
            for r in rows]


def _choice(choices, code):
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def profile_label(code, language):
    return _("Not recorded") if code == "unrecorded" else thesaurus.label("profiles", code, language)


def tactic_label(code, language):
    return _("Not recorded") if code == "unrecorded" else thesaurus.label("tactics", code, language)


def _figure(pairs, label, caption, key):
    """A chart with its text alternative: the caption, the same figures as a table."""
    rows = [(label(code), n) for code, n in pairs]
    return {"key": key, "caption": caption, "rows": rows,
            "svg": charts.bars(rows, description=caption, key=f"chart-{key}") if rows else ""}


def scorecard_context(incidents, processes, s: scorecard.Scope, language: str) -> dict:
    """Everything ``front/_scorecard.html`` renders, from the incidents and processes given (querysets)."""
    facts = incident_facts(incidents_in_scope(incidents, s))
    requests = process_facts(processes, s)
    card = scorecard.build(facts, requests, s)
    state = countries.name(s.state, language)
    colours = charts.tactic_colours(scorecard.physical_tactics(),
                                    [t["code"] for t in scorecard.tactic_terms() if t.get("category") != "physical"])
    series = [(tactic_label(code, language), colours[code], [dict(y["tactics"])[code] for y in card["by_year"]])
              for code in card["tactics_used"]]
    years_caption = _("Incidents per year by tactic, %(start)s–%(end)s") % {"start": s.from_year, "end": s.to_year}
    years_sentence = _("%(state)s: %(count)s documented incidents from %(start)s to %(end)s; an incident with several tactics counts once for each.") % {
        "state": state, "count": card["incident_count"], "start": s.from_year, "end": s.to_year}
    years = {"key": "years", "caption": years_caption, "sentence": years_sentence,
             "head": [tactic_label(c, language) for c in card["tactics_used"]],
             "rows": [(y["year"], [n for _code, n in y["tactics"]], y["total"]) for y in card["by_year"]],
             "svg": charts.stacked_years(card["years"], series, description=f"{years_caption}. {years_sentence}",
                                         ylabel=_("Incidents"), key="chart-years") if card["incident_count"] else ""}
    figures = [
        _figure(card["profiles"], lambda c: profile_label(c, language), _("Targets by profile"), "profiles"),
        _figure(card["outcomes"], lambda c: _choice(Outcome, c), _("Outcomes of the incidents"), "outcomes"),
    ]
    return {
        "card": card, "scope": s, "state_name": state, "language": language,
        "side_label": side_label(s.side), "years_figure": years, "figures": figures,
        "physical": [(tactic_label(c, language), n) for c, n in card["physical"]],
        "non_physical": [(tactic_label(c, language), n) for c, n in card["non_physical"]],
        # Freedom House's own coding (abduction as rendition), to set beside its figures.
        "freedom_house_tactics": [(tactic_label(c, language), n) for c, n in card["freedom_house_tactics"]],
        "complicity": [(_choice(Complicity, c), n) for c, n in card["complicity"]],
        "returnees": [(_choice(Outcome, c), n) for c, n in card["returnees"]],
        "counterparts": [(countries.name(c, language), n) for c, n in card["counterparts"]],
        "counterpart_heading": _("Host states") if s.side == "origin" else _("Origin states"),
        "requests": _process_rows(card["requests"]), "ccf": _process_rows(card["ccf"]),
        "requesting_states": [(countries.name(c, language), n) for c, n in card["requesting_states"]],
        "freedom_house": _freedom_house(card["freedom_house"], language),
        "tactic_sources": _tactic_sources(),
        "recommendations": [{**r, "shown": r["text"][language]} for r in recommend(card, facts, s)],
    }


def side_label(side):
    return _("as origin state") if side == "origin" else _("as host state")


def _process_rows(rows):
    return [{"kind": _choice(ProcessKind, r["kind"]), "total": r["total"],
             "statuses": [(str(STATUS_MEANINGS.get((r["kind"], code)) or _choice(ProcessStatus, code)), n)
                          for code, n in r["statuses"]]} for r in rows]


def _freedom_house(figures, language):
    def entry(e):
        source = figures["sources"].get(e["source"], {})
        note = e.get("note", {})
        return {"start": e["period"][0], "end": e["period"][1], "incidents": e["incidents"],
                "note": note.get(language, note.get("en", "")) if isinstance(note, dict) else note,
                "source": source, "pinpoint": e.get("pinpoint", ""), "uncertain": e.get("uncertain", False)}

    return {"country": [entry(e) for e in figures["country"]], "global": [entry(e) for e in figures["global"]],
            "version": figures["version"]}


def _tactic_sources():
    """The sources the tactic thesaurus cites, once each."""
    return sorted({t["source"] for t in scorecard.tactic_terms() if t.get("source")})


# Vignettes -----------------------------------------------------------------------------------------

def offered_cases(incidents, s: scorecard.Scope):
    """The cases a brief may draw a vignette from: seen by the reader, with an incident in scope
    and a victim who consented to publication; never a "never publish" case."""
    from shelter.records.models import Case

    scoped = incidents_in_scope(incidents, s)
    consenting = Act.objects.filter(incident__in=scoped, role__in=VICTIM_ROLES,
                                    person__publication_consent__in=CONSENTED)
    return Case.objects.filter(pk__in=consenting.values("case_id"), never_publish=False,
                               wrapped_key__isnull=False).order_by("reference")


PSEUDONYM = {"en": "Person {}", "ru": "Лицо {}"}
LETTERS = {"en": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "ru": "АБВГДЕЖИКЛМНОПРСТУФХЦЧШЭЮЯ"}


def vignettes(cases, incidents, processes, s: scorecard.Scope, language: str) -> list[dict]:
    """One vignette per consenting victim of an in-scope incident of ``cases``, written from coded
    fields only (profile, gender, states, year, tactics, outcome, processes) — never from a name,
    narrative, title, place, reference or note — under a pseudonym given in order."""
    scoped = incidents_in_scope(incidents, s).filter(case__in=cases)
    acts = (Act.objects.filter(incident__in=scoped, role__in=VICTIM_ROLES, person__publication_consent__in=CONSENTED,
                               person__case__never_publish=False)
            .values_list("person_id", "incident_id").order_by("person__case__reference", "person__created_at"))
    by_person = defaultdict(list)
    for person, incident in acts:
        by_person[person].append(str(incident))
    facts = {f["id"]: f for f in incident_facts(scoped)}
    people = {p["id"]: p for p in Person.objects.filter(pk__in=by_person).values("id", "gender")}
    profiles = defaultdict(list)
    for person, code in Person.profiles.through.objects.filter(person_id__in=by_person).values_list("person_id", "term__code"):
        profiles[person].append(code)
    process_rows = defaultdict(list)
    for p in processes.of_publishable_cases().filter(person_id__in=by_person).values(
            "person_id", "kind", "status", "requesting_state", "deciding_state", "opened_on", "decided_on"):
        year = scorecard.year_of(p["opened_on"]) or scorecard.year_of(p["decided_on"])
        if year is None or s.from_year <= year <= s.to_year:  # the brief's period, as its incidents
            process_rows[p["person_id"]].append(p)
    shown = []
    for n, (person, incident_ids) in enumerate(by_person.items()):
        letters = LETTERS[language]
        pseudonym = PSEUDONYM[language].format(letters[n % len(letters)] + (str(n // len(letters) + 1) if n >= len(letters) else ""))
        shown.append({
            "pseudonym": pseudonym,
            "gender": _choice(Gender, people[person]["gender"]) if people[person]["gender"] else "",
            "profiles": [thesaurus.label("profiles", c, language) for c in profiles[person]],
            "incidents": [{
                "year": facts[i]["year"], "origin": countries.name(facts[i]["origin"], language),
                "host": countries.name(facts[i]["host"], language),
                "tactics": [tactic_label(c, language) for c in facts[i]["tactics"]],
                "outcome": _choice(Outcome, facts[i]["outcome"]),
            } for i in sorted(incident_ids, key=lambda i: facts[i]["year"] or 0)],
            "processes": [{
                "kind": _choice(ProcessKind, p["kind"]),
                "status": str(STATUS_MEANINGS.get((p["kind"], p["status"])) or _choice(ProcessStatus, p["status"])),
                "year": scorecard.year_of(p["opened_on"]) or scorecard.year_of(p["decided_on"]),
                "requesting": countries.name(p["requesting_state"], language) if p["requesting_state"] else "",
            } for p in process_rows[person]],
        })
    return shown
