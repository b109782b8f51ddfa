"""Fictional notices and requests for the demo: some name a demo case's principal in another
spelling (so screening raises alerts), some name nobody in the registry. A few alerts are confirmed,
one dismissed, the rest left to triage, so every page of the notices workflow has something to show.

Reference numbers start with "DEMO-": nothing here is, or claims to be, a real Interpol notice.
"""

import datetime

from shelter.notices import importing, triage
from shelter.notices.models import RequestKind, RequestSource
from shelter.notices.sources import interpol

from .demo_names import random_name

FICTIONAL = "[FICTIONAL]"
# What the requesting state charges, by the case's accusation: the wording such requests use.
CHARGES = {
    "terrorism_extremism": ("Публичные призывы к осуществлению экстремистской деятельности",
                            "Public calls for extremist activity"),
    "banned_group": ("Участие в деятельности запрещённой религиозной организации",
                     "Participation in a banned religious organisation"),
    "anti_constitutional": ("Посягательство на конституционный строй", "Attempt on the constitutional order"),
    "economic": ("Мошенничество в особо крупном размере", "Large-scale fraud"),
    "treason_espionage": ("Государственная измена", "High treason"),
    "violent_crime": ("Умышленное причинение тяжкого вреда здоровью", "Intentional grievous bodily harm"),
    "drugs": ("Незаконный оборот наркотических средств", "Drug trafficking"),
    "other": ("Оскорбление Президента", "Insulting the President"),
}
NOTICED_CASES = 8  # the first cases' principals are subjects of a notice or request
CONFIRMED, DISMISSED = (0, 1, 2), (3,)


def load(stories, users, rng) -> int:
    created = []
    for story in stories[:NOTICED_CASES]:
        created.append(subject_notice(story, rng))
    for number, story in enumerate(stories[NOTICED_CASES:NOTICED_CASES + 6]):
        created.append(unrelated_notice(story, number, rng))
    coordinator = users["coordinator"]  # on every case
    for index, story in enumerate(stories[:NOTICED_CASES]):
        for alert in story.principal.notice_alerts.all():
            if index in CONFIRMED:
                triage.confirm(coordinator, alert)
                alert.process.sources.set(story.sources[:1])
            elif index in DISMISSED:
                triage.dismiss(coordinator, alert, f"{FICTIONAL} Born in another year; another father's name.")
    return len(created)


def subject_notice(story, rng):
    """A notice on the case's principal, written the way the requesting state's NCB would."""
    name = story.principal_name
    forename, _, surname = name.russian_latin.partition(" ")
    charge, translation = CHARGES.get(story.accusation, CHARGES["other"])
    kind = RequestKind.RED_NOTICE if story.number % 3 else RequestKind.EXTRADITION
    issued = datetime.date(rng.randint(2016, 2025), rng.randint(1, 12), rng.randint(1, 28))
    parsed = interpol.Notice(
        entity_id=f"DEMO-{issued.year}/{90000 + story.number}", name=surname.upper(), forename=forename.upper(),
        birth_date=str(story.principal.birth_date), gender=name.gender, nationalities=(story.origin,),
        warrants=(interpol.Warrant(story.origin, f"{FICTIONAL} {charge}", translation),),
    )
    extra = {
        "requesting_state": story.origin, "issued_on": issued.isoformat(),
        "charged_on": (issued - datetime.timedelta(days=rng.randint(30, 400))).isoformat(),
        "in_absentia": story.number % 4 == 0,
        "facts_summary": "" if story.number % 2 else f"{FICTIONAL} Took part in activities of a group abroad.",
    }
    source = RequestSource.INTERPOL if kind == RequestKind.RED_NOTICE else RequestSource.MANUAL
    report = importing.import_notices([parsed], source=source, kind=kind, extra=extra,
                                      case=story.case if source == RequestSource.MANUAL else None)
    return (report.created or report.updated)[0] if (report.created or report.updated) else None


def unrelated_notice(story, number, rng):
    """A notice on someone nobody registered: most notices are."""
    name = random_name(rng, story.origin, rng.choice(("male", "female")))
    forename, _, surname = name.russian_latin.partition(" ")
    charge, translation = CHARGES[rng.choice(sorted(CHARGES))]
    parsed = interpol.Notice(
        entity_id=f"DEMO-2025/{80000 + number}", name=surname.upper(), forename=forename.upper(),
        birth_date=str(rng.randint(1960, 1999)), gender=name.gender, nationalities=(story.origin,),
        warrants=(interpol.Warrant(story.origin, f"{FICTIONAL} {charge}", translation),),
    )
    report = importing.import_notices([parsed], source=RequestSource.INTERPOL, kind=RequestKind.RED_NOTICE)
    return report.created[0] if report.created else None
