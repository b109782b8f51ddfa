"""The load test's users (locust): log in through the login form, then read what caseworkers and
coordinators read all day — dashboard, lists with every filter, detail pages, name search, screening,
alert triage, the API's lists. Targets (ids of cases, persons, incidents, alerts) come from the file
benchmarks/load.py writes ($SHELTER_LOAD_TARGETS); nothing here writes to the instance but sessions
and audit entries."""

import itertools
import json
import os
import random

from locust import HttpUser, between, task

TARGETS = json.loads(open(os.environ["SHELTER_LOAD_TARGETS"], encoding="utf-8").read())
ACCOUNTS = itertools.cycle(TARGETS["accounts"])


class Reader(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.account = next(ACCOUNTS)
        self.client.get("/login/", name="login form")
        self.client.post("/login/", {"username": self.account, "password": TARGETS["password"],
                                     "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
                         headers={"Referer": self.host + "/login/"}, name="login")
        self.ids = TARGETS["ids"][self.account]
        self.api = {"Authorization": f"Bearer {TARGETS['tokens'][self.account]}"}

    def pick(self, kind):
        return random.choice(self.ids[kind])

    def post(self, url, data, name):
        self.client.post(url, {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
                         headers={"Referer": self.host + url}, name=name)

    @task(3)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    @task(2)
    def case(self):
        self.client.get(f"/cases/{self.pick('cases')}/", name="case")

    @task(2)
    def person(self):
        self.client.get(f"/persons/{self.pick('persons')}/", name="person")

    @task(2)
    def incident(self):
        self.client.get(f"/incidents/{self.pick('incidents')}/", name="incident")

    @task(3)
    def incident_list(self):
        filters = random.choice(TARGETS["filters"])
        self.client.get("/incidents/", params=filters, name="incident list " + ("+".join(filters) or "(no filter)"))

    @task(1)
    def incident_page(self):
        self.client.get("/incidents/", params={"page": random.randint(2, TARGETS["pages"])}, name="incident list, a later page")

    @task(1)
    def case_and_person_lists(self):
        self.client.get("/cases/", name="case list")
        self.client.get("/persons/", name="person list")

    @task(2)
    def search(self):
        self.post("/search/", {"q": random.choice(TARGETS["names"])}, name="name search")

    @task(1)
    def screen(self):
        self.post("/screen/", {"name": random.choice(TARGETS["names"])}, name="screening")

    @task(1)
    def alerts(self):
        self.client.get("/alerts/", name="alert list")
        if self.ids["alerts"]:
            self.client.get(f"/alerts/{self.pick('alerts')}/", name="alert")

    @task(2)
    def api_lists(self):
        for resource in ("cases", "persons", "incidents"):
            response = self.client.get(f"/api/v1/{resource}", headers=self.api, name=f"API {resource}")
            cursor = response.json().get("next") if response.ok and resource != "cases" else None
            if cursor:
                self.client.get(f"/api/v1/{resource}", params={"after": cursor}, headers=self.api,
                                name=f"API {resource}, next page")
