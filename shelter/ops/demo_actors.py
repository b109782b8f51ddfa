"""The demo data's actors: the informants and officers its incidents name, as records with fictional
identifiers. A few of them belong to each origin state's network and turn up in several cases, their
phone or Telegram account written differently each time, so that the demo shows links between cases.
Numbers are made up (valid in form, chosen at random); accounts and plates are invented."""

import random
import re

from shelter.actors.models import Actor, Identifier
from shelter.identifiers.normalise import IdentifierError, normalise

from .demo_names import random_name

# Mobile prefixes by origin state, so that numbers have a valid form (their subscribers are invented).
MOBILE = {"UZ": ("998", ["90", "91", "93", "94", "97", "99"], 7), "TJ": ("992", ["90", "91", "92", "93"], 7),
          "RU": ("7", ["912", "916", "925", "903"], 7), "AZ": ("994", ["50", "51", "55", "70"], 7),
          "KZ": ("7", ["701", "705", "707", "747"], 7), "TM": ("993", ["61", "62", "63", "65"], 6),
          "BY": ("375", ["29", "33", "44"], 7), "KG": ("996", ["555", "700", "770"], 6)}
NETWORK_SIZE = 3  # members of each state's network who appear in several cases
FROM_NETWORK = 0.45  # how often an incident's informant or officer is one of them


class DemoActors:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)  # its own stream: the rest of the demo data stays as it was
        self.networks: dict[str, list[dict]] = {}
        self.in_case: dict[tuple, Actor] = {}
        self.count = 0

    def phone(self, country: str) -> str:
        code, prefixes, length = MOBILE.get(country, MOBILE["UZ"])
        while True:
            number = f"+{code}{self.rng.choice(prefixes)}{''.join(str(self.rng.randint(0, 9)) for _ in range(length))}"
            try:
                normalise("phone", number)
                return number
            except IdentifierError:
                continue

    def member(self, country: str, gender: str) -> dict:
        name = random_name(self.rng, country, gender)
        handle = re.sub(r"[^a-z0-9_]", "_", name.ascii_handle().lower())[:24].strip("_") or "user"
        handle = f"{handle}_{self.rng.randint(10, 99)}"  # as Telegram allows: letters, digits and underscores
        return {"name": name, "phone": self.phone(country), "telegram": handle, "country": country}

    def network(self, country: str) -> list[dict]:
        if country not in self.networks:
            self.networks[country] = [self.member(country, "male") for _ in range(NETWORK_SIZE)]
        return self.networks[country]

    def actor(self, case, country: str, kind: str, gender: str = "male", organisation=None) -> Actor:
        """An actor of ``case``: a member of the state's network (the same one again if the case has
        them already) or a newcomer with identifiers of their own."""
        from_network = self.rng.random() < FROM_NETWORK
        member = self.rng.choice(self.network(country)) if from_network else self.member(country, gender)
        key = (case.pk, member["phone"])
        if key in self.in_case:
            return self.in_case[key]
        actor = Actor.objects.create(case=case, kind=kind, organisation=organisation,
                                     confidence=self.rng.choice(("alleged", "alleged", "corroborated")))
        actor.set_names(member["name"].primary)
        Identifier.objects.create(actor=actor, kind="phone", value=self.written(member["phone"], country), country=country)
        if self.rng.random() < 0.6:
            handle = member["telegram"]
            Identifier.objects.create(actor=actor, kind="telegram",
                                      value=self.rng.choice((f"@{handle}", f"https://t.me/{handle.capitalize()}", handle)))
        self.in_case[key] = actor
        self.count += 1
        return actor

    def written(self, number: str, country: str) -> str:
        """The number as a caseworker might write it down: spaced, dashed, or without the plus."""
        code = MOBILE.get(country, MOBILE["UZ"])[0]
        rest = number[1 + len(code):]
        return self.rng.choice((number, number[1:], f"+{code} {rest[:2]} {rest[2:5]}-{rest[5:7]}-{rest[7:]}",
                                f"00{code} {rest}"))
