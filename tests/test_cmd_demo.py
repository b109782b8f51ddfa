import datetime
import json
import os
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.utils import timezone

from shelter import thesaurus
from shelter.accounts.models import User
from shelter.ops import demo_data
from shelter.records.access import visible_cases
from shelter.records.evidence import open_evidence
from shelter.records.models import (
    Act,
    AsylumStatus,
    Case,
    ContactDetail,
    Deadline,
    EvidenceFile,
    IdentityDocument,
    Incident,
    Involvement,
    LegalProcess,
    Organisation,
    Person,
    Source,
)

from .demo_loaded import committed_demo

ROLES = ("admin", "coordinator", "caseworker", "researcher", "auditor")


@pytest.fixture(autouse=True)
def contained_demo_mode(settings, monkeypatch):
    """The command switches demo mode on in the live settings and the environment: keep that
    inside each test."""
    monkeypatch.setenv("SHELTER_DEMO", "false")
    # Set through the fixture, so the command's own assignments land in this test's override and go
    # with it (else demo mode stays on for the worker's later tests, e.g. the browser screenshots).
    settings.SHELTER_DEMO = False
    return settings


def demo(*args):
    out, err = StringIO(), StringIO()
    call_command("demo", "--no-serve", *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture(scope="class")
def loaded_once(django_db_setup, django_db_blocker):
    with committed_demo(django_db_blocker) as output:
        yield output


@pytest.fixture
def loaded(loaded_once, db):
    return loaded_once


class TestTheLoadedDataSet:
    def test_it_loads_a_fictional_data_set_of_the_promised_size(self, loaded):
        cases = list(Case.objects.all())
        assert len(cases) >= 12
        assert all(c.title.startswith("[FICTIONAL]") for c in cases)
        assert Person.objects.count() >= 40
        assert Incident.objects.count() >= 80
        origins = {code for codes in Person.objects.values_list("nationalities", flat=True) for code in codes} - {"SU"}
        assert len(origins) >= 6
        assert all(s.title.startswith("Fictional demo source") for s in Source.objects.all())

    def test_it_includes_suspicious_messages_two_of_one_campaign(self, loaded):
        from shelter.artefacts.models import Artefact, Campaign

        artefacts = list(Artefact.objects.all())
        assert len(artefacts) == 3 and all(a.verdict == "malicious" for a in artefacts)
        assert Campaign.objects.count() == 1 and Campaign.objects.get().artefacts.count() == 2

    def test_incidents_happen_abroad_between_2014_and_now(self, loaded):
        incidents = list(Incident.objects.prefetch_related("tactics"))
        accusations = set(thesaurus.codes("accusations"))

        assert all(i.origin_state != i.host_state for i in incidents)
        assert {i.host_state for i in incidents} >= {"TR", "RU", "DE", "PL", "UA", "SE", "FR", "GB", "US", "AE"}
        assert all("2014" <= i.date <= timezone.localdate().isoformat() for i in incidents)
        assert {len(i.date) for i in incidents} == {4, 7, 10}  # year, month and day precision
        assert all(1 <= len(i.tactics.all()) <= 3 for i in incidents)
        assert all(t.thesaurus == "tactics" for i in incidents for t in i.tactics.all())
        assert all(i.accusation in accusations for i in incidents)
        assert all(i.sources.exists() for i in incidents)
        assert all(i.narrative.startswith("[FICTIONAL]") for i in incidents)

    def test_running_it_twice_creates_nothing_new(self, loaded):
        counts = [m.objects.count() for m in (User, Case, Person, Incident, LegalProcess, EvidenceFile, Organisation)]

        output = demo()

        assert [m.objects.count() for m in (User, Case, Person, Incident, LegalProcess, EvidenceFile, Organisation)] == counts
        assert "already loaded" in output

    def test_it_prints_a_login_for_every_role(self, loaded):
        for username in ROLES:
            assert username in loaded
        assert demo_data.DEMO_PASSWORD in loaded

    def test_every_demo_login_works_with_the_printed_password(self, loaded):
        for username in ROLES:
            user = authenticate(username=username, password=demo_data.DEMO_PASSWORD)
            assert user is not None, username
        assert {u.role for u in User.objects.all()} == {"administrator", "coordinator", "caseworker", "researcher", "auditor"}

    def test_the_caseworker_and_the_researcher_see_most_but_not_all_cases(self, loaded):
        total = Case.objects.count()
        for username in ("caseworker", "researcher"):
            seen = visible_cases(User.objects.get(username=username)).count()
            assert total / 2 < seen < total, username
        assert visible_cases(User.objects.get(username="coordinator")).count() == total

    def test_persons_have_a_primary_name_and_latin_variants(self, loaded):
        for person in Person.objects.prefetch_related("names"):
            names = list(person.names.all())
            primary = [n for n in names if n.kind == "primary"]
            variants = [n for n in names if n.kind != "primary" and n.script == "Latn"]
            assert len(primary) == 1
            expected_script = "Latn" if person.nationalities[0] in ("AZ", "TM") else "Cyrl"
            assert primary[0].script == expected_script
            assert 1 <= len(variants) <= 2

    def test_uzbek_names_come_in_official_and_russian_style_latin(self, loaded):
        uzbek = [p for p in Person.objects.prefetch_related("names") if p.nationalities[0] == "UZ"]
        spellings = {n.value for p in uzbek for n in p.names.all()}

        assert any("ʻ" in s or "Q" in s for s in spellings)  # Oʻtkir, Qodirov: official Latin
        assert any("Kh" in s or "Dzh" in s or "Kadyr" in s for s in spellings)  # Russian-style

    def test_persons_have_contacts_documents_and_asylum_statuses(self, loaded):
        phones = ContactDetail.objects.filter(kind="phone")
        emails = ContactDetail.objects.filter(kind="email")
        assert phones.count() >= 40 and all(c.value.startswith("+") for c in phones)
        assert emails.exists() and all(c.value.endswith("@example.org") for c in emails)
        assert IdentityDocument.objects.filter(kind="passport").count() >= 12
        assert AsylumStatus.objects.filter(status="applied").count() >= 12

    def test_acts_and_involvements_cover_proxies_witnesses_agencies_and_informants(self, loaded):
        roles = set(Act.objects.values_list("role", flat=True))
        assert roles == {"victim", "proxy_victim", "witness"}
        assert Act.objects.filter(role="proxy_victim", proxy_for__isnull=False).exists()
        actors = set(Involvement.objects.values_list("actor_kind", flat=True))
        assert {"agency", "informant", "unknown"} <= actors
        # Officers and informants are actors of the case, not names written on the involvement.
        assert not Involvement.objects.filter(actor_name__isnull=False).exists()
        named = Involvement.objects.filter(actor_kind__in=["officer", "informant"])
        assert named.exists() and not named.filter(actor__isnull=True).exists()
        assert not named.exclude(actor__case=F("case")).exists()
        agencies = Organisation.objects.filter(kind="security_service")
        assert {"SNB", "GKNB", "FSB", "KNB", "DTX", "MNB", "KGB"} <= {a for org in agencies for a in org.aliases}

    def test_legal_processes_have_sources_and_upcoming_deadlines(self, loaded):
        kinds = set(LegalProcess.objects.values_list("kind", flat=True))
        assert {"red_notice", "diffusion", "extradition", "deportation", "asylum", "ccf", "court"} <= kinds
        assert all(p.sources.exists() for p in LegalProcess.objects.all())
        today = timezone.localdate()
        soon = today + datetime.timedelta(weeks=7)
        assert LegalProcess.objects.filter(deadline__gte=today, deadline__lte=soon).exists()
        assert Deadline.objects.filter(done=False, due_on__gte=today, due_on__lte=soon).exists()

    def test_demo_evidence_files_open_and_match_their_hash(self, loaded):
        files = list(EvidenceFile.objects.all())

        assert len(files) >= 4
        contents = [open_evidence(f) for f in files]
        assert any(c.startswith(b"%PDF-") for c in contents)
        assert any(b"FICTIONAL" in c for c in contents)
        assert all(f.custody.filter(action="uploaded").exists() for f in files)


def test_the_data_set_is_deterministic(db):
    demo()
    first = sorted(json.dumps(p.nationalities) + p.primary_name() for p in Person.objects.prefetch_related("names"))
    Case.objects.all().delete()

    call_command("demo", "--no-serve", stdout=StringIO(), stderr=StringIO())

    again = sorted(json.dumps(p.nationalities) + p.primary_name() for p in Person.objects.prefetch_related("names"))
    assert again == first


def test_it_refuses_to_mix_demo_data_with_real_accounts(db, make_user):
    make_user("caseworker", "real.person")

    with pytest.raises(CommandError, match="not demo data"):
        demo()
    assert not Case.objects.exists()


def test_it_switches_demo_mode_on(db, contained_demo_mode):
    demo()

    assert contained_demo_mode.SHELTER_DEMO is True
    assert os.environ["SHELTER_DEMO"] == "true"
    assert contained_demo_mode.SESSION_COOKIE_SECURE is False


def test_the_printed_logins_need_no_authenticator_app(db, contained_demo_mode):
    from shelter.accounts import mfa

    contained_demo_mode.SHELTER_MFA_REQUIRED = True  # as a server started without DEBUG loads it
    demo()

    assert not mfa.is_required(User.objects.get(username="caseworker"))


def test_it_generates_well_under_a_minute(db):
    started = timezone.now()

    demo()

    assert (timezone.now() - started).total_seconds() < 30


class TestTheDemoNotices:
    def test_some_notices_name_demo_principals_and_raise_alerts_in_every_state(self, loaded):
        from shelter.notices.models import Notice, NoticeAlert

        assert Notice.objects.count() >= 10
        assert all(n.source_id.startswith("DEMO-") for n in Notice.objects.all())
        assert {"open", "confirmed", "dismissed"} <= set(NoticeAlert.objects.values_list("status", flat=True))
        assert all(a.process_id for a in NoticeAlert.objects.filter(status="confirmed"))
