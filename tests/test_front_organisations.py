from io import StringIO
from pathlib import Path

import pytest
from django.utils import translation
from django.core.management import call_command

from shelter.records import topics
from shelter.records.models import Organisation

from .conftest import PASSWORD, login

FTM = Path(__file__).parent / "data" / "ftm"


def test_an_organisation_is_created_with_aliases(client, caseworker):
    client.login(username="caseworker", password=PASSWORD)
    client.post("/organisations/new/", {"name": "State Security Service", "kind": "security_service", "country": "UZ", "aliases": "SNB\nСНБ\nDXX", "notes": "", "submission_id": "o1"})
    organisation = Organisation.objects.get()
    assert organisation.aliases == ["SNB", "СНБ", "DXX"]
    assert b"State Security Service" in client.get("/organisations/", {"q": "СНБ"}).content


def test_researchers_cannot_edit_organisations(client, researcher):
    client.login(username="researcher", password=PASSWORD)
    assert client.post("/organisations/new/", {"name": "x", "kind": "ngo"}).status_code == 403
    assert Organisation.objects.count() == 0


def test_auditors_do_not_browse_organisations(client, auditor):
    client.login(username="auditor", password=PASSWORD)
    assert client.get("/organisations/").status_code == 403


# --- organisations imported from a FollowTheMoney list ---------------------------------------------


def import_file(name: str):
    call_command("organisations", "import", str(FTM / name), stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def imported(db):
    import_file("sample.ftm.json")
    return {o.ftm_id: o for o in Organisation.objects.all()}


def russian(client):
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    return client


def test_the_detail_page_shows_the_listing_with_topic_labels_and_datasets(client, caseworker, imported):
    page = login(client, caseworker).get(f"/organisations/{imported['fict-co-tekhsvyaz'].pk}/").content.decode()

    assert "On a sanctions or export-restriction list" in page
    assert "Sanctioned" in page and "Export controlled" in page  # FtM's labels, not the codes
    assert "<code>us_trade_csl</code>" in page and "<code>eu_fsf</code>" in page and "fict-co-tekhsvyaz" in page
    assert "Svyaz-Proekt OOO" in page and "too broad to be matched on" in page and "Belarus" in page
    assert "Nov. 30, 2026" in page and "Feb. 1, 2024" in page


def test_the_detail_page_in_russian_labels_the_topics_in_russian(client, caseworker, imported):
    client = russian(login(client, caseworker))
    page = client.get(f"/organisations/{imported['fict-co-tekhsvyaz'].pk}/").content.decode()

    assert "В санкционном списке или списке экспортных ограничений" in page
    assert "Под санкциями" in page and "Под экспортным контролем" in page
    assert "Sanctioned" not in page and "Export controlled" not in page
    assert "Наборы данных" in page and "Темы" in page and "30 ноября 2026" in page
    body = client.get(f"/organisations/{imported['fict-pb-signals'].pk}/").content.decode()
    assert "Спецслужбы" in body and "Спецслужба" in body  # the topic, and the kind it gave


def test_a_linked_organisation_is_not_called_listed(client, caseworker, imported):
    page = login(client, caseworker).get(f"/organisations/{imported['fict-org-mirnaya'].pk}/").content.decode()

    assert "Linked to a listed entity, not itself listed" in page and "Sanction-linked" in page
    assert "On a sanctions or export-restriction list" not in page


def test_a_counter_sanctioned_organisation_is_not_called_listed(client, caseworker, imported):
    page = login(client, caseworker).get(f"/organisations/{imported['fict-co-opensky'].pk}/").content.decode()

    assert "Counter-sanctioned" in page
    assert "On a sanctions or export-restriction list" not in page and "Linked to a listed entity" not in page


def test_the_list_filters_on_a_sanctions_or_export_restriction_list(client, caseworker, imported):
    Organisation.objects.create(name="Hand-entered NGO", kind="ngo")
    login(client, caseworker)

    every = client.get("/organisations/").content.decode()
    listed = client.get("/organisations/", {"restricted": "1"}).content.decode()
    assert "Hand-entered NGO" in every and "Open Sky Media Foundation" in every
    assert "Tekhnologii Svyazi LLC" in listed and "Main Directorate of Signals Control" in listed and "Zvezda Trading House" in listed
    assert "Hand-entered NGO" not in listed and "Open Sky Media Foundation" not in listed and "Mirnaya" not in listed
    both = client.get("/organisations/", {"restricted": "1", "q": "связи"}).content.decode()
    assert "Tekhnologii Svyazi LLC" in both and "Zvezda" not in both


def test_the_list_search_finds_weak_aliases_too(client, caseworker, imported):
    page = login(client, caseworker).get("/organisations/", {"q": "svyaz"}).content.decode()

    assert "Tekhnologii Svyazi LLC" in page


@pytest.mark.attack("xss")
def test_an_imported_name_with_markup_is_escaped(client, caseworker, db):
    import_file("script_name.ftm.json")
    organisation = Organisation.objects.get()
    login(client, caseworker)

    for address in ("/organisations/", f"/organisations/{organisation.pk}/", f"/organisations/{organisation.pk}/edit/"):
        page = client.get(address).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, address
        assert "&lt;script&gt;alert" in page, address


def test_the_form_does_not_change_what_the_list_says(client, caseworker, imported):
    organisation = imported["fict-co-tekhsvyaz"]
    login(client, caseworker)
    form = client.get(f"/organisations/{organisation.pk}/edit/").content.decode()
    assert "changed only by importing it again" in form
    assert 'name="name"' in form and 'disabled' in form.split('name="name"')[1].split(">")[0]
    assert 'name="topics"' not in form and 'name="ftm_id"' not in form

    client.post(f"/organisations/{organisation.pk}/edit/", {
        "name": "Innocent Trading GmbH", "kind": "security_service", "country": "DE", "aliases": "Innocent", "notes": "a supplier",
        "topics": "", "datasets": "", "ftm_id": ""})
    organisation.refresh_from_db()
    assert (organisation.name, organisation.country, organisation.aliases[0]) == ("Tekhnologii Svyazi LLC", "RU", "ООО «Технологии связи»")
    assert organisation.topics == ["sanction", "export.control"] and organisation.ftm_id == "fict-co-tekhsvyaz"
    assert (organisation.kind, organisation.notes) == ("security_service", "a supplier")


def test_a_hand_entered_organisation_has_no_listing_fields_in_its_form(client, caseworker):
    form = login(client, caseworker).get("/organisations/new/").content.decode()

    for field in ("topics", "datasets", "ftm_id", "weak_aliases", "first_seen"):
        assert f'name="{field}"' not in form


def test_every_topic_label_is_followthemoneys_own():
    # Shelter's catalogue translates FtM's English labels: they must stay FtM's, and cover every topic.
    with translation.override("en"):  # another test of the same worker may have left Russian on
        assert {code: str(label) for code, label in topics.LABELS.items()} == topics.ftm_labels()


def test_restricted_is_decided_by_the_listing_topics():
    assert topics.RESTRICTING == {"sanction", "export.control", "debarment"}
    assert Organisation(topics=["debarment"]).restricted and Organisation(topics=["export.control"]).restricted
    for code in ("sanction.linked", "sanction.control", "export.control.linked", "sanction.counter", "export.risk", "role.oligarch"):
        assert not Organisation(topics=[code]).restricted, code
    assert Organisation(topics=["sanction.control"]).restriction_linked
    assert not Organisation(topics=["sanction", "sanction.linked"]).restriction_linked
