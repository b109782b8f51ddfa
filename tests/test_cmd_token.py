from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from shelter.accounts.models import ApiToken
from shelter.audit.models import AuditEvent


def run(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_create_prints_a_token_that_authenticates(caseworker):
    clear = run("create", "caseworker", "--name", "import script").strip()
    assert ApiToken.objects.authenticate(clear) == caseworker
    assert Client(headers={"authorization": f"Bearer {clear}"}).get("/api/v1/cases").status_code == 200
    token = ApiToken.objects.get()
    assert token.name == "import script" and clear.startswith(token.prefix)
    assert clear not in token.digest


def test_create_is_audited_without_the_token(caseworker):
    clear = run("create", "caseworker", "--name", "x").strip()
    event = AuditEvent.objects.get(action="token")
    assert event.detail["operation"] == "create" and event.detail["user"] == "caseworker"
    assert clear not in str(event.detail)


def test_create_refuses_an_unknown_or_inactive_user(caseworker):
    caseworker.is_active = False
    caseworker.save()
    for username in ("nobody", "caseworker"):
        with pytest.raises(CommandError):
            run("create", username, "--name", "x")
    assert not ApiToken.objects.exists()


def test_list_shows_prefixes_and_names_but_never_tokens(caseworker):
    clear = run("create", "caseworker", "--name", "nightly sync").strip()
    listing = run("list", "caseworker")
    assert ApiToken.objects.get().prefix in listing and "nightly sync" in listing and "active" in listing
    assert clear not in listing


def test_revoke_stops_the_token(caseworker):
    clear = run("create", "caseworker", "--name", "x").strip()
    output = run("revoke", clear[:8])
    assert "Revoked" in output
    assert ApiToken.objects.authenticate(clear) is None
    assert Client(headers={"authorization": f"Bearer {clear}"}).get("/api/v1/cases").status_code == 401
    assert "revoked" in run("list", "caseworker")
    assert AuditEvent.objects.filter(action="token", detail__operation="revoke").exists()


def test_revoke_refuses_an_unknown_prefix(caseworker):
    run("create", "caseworker", "--name", "x")
    with pytest.raises(CommandError):
        run("revoke", "sht_none")
    assert ApiToken.objects.get().revoked_at is None


def test_revoke_refuses_an_ambiguous_prefix_unless_the_user_is_named(caseworker, other_caseworker):
    mine, _ = ApiToken.objects.issue(caseworker, "a")
    theirs, _ = ApiToken.objects.issue(other_caseworker, "b")
    ApiToken.objects.filter(pk=theirs.pk).update(prefix=mine.prefix)
    with pytest.raises(CommandError):
        run("revoke", mine.prefix)
    run("revoke", mine.prefix, "--user", "outsider")
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is not None
    assert ApiToken.objects.get(pk=mine.pk).revoked_at is None


def test_create_takes_a_validity_of_at_most_a_year(caseworker):
    run("create", "caseworker", "--name", "x", "--days", "7")
    token = ApiToken.objects.get()
    assert (token.expires_at - token.created_at).days == 7
    assert "expires" in run("list", "caseworker")
    with pytest.raises(CommandError, match="between 1 and 365 days"):
        run("create", "caseworker", "--name", "y", "--days", "400")
    assert ApiToken.objects.count() == 1


def test_create_makes_a_token_valid_for_90_days_by_default(caseworker):
    run("create", "caseworker", "--name", "x")
    token = ApiToken.objects.get()
    assert (token.expires_at - token.created_at).days == 90
