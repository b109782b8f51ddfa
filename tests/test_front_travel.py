"""Travel-risk advisory: host and transit countries ranked for an exile from one state."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from shelter.records.models import Incident, Term

from .conftest import login


@pytest.fixture
def renditions(case):
    """Three Tajik renditions from Russia, one detention in Turkey."""
    for number, (host, tactic, outcome) in enumerate([("RU", "abduction", "returned")] * 3 + [("TR", "detention", "released")]):
        incident = Incident.objects.create(case=case, title=f"Incident {number}", date="2020", origin_state="TJ",
                                           host_state=host, outcome=outcome)
        incident.tactics.set(Term.objects.filter(thesaurus="tactics", code=tactic))


def test_it_ranks_where_renditions_were_documented_first(client, researcher, renditions):
    login(client, researcher)
    response = client.get(reverse("travel"), {"origin": "TJ", "via": "DE"})
    ranked = [row["country"] for row in response.context["ranked"]]
    assert ranked[0] == "RU" and ranked.index("TR") < ranked.index("DE")
    page = response.content.decode()
    assert "Minsk" in page and "Incident 0" not in page


def test_an_unknown_origin_shows_the_form_only(client, caseworker, db):
    login(client, caseworker)
    response = client.get(reverse("travel"), {"origin": "<script>"})
    assert response.status_code == 200 and response.context["ranked"] == []
    assert "<script>" not in response.content.decode()


def test_the_command_writes_the_ranking(capsys, renditions):
    call_command("risk", "travel", "--origin", "tj", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["origin"] == "TJ" and result["ranking"][0]["country"] == "RU"
    assert result["ranking"][0]["counts"]["returned"] == 3


def test_the_command_refuses_an_unknown_origin(db):
    with pytest.raises(CommandError, match="not a country code"):
        call_command("risk", "travel", "--origin", "XX")
