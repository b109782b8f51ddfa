from shelter.records.models import Organisation

from .conftest import PASSWORD


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
