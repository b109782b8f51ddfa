import pytest
from django.db import connections

from shelter.accounts.models import User
from shelter.records.models import Case, CaseAccess, Person, PersonName

PASSWORD = "correct horse battery staple"


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
