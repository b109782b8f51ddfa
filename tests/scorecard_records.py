"""Records the scorecard and brief tests share: Uzbekistan reaching exiles in Turkey, in `case` (seen by
`caseworker` and `researcher`), in a case only `other_caseworker` sees, and in a case marked never to be
published. The sealed values here are what no scorecard or brief may show."""

import pytest

from shelter.records.models import Case, CaseAccess, Incident, LegalProcess, Person, PersonName, Term

SEALED = ["Family of Ulugbek Karimov", "Met in Istanbul", "Улугбек Каримов", "Ulugbek Karimov", "Taken from Aksaray at night",
          "Detention in Istanbul", "Aksaray district", "2021/12345", "Signed form kept in the file", "Tashkent"]


def incident_in(case, date="2021-03", origin="UZ", host="TR", tactics=("detention",), outcome="detained", victim=None, **fields):
    incident = Incident.objects.create(case=case, date=date, origin_state=origin, host_state=host, outcome=outcome, **fields)
    incident.tactics.set(Term.objects.filter(thesaurus="tactics", code__in=tactics))
    if victim is not None:
        incident.acts.create(person=victim, role="victim")
    return incident


@pytest.fixture
def consenting(case):
    """A journalist of `case` who consented to anonymised publication."""
    person = Person.objects.create(case=case, birth_date="1979-08", birth_place="Tashkent", nationalities=["UZ"], gender="male",
                                   publication_consent="anonymised", publication_consent_on="2025-04",
                                   publication_consent_source="Signed form kept in the file")
    person.profiles.set(Term.objects.filter(thesaurus="profiles", code="journalist"))
    PersonName.objects.create(person=person, value="Улугбек Каримов", language="ru")
    PersonName.objects.create(person=person, value="Ulugbek Karimov", kind="alias", language="en")
    return person


@pytest.fixture
def documented(case, consenting):
    """In `case`: a detention in Turkey that ended in a return (2021), threats (2022), a Red Notice Turkey
    refused; the case's title, notes and the incident's title, place and narrative are sealed values."""
    incident_in(case, "2021-03", tactics=("detention", "unlawful_deportation"), outcome="returned", victim=consenting,
                title="Detention in Istanbul", place="Aksaray district", narrative="Taken from Aksaray at night",
                host_complicity="active")
    incident_in(case, "2022", tactics=("threats",), outcome="ongoing", victim=consenting)
    LegalProcess.objects.create(case=case, person=consenting, kind="red_notice", requesting_state="UZ", deciding_state="TR",
                                reference="2021/12345", opened_on="2020-11", status="refused")
    return case


@pytest.fixture
def documented_elsewhere(other_caseworker):
    """Two incidents from Uzbekistan in Turkey in a case only `other_caseworker` sees."""
    case = Case.objects.create(title="Another family")
    CaseAccess.objects.create(case=case, user=other_caseworker)
    incident_in(case, "2021-05")
    incident_in(case, "2022-01", tactics=("assault",))
    return case


@pytest.fixture
def never_published(caseworker):
    """A case `caseworker` sees, marked never to be published, with a consenting victim."""
    case = Case.objects.create(title="Hidden family", never_publish=True)
    CaseAccess.objects.create(case=case, user=caseworker)
    person = Person.objects.create(case=case, publication_consent="named")
    incident_in(case, "2021-07", tactics=("assassination",), outcome="killed", victim=person)
    return case
