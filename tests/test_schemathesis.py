"""Schemathesis against the API's own OpenAPI schema, in-process through the WSGI app: every
operation, with generated (and mostly hostile) parameters and bodies, as a caseworker with a real
token on a case full of data. No answer may be a server error, and the documented answers must
match their schemas. The number of cases run and of server errors found is written as JSON for
scripts/attack-report (to $SHELTER_SCHEMATHESIS_SUMMARY, else $SHELTER_HOME/schemathesis-summary.json)."""

import json
import os
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from django.core import signals
from django.db import close_old_connections

from shelter.accounts.models import ApiToken
from shelter.wsgi import application

pytestmark = pytest.mark.attack("schemathesis")

EXAMPLES_PER_OPERATION = int(os.environ.get("SHELTER_SCHEMATHESIS_EXAMPLES", "25"))
tally = {"operations": set(), "cases": 0, "server_errors": 0, "failures": []}


@pytest.fixture(autouse=True)
def requests_keep_the_test_database(db):
    """As Django's test client does: the WSGI app would otherwise close the test's database
    connection (and with it the test's transaction) at the end of every request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def load_schema():
    """The schema the API serves at /api/v1/openapi.json, built without a request (and so without
    a database) at collection time; the cases run against the WSGI app in-process."""
    import django

    django.setup()
    from shelter.api.api import api

    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"))))
    loaded.app = application
    loaded.location = "/api/v1/openapi.json"
    return loaded


@pytest.fixture
def bearer(records, caseworker):
    _, clear = ApiToken.objects.issue(caseworker, "schemathesis")
    return {"Authorization": f"Bearer {clear}"}


@pytest.fixture(scope="module", autouse=True)
def summary():
    yield
    path = os.environ.get("SHELTER_SCHEMATHESIS_SUMMARY") or Path(os.environ["SHELTER_HOME"]) / "schemathesis-summary.json"
    Path(path).write_text(json.dumps({
        "operations": len(tally["operations"]), "cases": tally["cases"], "server_errors": tally["server_errors"],
        "failures": tally["failures"][:20],
    }, indent=2))


schema = load_schema()


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_operation_answers_with_a_server_error(case, bearer):
    tally["operations"].add(case.operation.label)
    tally["cases"] += 1
    response = case.call(headers=bearer)
    if response.status_code >= 500:
        tally["server_errors"] += 1
        tally["failures"].append(f"{case.operation.label} → {response.status_code}")
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance], headers=bearer)


def test_the_schema_under_test_is_the_one_the_api_serves(caseworker):
    from tests.apiclient import api

    served = api(caseworker).get("/api/v1/openapi.json").json()
    assert served == schema.raw_schema
    assert len(list(schema.get_all_operations())) >= 20
