"""A fictional, deterministic demo data set: users, cases, persons, incidents, legal processes,
sources, deadlines and evidence files.

Everything here is invented. Case titles start with "[FICTIONAL]", sources are "Fictional demo
source", phone numbers are made up and e-mail addresses live at example.org. Only the agencies are
real (they are public bodies). A seeded ``random.Random`` makes the data set the same on every
run, apart from dates relative to today (upcoming deadlines).
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from shelter import countries, thesaurus
from shelter.accounts.models import Role, User
from shelter.audit.log import record
from shelter.records import sealing
from shelter.records.evidence import store_evidence
from shelter.records.models import (
    Act,
    ActorKind,
    ActRole,
    AsylumStatus,
    Case,
    CaseAccess,
    ContactDetail,
    Deadline,
    IdentityDocument,
    Incident,
    Involvement,
    LegalProcess,
    Organisation,
    Person,
    PersonName,
    Source,
    Term,
)

from . import demo_names
from . import demo_exports, demo_notices
from .demo_actors import DemoActors
from .demo_names import ORIGINS, random_family, random_name

SEED = 20140101
DEMO_MARKER = "shelter-demo"  # Case.external_source of every demo case
SCALE_MARKER = "shelter-scale"  # ... and of the cases `shelter demo --scale` adds (shelter.ops.scale_data)
DEMO_PASSWORD = "fictional-demo-password"
DEMO_USERS = (
    ("admin", Role.ADMINISTRATOR),
    ("coordinator", Role.COORDINATOR),
    ("caseworker", Role.CASEWORKER),
    ("researcher", Role.RESEARCHER),
    ("auditor", Role.AUDITOR),
)
CASE_COUNT = 14
FICTIONAL = "[FICTIONAL]"
FIRST_YEAR = 2014

# Cases the caseworker and the researcher are *not* on, so that access control shows in the demo.
CASEWORKER_EXCLUDED = {3, 9}
RESEARCHER_EXCLUDED = {5, 9, 12}

CAPITALS = {"UZ": "Tashkent", "TJ": "Dushanbe", "RU": "Moscow", "AZ": "Baku", "KZ": "Astana",
            "TM": "Ashgabat", "BY": "Minsk", "KG": "Bishkek"}
HOSTS = {
    "UZ": ("TR", "RU", "KZ", "DE", "US", "SE", "AE"),
    "TJ": ("RU", "TR", "DE", "PL", "FR", "LT", "AE"),
    "RU": ("DE", "GE", "LT", "PL", "FR", "GB", "US", "AE", "TR"),
    "AZ": ("DE", "FR", "GB", "TR", "UA", "GE", "SE"),
    "KZ": ("UA", "FR", "GB", "US", "KG", "DE"),
    "TM": ("TR", "RU", "UA", "SE", "DE", "US"),
    "BY": ("LT", "PL", "UA", "DE", "SE", "GE", "AE"),
    "KG": ("RU", "TR", "KZ", "DE", "US"),
}
# The exile's host state per case number (cases cycle through ORIGINS), so that the usual host
# states all appear; each is among the plausible hosts of that origin (HOSTS).
HOST_ROTATION = ("TR", "RU", "DE", "FR", "UA", "SE", "PL", "RU", "AE", "PL", "GB", "DE", "US", "TR")
LANGUAGES = {"UZ": "Uzbek", "TJ": "Tajik", "RU": "Russian", "AZ": "Azerbaijani", "KZ": "Kazakh", "TM": "Turkmen",
             "BY": "Russian", "KG": "Kyrgyz"}
CITIES = {
    "TR": ("Istanbul", "Ankara", "Bursa"), "RU": ("Moscow", "Saint Petersburg", "Yekaterinburg", "Novosibirsk"),
    "DE": ("Berlin", "Munich", "Hamburg"), "PL": ("Warsaw", "Białystok", "Kraków"), "UA": ("Kyiv", "Odesa"),
    "SE": ("Stockholm", "Gothenburg"), "FR": ("Paris", "Strasbourg"), "GB": ("London", "Manchester"),
    "US": ("New York", "Philadelphia", "Chicago"), "AE": ("Dubai", "Abu Dhabi"), "LT": ("Vilnius", "Kaunas"),
    "GE": ("Tbilisi", "Batumi"), "KZ": ("Almaty", "Shymkent"), "KG": ("Bishkek", "Osh"),
}
DIALLING = {"TR": "90", "RU": "7", "KZ": "7", "DE": "49", "US": "1", "SE": "46", "AE": "971", "PL": "48",
            "FR": "33", "LT": "370", "UA": "380", "GE": "995", "GB": "44", "KG": "996", "UZ": "998",
            "TJ": "992", "AZ": "994", "TM": "993", "BY": "375"}

# Real public agencies, with the names they go by in the sources.
AGENCIES = {
    "UZ": ("State Security Service of the Republic of Uzbekistan",
           ["SNB", "DXX", "SGB", "Davlat xavfsizlik xizmati", "СНБ"]),
    "TJ": ("State Committee for National Security of Tajikistan", ["GKNB", "ГКНБ", "KDAM"]),
    "RU": ("Federal Security Service of the Russian Federation", ["FSB", "ФСБ"]),
    "AZ": ("State Security Service of the Republic of Azerbaijan",
           ["DTX", "Dövlət Təhlükəsizliyi Xidməti", "SGB"]),
    "KZ": ("National Security Committee of the Republic of Kazakhstan", ["KNB", "КНБ", "ҰҚК"]),
    "TM": ("Ministry of National Security of Turkmenistan", ["MNB", "МНБ"]),
    "BY": ("State Security Committee of the Republic of Belarus", ["KGB", "КГБ", "КДБ"]),
    "KG": ("State Committee for National Security of the Kyrgyz Republic", ["GKNB", "ГКНБ", "UKMK"]),
}
INTERNATIONAL_BODIES = {
    "ipsg": ("INTERPOL General Secretariat", ["IPSG", "Interpol"]),
    "ccf": ("Commission for the Control of INTERPOL's Files", ["CCF"]),
    "ecthr": ("European Court of Human Rights", ["ECtHR", "ECHR"]),
    "cat": ("UN Committee against Torture", ["CAT"]),
}
MIGRATION_BODIES = {
    "DE": ("Federal Office for Migration and Refugees", ["BAMF"]),
    "PL": ("Office for Foreigners", ["UdSC", "Urząd do Spraw Cudzoziemców"]),
    "SE": ("Swedish Migration Agency", ["Migrationsverket"]),
    "FR": ("French Office for the Protection of Refugees and Stateless Persons", ["OFPRA"]),
    "GB": ("Home Office", ["UKVI"]),
    "US": ("U.S. Citizenship and Immigration Services", ["USCIS"]),
    "TR": ("Presidency of Migration Management", ["PMM", "Göç İdaresi Başkanlığı"]),
    "LT": ("Migration Department under the Ministry of the Interior", ["MIGRIS"]),
    "UA": ("State Migration Service of Ukraine", ["DMS", "ДМС"]),
}

EXILE_PROFILES = ("opposition", "journalist", "defender", "academic", "cleric", "former_insider",
                  "businessperson", "labour_migrant")
ACCUSATIONS_BY_PROFILE = {
    "opposition": ("anti_constitutional", "terrorism_extremism", "economic"),
    "journalist": ("anti_constitutional", "other", "treason_espionage"),
    "defender": ("economic", "anti_constitutional", "other"),
    "academic": ("treason_espionage", "anti_constitutional"),
    "cleric": ("terrorism_extremism", "banned_group"),
    "former_insider": ("economic", "treason_espionage"),
    "businessperson": ("economic", "violent_crime"),
    "labour_migrant": ("banned_group", "terrorism_extremism", "drugs"),
}
# (tactic, weight): the non-physical tactics are far more frequent than the physical ones.
TACTIC_WEIGHTS = (
    ("interpol_abuse", 10), ("extradition_request", 8), ("coercion_by_proxy", 12), ("threats", 12),
    ("surveillance", 10), ("digital_attack", 8), ("document_denial", 6), ("smear", 6), ("trial_in_absentia", 6),
    ("host_state_pressure", 5), ("detention", 7), ("unlawful_deportation", 4), ("abduction", 3), ("assault", 4),
    ("assassination", 1),
)
RELATED_TACTICS = {
    "interpol_abuse": ("detention", "extradition_request"), "extradition_request": ("detention", "interpol_abuse"),
    "detention": ("extradition_request", "unlawful_deportation"), "abduction": ("unlawful_deportation", "detention"),
    "coercion_by_proxy": ("threats", "surveillance"), "threats": ("surveillance", "digital_attack"),
    "digital_attack": ("surveillance", "threats"), "smear": ("trial_in_absentia", "threats"),
    "trial_in_absentia": ("smear", "interpol_abuse"), "host_state_pressure": ("document_denial", "detention"),
    "document_denial": ("host_state_pressure", "coercion_by_proxy"), "surveillance": ("threats", "coercion_by_proxy"),
    "assault": ("threats",), "unlawful_deportation": ("detention",), "assassination": ("threats",),
}
OUTCOMES = {
    "assassination": ("killed", "injured"), "assault": ("injured", "unknown"),
    "abduction": ("disappeared", "returned", "imprisoned"), "detention": ("released", "detained", "released"),
    "unlawful_deportation": ("returned", "imprisoned"), "extradition_request": ("protected", "ongoing", "released"),
}
NARRATIVES = {
    "assassination": "{victim} was found with stab wounds near {place}. Relatives say officers of the {agency} had "
                     "warned them months earlier; the police in {city} opened a murder inquiry.",
    "assault": "Two men speaking {language} attacked {victim} outside their home in {city} and told them to stop "
               "working for exile media.",
    "abduction": "{victim} disappeared in {place} after a meeting with an acquaintance; {days} days later the {agency} "
                 "announced the arrest of {victim} in {capital}.",
    "detention": "Police in {place} detained {victim} on the strength of a request from {origin}; {victim} was held "
                 "for {days} days while the prosecutor checked the extradition file.",
    "unlawful_deportation": "Migration officers in {place} put {victim} on a flight to {capital} although an asylum "
                            "claim was pending.",
    "interpol_abuse": "{victim} learned at a border check in {place} that {origin} had obtained an INTERPOL notice "
                      "on charges of {accusation}.",
    "extradition_request": "{origin} asked {host} to extradite {victim} on charges of {accusation}; the request "
                           "cites a confession by a co-accused.",
    "trial_in_absentia": "A court in {capital} sentenced {victim} in absentia to {years} years in prison for "
                         "{accusation}.",
    "coercion_by_proxy": "Officers of the {agency} summoned {relative}, a relative of {victim}, in {capital} and told "
                         "them to persuade {victim} to come home from {city}.",
    "threats": "{victim} received messages from an unknown account: \"we know where you live in {city}\".",
    "surveillance": "A member of the diaspora in {place} told {victim} that they had been asked to report on "
                    "{victim}'s meetings and visitors.",
    "digital_attack": "{victim} received a phishing e-mail imitating the migration office of {host}; the next day "
                      "their account was accessed from an unknown address.",
    "document_denial": "The consulate of {origin} in {city} refused to renew the passport of {victim} and told "
                       "them to apply in {capital}.",
    "smear": "State television in {origin} broadcast a programme calling {victim} a traitor and an extremist, "
             "with footage filmed in {place}.",
    "host_state_pressure": "The embassy of {origin} asked the authorities of {host} to review the residence permit "
                           "of {victim}.",
}
SOURCE_TITLES = (
    ("interview", "Fictional demo source: interview notes with {who}", "ru"),
    ("publication", "Fictional demo source: exile news site article", "ru"),
    ("court_document", "Fictional demo source: court decision", "en"),
    ("official_document", "Fictional demo source: letter from the migration office", "en"),
    ("ngo_report", "Fictional demo source: NGO country report", "en"),
    ("social_media", "Fictional demo source: screenshot of threatening messages", "ru"),
    ("email", "Fictional demo source: e-mail from the family", "ru"),
)
DEADLINE_TITLES = (
    "Submit additional documents to the CCF", "File the appeal against the deportation order",
    "Renew the residence permit", "Asylum interview at the migration office", "Reply to the extradition court",
    "Send the Rule 39 request for interim measures", "Update the country-of-origin evidence",
)


@dataclass
class Member:
    """Someone in a case besides the exile: a relative (``at_home`` in the origin state, or abroad),
    a colleague or a witness. ``person`` is set once saved."""

    name: demo_names.PersonName
    relation: str
    at_home: bool = False
    person: Person = None


@dataclass
class CaseStory:
    """The people of one fictional case: an exile, relatives at home and abroad, sometimes a colleague
    and a witness."""

    number: int
    origin: str
    host: str
    case: Case = None
    principal: Person = None
    principal_name: demo_names.PersonName = None
    relatives: list[Member] = field(default_factory=list)
    others: list[Member] = field(default_factory=list)
    sources: list = field(default_factory=list)
    accusation: str = ""


def demo_present() -> bool:
    return Case.objects.filter(external_source=DEMO_MARKER).exists()


def foreign_data_present() -> bool:
    """Accounts or cases that the demo did not create: the demo never mixes with real data."""
    demo_usernames = [u for u, _ in DEMO_USERS]
    return (
        Case.objects.exclude(external_source__in=(DEMO_MARKER, SCALE_MARKER)).exists()
        or User.objects.exclude(username__in=demo_usernames).exists()
    )


def load(progress=None) -> dict:
    """Create the whole data set in one transaction; returns counts. ``progress(n)`` is called as
    cases are done (one unit per case, plus one for users and one for evidence files)."""
    tick = progress or (lambda n=1: None)
    with transaction.atomic(), sealing.scope(reveal=True):
        generator = Generator(random.Random(SEED), timezone.localdate())
        users = generator.users()
        tick(1)
        stories = []
        for number in range(CASE_COUNT):
            stories.append(generator.case(number, users))
            tick(1)
        generator.evidence(stories, users["caseworker"])
        generator.suspicious(stories, users["caseworker"])
        generator.counts["notices"] = demo_notices.load(stories, users, generator.rng)
        generator.counts["actors"] = generator.actors.count
        generator.counts["export_screenings"] = demo_exports.load(users)
        tick(1)
    return generator.counts


def steps() -> int:
    return CASE_COUNT + 2


class Generator:
    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng = rng
        self.today = today
        self.counts = {"users": 0, "cases": 0, "persons": 0, "incidents": 0, "legal_processes": 0,
                       "sources": 0, "evidence_files": 0}
        self.terms = {(t.thesaurus, t.code): t for t in Term.objects.all()}
        self.actors = DemoActors(SEED + 1)
        self.agencies = {c: self._organisation(name, "security_service", c, aliases)
                         for c, (name, aliases) in AGENCIES.items()}
        self.bodies = {k: self._organisation(name, "international", "", aliases)
                       for k, (name, aliases) in INTERNATIONAL_BODIES.items()}
        self.migration = {c: self._organisation(name, "state_body", c, aliases)
                          for c, (name, aliases) in MIGRATION_BODIES.items()}

    # --- reference data -------------------------------------------------------------------------

    @staticmethod
    def _organisation(name, kind, country, aliases):
        org, _ = Organisation.objects.get_or_create(
            name=name, country=country, defaults={"kind": kind, "aliases": aliases}
        )
        return org

    def term(self, thesaurus_name, code):
        return self.terms[(thesaurus_name, code)]

    def users(self) -> dict:
        users = {}
        for username, role in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, role=role, first_name=str(role.label))
                user.set_password(DEMO_PASSWORD)
                user.save()
                self.counts["users"] += 1
            users[username] = user
        return users

    # --- dates ----------------------------------------------------------------------------------

    def day_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        span = max((end - start).days, 0)
        return start + datetime.timedelta(days=self.rng.randint(0, span))

    def partial(self, day: datetime.date) -> str:
        """An ISO partial date of year, month or day precision (mostly day)."""
        precision = self.rng.choices(("year", "month", "day"), weights=(2, 3, 6))[0]
        if precision == "year":
            return f"{day.year:04d}"
        if precision == "month":
            return f"{day.year:04d}-{day.month:02d}"
        return day.isoformat()

    # --- a case ---------------------------------------------------------------------------------

    def case(self, number: int, users: dict) -> CaseStory:
        origin = ORIGINS[number % len(ORIGINS)]
        host = HOST_ROTATION[number % len(HOST_ROTATION)]
        if host not in HOSTS[origin]:
            host = self.rng.choice(HOSTS[origin])
        story = CaseStory(number=number, origin=origin, host=host)
        self.people(story)
        exile_year = self.rng.randint(2012, 2021)
        story.case = Case.objects.create(
            title=f"{FICTIONAL} {story.principal_name.primary} and family ({origin} → {story.host})",
            notes=f"{FICTIONAL} Demo case generated by `shelter demo`. Every person, event and document in it "
                  "is invented; any resemblance to real persons is coincidental.",
            status=self.rng.choice(("open", "open", "open", "monitoring", "closed")),
            opened_on=self.day_between(datetime.date(max(exile_year, 2016), 1, 1), self.today),
            external_source=DEMO_MARKER,
        )
        self.counts["cases"] += 1
        record("demo", "create", story.case)  # so that the auditor's view is not empty
        self.grant(story, users)
        self.save_people(story)
        self.consents(story)
        self.sources(story)
        first_incident = datetime.date(max(exile_year, FIRST_YEAR), 1, 1)
        for _ in range(6 + self.rng.randint(0, 2)):
            self.incident(story, self.day_between(first_incident, self.today))
        self.legal_processes(story, exile_year)
        self.deadlines(story)
        return story

    def grant(self, story, users):
        on_list = []
        if story.number not in CASEWORKER_EXCLUDED:
            on_list.append(users["caseworker"])
        if story.number not in RESEARCHER_EXCLUDED:
            on_list.append(users["researcher"])
        CaseAccess.objects.bulk_create(CaseAccess(case=story.case, user=u) for u in on_list)

    def people(self, story):
        """Choose the names first: the case title needs the principal's."""
        rng, origin = self.rng, story.origin
        family = random_family(rng, origin)
        gender = rng.choice(("male", "male", "female"))
        story.principal_name = random_name(rng, origin, gender, family)
        spouse_gender = "female" if gender == "male" else "male"

        def anyone(family=None):
            return random_name(rng, origin, rng.choice(("male", "female")), family)

        story.relatives.append(Member(random_name(rng, origin, spouse_gender, family), "spouse"))
        story.relatives.append(Member(anyone(family), "parent", at_home=True))
        if rng.random() < 0.5:
            story.relatives.append(Member(anyone(family), "sibling", at_home=True))
        if rng.random() < 0.6:
            story.others.append(Member(anyone(), "colleague"))
        if rng.random() < 0.5:
            story.others.append(Member(anyone(), "witness"))

    def save_people(self, story):
        rng = self.rng
        profile = rng.choice(EXILE_PROFILES)
        story.accusation = rng.choice(ACCUSATIONS_BY_PROFILE[profile])
        story.principal = self.person(story, story.principal_name, rng.randint(1962, 1998), [profile])
        self.contacts(story.principal, story.principal_name, story.host, email=True)
        self.documents(story.principal, story)
        self.asylum(story.principal, story)
        for relative in story.relatives:
            born = rng.randint(1940, 1965) if relative.relation == "parent" else rng.randint(1965, 2000)
            relative.person = self.person(story, relative.name, born, ["relative"])
            lives_in = story.origin if relative.at_home else story.host
            self.contacts(relative.person, relative.name, lives_in, email=not relative.at_home)
            if not relative.at_home and rng.random() < 0.6:
                self.asylum(relative.person, story)
        for other in story.others:
            colleague = other.relation == "colleague"
            profiles = [rng.choice(EXILE_PROFILES)] if colleague else []
            other.person = self.person(story, other.name, rng.randint(1960, 2000), profiles)
            self.contacts(other.person, other.name, story.host, email=colleague)

    @staticmethod
    def consents(story) -> None:
        """Consent to publication, by the case's number (not the random generator, so that the rest of
        the demo stays as it was): most families consent to anonymised publication, one in seven to being
        named, a few not at all, and one case is never published."""
        if story.number == CASE_COUNT - 1:
            story.case.never_publish = True
            story.case.save(update_fields=["never_publish"])
        consent = "named" if story.number % 7 == 3 else "none" if story.number % 5 == 4 else "anonymised"
        if consent == "none":
            return
        for person in Person.objects.filter(case=story.case):
            person.publication_consent, person.publication_consent_on = consent, str(story.case.opened_on.year)
            person.publication_consent_source = f"{FICTIONAL} Signed consent form kept in the case file"
            person.save(update_fields=["publication_consent", "publication_consent_on", "publication_consent_source"])

    def person(self, story, name, birth_year, profiles) -> Person:
        rng = self.rng
        born = datetime.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
        person = Person.objects.create(
            case=story.case,
            birth_date=self.partial(born),
            birth_place=rng.choice((CAPITALS[story.origin], "", f"a village near {CAPITALS[story.origin]}")),
            nationalities=[story.origin] if birth_year >= 1992 else rng.choice(([story.origin], [story.origin, "SU"])),
            gender=name.gender,
            notes=f"{FICTIONAL} Invented person for the demo.",
        )
        person.profiles.set([self.term("profiles", code) for code in profiles])
        for spelling in name.spellings():
            PersonName.objects.create(
                person=person, value=spelling.value, script=spelling.script, language=spelling.language,
                kind=spelling.kind,
            )
        self.counts["persons"] += 1
        return person

    def phone(self, country: str) -> str:
        rng = self.rng
        if country == "GB":
            return f"+44 7700 900{rng.randint(0, 999):03d}"  # Ofcom's range for drama
        if country == "US":
            return f"+1 202 555 01{rng.randint(0, 99):02d}"  # reserved for fiction
        if country == "TR":
            return f"+90 5{rng.randint(30, 59)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        digits = "".join(str(rng.randint(0, 9)) for _ in range(9))
        return f"+{DIALLING[country]} {digits[:3]} {digits[3:6]} {digits[6:]}"

    def contacts(self, person, name, country, email):
        ContactDetail.objects.create(person=person, kind="phone", value=self.phone(country))
        if email:
            address = f"{name.ascii_handle()}{self.rng.randint(1, 99)}@example.org"
            ContactDetail.objects.create(person=person, kind="email", value=address)
        if self.rng.random() < 0.3:
            handle = name.ascii_handle().replace(".", "_")
            ContactDetail.objects.create(person=person, kind="messenger", value=f"Telegram @{handle}")

    def documents(self, person, story):
        rng = self.rng
        number = f"{rng.choice('ABCFKN')}{rng.choice('ABCDEFGHKLMN')}{rng.randint(1000000, 9999999)}"
        IdentityDocument.objects.create(
            person=person, kind="passport", number=number, issuing_country=story.origin,
            expires_on=f"{rng.randint(2016, 2030)}-{rng.randint(1, 12):02d}",
        )
        kind = rng.choice(("residence_permit", "travel_document"))
        IdentityDocument.objects.create(
            person=person, kind=kind, number=f"{story.host}{rng.randint(10000000, 99999999)}",
            issuing_country=story.host, expires_on=f"{rng.randint(2025, 2031)}-{rng.randint(1, 12):02d}-01",
        )

    def asylum(self, person, story):
        rng = self.rng
        applied = rng.randint(2014, min(2025, self.today.year))
        AsylumStatus.objects.create(person=person, host_country=story.host, status="applied",
                                    since=f"{applied}-{rng.randint(1, 12):02d}")
        decided = rng.choice(("refugee", "subsidiary", "rejected", None))
        if decided and applied < self.today.year:
            AsylumStatus.objects.create(person=person, host_country=story.host, status=decided,
                                        since=str(rng.randint(applied + 1, self.today.year)))

    def sources(self, story):
        rng = self.rng
        for index, (kind, title, language) in enumerate(rng.sample(SOURCE_TITLES, rng.randint(4, 6))):
            published = self.day_between(datetime.date(FIRST_YEAR, 1, 1), self.today)
            story.sources.append(Source.objects.create(
                case=story.case, kind=kind,
                title=title.format(who=story.principal_name.primary),
                url=f"https://example.org/fictional/{story.number + 1}/{index + 1}",
                language=language, published_on=self.partial(published),
                reliability=rng.choice("ABCF"),
                confidentiality=rng.choice(("public", "restricted", "confidential")),
                notes="Fictional demo source: invented for the demo, cite nothing from it.",
            ))
            self.counts["sources"] += 1

    # --- incidents ------------------------------------------------------------------------------

    def tactics(self) -> list[str]:
        codes, weights = zip(*TACTIC_WEIGHTS, strict=True)
        first = self.rng.choices(codes, weights=weights)[0]
        chosen = [first]
        for related in RELATED_TACTICS[first]:
            if len(chosen) < 3 and self.rng.random() < 0.35:
                chosen.append(related)
        return chosen

    def incident(self, story, day: datetime.date):
        rng = self.rng
        codes = self.tactics()
        host = story.host if rng.random() < 0.85 else rng.choice([h for h in HOSTS[story.origin] if h != story.host])
        city = rng.choice(CITIES[host])
        place = rng.choice((city, f"{city} airport", f"a market in {city}", f"the centre of {city}"))
        victim_person, victim_name = story.principal, story.principal_name
        colleague = next((o for o in story.others if o.relation == "colleague"), None)
        if colleague is not None and rng.random() < 0.2:
            victim_person, victim_name = colleague.person, colleague.name
        relative = next(r for r in story.relatives if r.at_home)  # the one summoned back home
        relative_person, relative_name = relative.person, relative.name
        narrative = NARRATIVES[codes[0]].format(
            victim=victim_name.primary, relative=relative_name.primary, place=place, city=city,
            agency=self.agencies[story.origin].name, origin=countries.name(story.origin),
            host=countries.name(host), capital=CAPITALS[story.origin], days=rng.randint(2, 90),
            years=rng.randint(5, 20), language=LANGUAGES[story.origin],
            accusation=thesaurus.label("accusations", story.accusation).lower(),
        )
        incident = Incident.objects.create(
            case=story.case,
            title=f"{FICTIONAL} {thesaurus.label('tactics', codes[0])} in {city}",
            date=self.partial(day),
            origin_state=story.origin,
            host_state=host,
            place=place,
            narrative=f"{FICTIONAL} {narrative} (Day {day.isoformat()}, case {story.number + 1}.)",
            outcome=rng.choice(OUTCOMES.get(codes[0], ("unknown", "ongoing", "protected"))),
            host_complicity=rng.choice(("unknown", "none", "passive", "active")),
            people_targeted=1 + (rng.random() < 0.2),
            accusation=story.accusation,
        )
        incident.tactics.set([self.term("tactics", code) for code in codes])
        incident.sources.set(rng.sample(story.sources, rng.randint(1, 2)))
        self.counts["incidents"] += 1
        self.acts(story, incident, codes, victim_person, relative_person)
        self.involvements(story, incident)

    def acts(self, story, incident, codes, victim, relative):
        act = Act.objects.create(incident=incident, person=victim, role=ActRole.VICTIM)
        if self.rng.random() < 0.4:
            act.sources.set(self.rng.sample(story.sources, 1))
        if "coercion_by_proxy" in codes:
            Act.objects.create(incident=incident, person=relative, role=ActRole.PROXY_VICTIM, proxy_for=victim)
        witness = next((o.person for o in story.others if o.relation == "witness"), None)
        if witness is not None and self.rng.random() < 0.4:
            Act.objects.create(incident=incident, person=witness, role=ActRole.WITNESS)

    def involvements(self, story, incident):
        rng = self.rng
        agency = self.agencies[story.origin]
        Involvement.objects.create(incident=incident, actor_kind=ActorKind.AGENCY, organisation=agency)
        if rng.random() < 0.3:
            gender = rng.choice(("male", "female"))
            random_name(rng, story.origin, gender)  # drawn as before, so that the rest of the data stays the same
            actor = self.actors.actor(incident.case, story.origin, "informant", gender)
            Involvement.objects.create(incident=incident, actor_kind=ActorKind.INFORMANT, actor=actor)
        if rng.random() < 0.15:
            random_name(rng, story.origin, "male")
            actor = self.actors.actor(incident.case, story.origin, "intelligence_officer", organisation=agency)
            Involvement.objects.create(incident=incident, actor_kind=ActorKind.OFFICER, organisation=agency, actor=actor)
        if rng.random() < 0.25:
            Involvement.objects.create(incident=incident, actor_kind=ActorKind.UNKNOWN)

    # --- legal processes, deadlines -------------------------------------------------------------

    def upcoming(self) -> datetime.date:
        return self.today + datetime.timedelta(days=self.rng.randint(3, 42))

    DECIDED = ("granted", "refused", "deleted", "closed")

    def legal_processes(self, story, exile_year):
        rng = self.rng
        opened = self.day_between(datetime.date(max(exile_year, FIRST_YEAR), 1, 1), self.today)
        kinds = ["red_notice" if rng.random() < 0.7 else "diffusion", "asylum"]
        kinds += rng.sample(["ccf", "extradition", "deportation", "court", "wanted_list"], rng.randint(1, 3))
        for index, kind in enumerate(kinds):
            requesting, deciding, body = self.process_parties(story, kind)
            status = rng.choice(("pending", "active", "granted", "refused", "deleted", "appeal", "closed"))
            # About every other case has a deadline in the coming weeks; others have none or a past one.
            deadline = self.upcoming() if (index == 0 and story.number % 2 == 0) or rng.random() < 0.2 else None
            process = LegalProcess.objects.create(
                case=story.case, person=story.principal, kind=kind, requesting_state=requesting,
                deciding_state=deciding, deciding_body=body,
                reference=f"FICT-{kind.upper()[:3]}-{opened.year}/{rng.randint(10000, 99999)}",
                opened_on=self.partial(opened),
                decided_on=self.partial(self.day_between(opened, self.today)) if status in self.DECIDED else "",
                deadline=deadline, status=status,
                outcome=f"{FICTIONAL} Invented outcome notes for the demo ({status}).",
            )
            process.sources.set(rng.sample(story.sources, 1))
            self.counts["legal_processes"] += 1

    def process_parties(self, story, kind):
        """(requesting state, deciding state, deciding body) of a legal process."""
        origin, host = story.origin, story.host
        if kind in ("red_notice", "diffusion"):
            return origin, "", self.bodies["ipsg"]
        if kind == "ccf":
            return "", "", self.bodies["ccf"]
        if kind == "court":
            return "", host, self.bodies["ecthr"] if self.rng.random() < 0.5 else None
        if kind == "asylum":
            return "", host, self.migration.get(host)
        if kind == "deportation":
            return "", host, self.migration.get(host)
        if kind == "wanted_list":
            return origin, origin, self.agencies[origin]
        return origin, host, None  # extradition: decided by the host state's courts

    def deadlines(self, story):
        rng = self.rng
        for title in rng.sample(DEADLINE_TITLES, rng.randint(1, 3)):
            if rng.random() < 0.6:
                Deadline.objects.create(case=story.case, title=f"{FICTIONAL} {title}", due_on=self.upcoming())
            else:
                due = self.today - datetime.timedelta(days=rng.randint(10, 400))
                Deadline.objects.create(case=story.case, title=f"{FICTIONAL} {title}", due_on=due, done=True)

    # --- evidence -------------------------------------------------------------------------------

    def evidence(self, stories, uploader):
        for story in stories[:6]:
            name = story.principal_name
            transcript = (
                f"{FICTIONAL} Fictional demo source — interview transcript\n"
                f"Case {story.number + 1}. Interviewee: {name.primary} ({name.russian_latin}).\n"
                f"The interviewee describes summonses of relatives by the {self.agencies[story.origin].name} "
                f"and messages received in {CITIES[story.host][0]}.\n"
            ).encode()
            store_evidence(story.case, f"{FICTIONAL} Interview transcript", f"interview-{story.number + 1}.txt",
                           transcript, "text/plain", uploader, source=story.sources[0])
            pdf = fictional_pdf(f"FICTIONAL demo summons for {name.russian_latin}, case {story.number + 1}")
            store_evidence(story.case, f"{FICTIONAL} Scanned summons", f"summons-{story.number + 1}.pdf",
                           pdf, "application/pdf", uploader)
            self.counts["evidence_files"] += 2


    # --- suspicious messages, two of one fictional campaign -------------------------------------------

    def suspicious(self, stories, uploader):
        from email.message import EmailMessage

        from shelter.artefacts import triage

        lures = [
            ("Google <no-reply@accounts-google-verify.example>", "Предупреждение безопасности",
             "Кто-то вошёл в ваш аккаунт. Проверьте: https://accounts-google-verify.example/signin"),
            ("Google <security@accounts-google-verify.example>", "Ваш аккаунт будет заблокирован",
             "Подтвердите вход до завтра: https://accounts-google-verify.example/confirm"),
            ("Mail.ru <support@mailru-alert.example>", "Xavfsizlik ogohlantirishi",
             "Hisobingizni tasdiqlang: https://mailru-alert.example/login"),
        ]
        for story, (sender, subject, body) in zip(stories, lures):
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = sender, "exile@example.org", f"{subject} {FICTIONAL}"
            message.set_content(f"{FICTIONAL} {body}")
            triage.triage_into_case(story.case, f"suspicious-{story.number + 1}.eml", bytes(message), uploader,
                                    title=f"{FICTIONAL} Suspicious message")
            self.counts["suspicious"] = self.counts.get("suspicious", 0) + 1


def fictional_pdf(text: str) -> bytes:
    """A minimal, valid one-page PDF showing one line of ASCII text."""
    safe = "".join(c for c in text if c.isascii() and c not in "()\\")
    stream = f"BT /F1 14 Tf 72 720 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
