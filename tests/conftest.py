import pytest
from django.core.signals import setting_changed
from django.db import connections
from django.dispatch import receiver

from shelter.accounts import throttle
from shelter.accounts.models import User
from shelter.records.models import Case, CaseAccess, Person, PersonName

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(settings, tmp_path):
    """Backups and serve write checkpoints outside the database: into each test's own folder."""
    settings.SHELTER_AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


@pytest.fixture(autouse=True, scope="session")
def _flush_opens_audit_log():
    """Transactional tests end with a flush, which the append-only audit table refuses; open it
    through the (non-model) unlock table for the duration of the flush only."""
    from django.core.management.commands import flush

    original = flush.Command.handle

    def handle(self, **options):
        connection = connections[options.get("database") or "default"]
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO audit_unlock (reason) VALUES ('test flush')")
        try:
            return original(self, **options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM audit_unlock")

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


@pytest.fixture(autouse=True)
def _an_empty_cache():
    """Each test's database starts again from the same ids and data version: figures an earlier test
    kept in the (per-process) cache under the same key must not be read as this test's."""
    from django.core.cache import caches

    caches["default"].clear()
    yield


@receiver(setting_changed)
def _forget_the_dummy_hash(setting, **kwargs):
    """The lock-out's dummy hash is made once by the configured hasher: make it again when the
    hashers change (the `argon2` fixture), so a refused attempt always runs the hasher in force."""
    if setting == "PASSWORD_HASHERS":
        throttle._dummy_hash.cache_clear()


@pytest.fixture
def argon2(settings):
    """The production password hashers (Argon2 first) instead of the tests' fast MD5, for the tests
    whose subject is the hashing. Put it before any user fixture (or use
    ``@pytest.mark.usefixtures("argon2")``) so that those users' passwords are hashed with it."""
    settings.PASSWORD_HASHERS = settings.PRODUCTION_PASSWORD_HASHERS


def login(client, user):
    """Log `user` in to the test `client` and return it, without a password (so without the hasher).
    For tests whose subject is not authentication; those post to /login/ or call
    ``client.login(username=..., password=PASSWORD)``."""
    assert user.is_active
    client.force_login(user)
    return client


@pytest.fixture
def make_user(db):
    def make(role, username=None):
        return User.objects.create_user(username or role, password=PASSWORD, role=role)

    return make


@pytest.fixture
def caseworker(make_user):
    return make_user("caseworker")


@pytest.fixture
def other_caseworker(make_user):
    return make_user("caseworker", "outsider")


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator")


@pytest.fixture
def researcher(make_user):
    return make_user("researcher")


@pytest.fixture
def auditor(make_user):
    return make_user("auditor")


@pytest.fixture
def administrator(make_user):
    return make_user("administrator")


@pytest.fixture
def case(caseworker, researcher):
    """A case on the access list of `caseworker` and `researcher` (not of `other_caseworker`)."""
    case = Case.objects.create(title="Family of Ulugbek Karimov", notes="Met in Istanbul")
    CaseAccess.objects.create(case=case, user=caseworker)
    CaseAccess.objects.create(case=case, user=researcher)
    return case


@pytest.fixture
def person(case):
    person = Person.objects.create(case=case, birth_date="1979-08", nationalities=["UZ"], gender="male")
    PersonName.objects.create(person=person, value="Улугбек Каримов", language="ru")
    PersonName.objects.create(person=person, value="Ulugbek Karimov", kind="alias", language="en")
    return person


PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def records(case, person, caseworker):
    """One record of every case-scoped type, all in `case`."""
    from shelter.records.evidence import store_evidence
    from shelter.records.models import Deadline, Incident, LegalProcess, Source, Term

    source = Source.objects.create(case=case, kind="interview", title="Interview with the brother", language="ru")
    incident = Incident.objects.create(
        case=case, title="Detention in Istanbul", date="2021-03", origin_state="UZ", host_state="TR",
        narrative="Taken from his flat at night", accusation="terrorism_extremism",
    )
    incident.tactics.set(Term.objects.filter(thesaurus="tactics", code__in=["detention", "interpol_abuse"]))
    incident.sources.add(source)
    incident.acts.create(person=person, role="victim")
    process = LegalProcess.objects.create(
        case=case, person=person, kind="red_notice", requesting_state="UZ", reference="2021/12345", opened_on="2020"
    )
    evidence = store_evidence(case, "Scan of the warrant", "warrant.pdf", PDF_BYTES, "application/pdf", caseworker)
    deadline = Deadline.objects.create(case=case, title="CCF reply due", due_on="2030-01-01")
    return {
        "case": case, "person": person, "source": source, "incident": incident,
        "process": process, "evidence": evidence, "deadline": deadline,
    }


@pytest.fixture
def elsewhere(other_caseworker):
    """A person named like `person` in a case only `other_caseworker` is on."""
    case = Case.objects.create(title="Another family")
    CaseAccess.objects.create(case=case, user=other_caseworker)
    person = Person.objects.create(case=case)
    PersonName.objects.create(person=person, value="Улугбек Каримов")
    return person


@pytest.fixture
def informant(case):
    """An informant of `case` named Рустам Каримов, with a phone number."""
    from shelter.actors.models import Actor, ActorName, Identifier

    actor = Actor.objects.create(case=case, kind="informant")
    ActorName.objects.create(actor=actor, value="Рустам Каримов")
    Identifier.objects.create(actor=actor, kind="phone", value="+998 90 123-45-67")
    return actor


@pytest.fixture
def informant_elsewhere(other_caseworker):
    """The same phone, written otherwise, as the WhatsApp of an actor of a case only `other_caseworker` is on."""
    from shelter.actors.models import Actor, Identifier

    case = Case.objects.create(title="Другое дело")
    CaseAccess.objects.create(case=case, user=other_caseworker)
    Identifier.objects.create(actor=Actor.objects.create(case=case, kind="consular"), kind="whatsapp", value="998901234567")
    return case


@pytest.fixture
def same_actor_elsewhere(informant, other_caseworker):
    """`informant`, now of the SNB, recorded by another name's spelling (Rustam Karimov) and of the SNB
    too in a case only `other_caseworker` is on: a likely same actor. Returns that other actor."""
    from shelter.actors.models import Actor
    from shelter.records.models import Organisation

    snb = Organisation.objects.create(name="SNB", kind="security_service", country="UZ")
    informant.organisation = snb
    informant.save()
    case = Case.objects.create(title="Ещё одно дело")
    CaseAccess.objects.create(case=case, user=other_caseworker)
    actor = Actor.objects.create(case=case, kind="intelligence_officer", organisation=snb)
    actor.set_names("Rustam Karimov")
    return actor
