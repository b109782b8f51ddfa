"""Cross-site request forgery: every route of the web UI refuses a POST that carries no CSRF token
(403) and stores nothing, even from a signed-in coordinator who may write everywhere."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, reverse

from shelter.accounts import urls as account_urls
from shelter.accounts.models import ApiToken
from shelter.front import urls as front_urls
from shelter.records.models import Organisation

pytestmark = pytest.mark.attack("csrf")

ROUTES = [p for p in account_urls.urlpatterns + front_urls.urlpatterns if isinstance(p, URLPattern)]

# A plausible form for the routes a forger would most like to hit; the others get these fields too.
FORGED = {
    "title": "Forged", "status": "closed", "opened_on": "2026-01-01", "name": "forged token", "user": "1",
    "username": "coordinator", "password": "x", "language": "ru", "kind": "ngo", "due_on": "2030-01-01",
}


def stored_rows():
    """Every row of every Shelter table, as stored (sealed values as ciphertext), except the audit log."""
    rows = {}
    for model in apps.get_models():
        if model.__module__.startswith("shelter.") and model._meta.app_label != "audit":
            rows[model._meta.label] = sorted(map(repr, model.objects.order_by().values_list()))
    return rows


@pytest.fixture
def targets(records, coordinator, researcher):
    """The URL arguments of every route: the ids of real records the coordinator may change."""
    token, _ = ApiToken.objects.issue(coordinator, "laptop")
    records["organisation"] = Organisation.objects.create(name="SNB", kind="security_service", country="UZ")
    return {
        "pk": None,  # depends on the route, below
        "case_pk": records["case"].pk,
        "deadline_pk": records["deadline"].pk,
        "user_pk": researcher.pk,
        "token_pk": token.pk,
    }


# The record a route's <pk> names, by the route's first path segment.
RECORD_OF_SEGMENT = {
    "cases": "case", "persons": "person", "incidents": "incident", "processes": "process", "sources": "source",
    "evidence": "evidence", "organisations": "organisation",
}


def url_of(route, records, targets):
    """The route with real ids filled in; any id does for the CSRF check (it runs before the view),
    real ones make sure a missing check would be caught changing real rows."""
    kwargs = {}
    for name, converter in route.pattern.converters.items():
        segment = str(route.pattern).split("/")[0]
        if name in targets and targets[name] is not None:
            kwargs[name] = targets[name]
        elif route.name.startswith("token-"):
            kwargs[name] = targets["token_pk"]
        elif name == "pk" and segment in RECORD_OF_SEGMENT and converter.regex.startswith("[0-9a-f]{8}"):
            kwargs[name] = records[RECORD_OF_SEGMENT[segment]].pk
        else:
            kwargs[name] = converter.to_url(converter.to_python(_example(converter)))
    return reverse(route.name, kwargs=kwargs)


def _example(converter):
    import uuid

    examples = {"IntConverter": "1", "UUIDConverter": str(uuid.uuid4())}
    return examples.get(type(converter).__name__, "x")


def test_every_ui_route_is_enumerated():
    names = {route.name for route in ROUTES}
    assert {"login", "logout", "case-edit", "access-grant", "token-create", "person-new", "evidence-new"} <= names
    assert len(ROUTES) >= 40


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_a_post_without_a_token_is_refused_and_stores_nothing(records, coordinator, targets, route):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    before = stored_rows()
    response = client.post(url_of(route, records, targets), FORGED)
    assert response.status_code == 403, (route.name, response.status_code)
    assert stored_rows() == before


@pytest.mark.parametrize("route", ["case-edit", "token-create", "logout"])
def test_a_post_with_a_token_from_another_session_is_refused(records, coordinator, targets, route):
    """A token stolen from the attacker's own session does not fit the victim's session."""
    attacker = Client(enforce_csrf_checks=True)
    attacker.get("/login/")
    stolen = attacker.cookies["csrftoken"].value
    victim = Client(enforce_csrf_checks=True)
    victim.force_login(coordinator)
    before = stored_rows()
    path = url_of(next(r for r in ROUTES if r.name == route), records, targets)
    response = victim.post(path, FORGED | {"csrfmiddlewaretoken": stolen})
    assert response.status_code == 403
    assert stored_rows() == before


def test_the_same_post_with_the_sessions_token_goes_through(records, coordinator, targets):
    """The control: the forged requests above fail for the missing token, not for their content."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    client.get(f"/cases/{records['case'].pk}/edit/")  # any page with a form sets the CSRF cookie
    response = client.post("/profile/tokens/", {"name": "real", "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code in (200, 302)
    assert ApiToken.objects.filter(name="real").exists()
