"""Records the export-screening tests share: the Uzbek state security service documented as the
perpetrator of incidents in `case` (and of one in a case only `other_caseworker` sees), a German
university, and requests as ``shelter exports screen`` reads them."""

import pytest

from shelter.records.models import Case, CaseAccess, Incident, Involvement, Organisation, Term


def documented(case, organisation, tactics, date="2021-03", host="TR", origin="UZ"):
    incident = Incident.objects.create(case=case, title="Relatives followed in Namangan", date=date,
                                       origin_state=origin, host_state=host)
    incident.tactics.set(Term.objects.filter(thesaurus="tactics", code__in=tactics))
    Involvement.objects.create(incident=incident, organisation=organisation, actor_kind="agency", role="perpetrator")
    return incident


@pytest.fixture
def service(case):
    """The SGB (formerly SNB) of Uzbekistan, acting in three incidents of `case`."""
    sgb = Organisation.objects.create(
        name="State Security Service of the Republic of Uzbekistan", kind="security_service", country="UZ",
        aliases=["SNB", "СНБ", "SGB", "СГБ", "DXX", "Служба национальной безопасности"])
    documented(case, sgb, ["surveillance", "coercion_by_proxy"], "2021-03", host="UZ")
    documented(case, sgb, ["digital_attack"], "2022-05")
    documented(case, sgb, ["detention"], "2019")
    return sgb


@pytest.fixture
def service_elsewhere(service, other_caseworker):
    """The same service in an incident of a case only `other_caseworker` sees."""
    case = Case.objects.create(title="Another family")
    CaseAccess.objects.create(case=case, user=other_caseworker)
    return documented(case, service, ["abduction"], "2023-01")


def imsi_catcher(party="Davlat xavfsizlik xizmati", country="UZ", destination="UZ", **changes):
    data = {"id": "EX-2026-017", "exporter": "Funkwerk Test GmbH",
            "item": {"description": "IMSI catcher for GSM, UMTS and LTE with active interception of the air interface"},
            "parties": [{"role": "end_user", "name": party, "country": country}],
            "destination": destination, "end_use": "Public security"}
    data.update(changes)
    return data


def controller_for_university():
    return {"id": "EX-2026-018", "item": {"description": "Industrial programmable logic controller (PLC) for a laboratory"},
            "parties": [{"role": "end_user", "name": "Technische Universität Dresden", "country": "DE"}],
            "destination": "DE"}
