"""Is an actor of one case likely the same as an actor of another? Plain Python (no Django): given what
each case records of its actor — names in any script, organisations, the host countries and cities and
the dates of its incidents, when it was first and last seen — a score in 0..1 and its reasons.

The rule: a link needs **the name matcher's match** (``shelter.matching``: transliteration, name
variants, word order) **and at least one corroborating fact** — a shared organisation, a shared place
(the same city, or the same host country), overlapping periods of activity — **and a score of at least
``LINK_THRESHOLD``**. The name alone is never enough: "Rustam Karimov" is a common name, and a name is
what an informant changes first. The score adds the name's similarity, weighted by ``NAME_SHARE``, and
the weight of each fact, so that a strong fact (the same organisation) corroborates a matching name on
its own while weak ones (the same host country, the same year) count only together.

What each weight lets through, for a name the matcher finds identical (similarity 1):
  the same organisation → 0.9; the same city → 0.8; the same host country and period → 0.8;
  the same host country alone → 0.7 (no link); the same period alone → 0.7 (no link).
A name that matches less well (0.8) needs the organisation, or the city and the period.
A name of one part only ("Rustam"), which thousands share, counts half: it needs two strong facts.

The actor's kind is not scored: the same officer is recorded as "intelligence officer" in one case and
"consular official" in another (that is often the cover), so neither a shared nor a differing kind
says much.
"""

import datetime
from dataclasses import dataclass, field

from shelter import dates
from shelter.matching import person as matcher_person
from shelter.matching import phonetic
from shelter.matching import tokenize
from shelter.matching.score import THRESHOLD as NAME_MATCH, score as score_names

# The name's part of the score: below 1 so that a perfect name still needs a fact beside it.
NAME_SHARE = 0.6
# A one-part name (a first name, a nickname) is shared by thousands: it counts half.
ONE_PART_NAME_FACTOR = 0.5
# Facts, by how rarely two different people share them. An organisation is a few hundred officers
# at most, and both cases had to name it; a city is a large town's worth of people; a host country
# (Turkey, Russia) holds most of a diaspora; a period of activity is shared by every active officer.
ORGANISATION_WEIGHT = 0.3
CITY_WEIGHT = 0.2
COUNTRY_WEIGHT = 0.1
PERIOD_WEIGHT = 0.1
# Coordinators decide each link by hand: a threshold that lets through a matching name with the same
# organisation, or with the same city, but not with a host country or a year alone, keeps their list to
# pairs worth reading (see the table in the module's docstring).
LINK_THRESHOLD = 0.75
# Officers and informants are not seen every day: two sightings within half a year of each other are
# one stretch of activity (a year-only date already spans twelve months on its own).
PERIOD_MARGIN = datetime.timedelta(days=183)


@dataclass(frozen=True)
class ActorFacts:
    """One actor as one case records it. Organisations are ids (established or claimed, both count:
    the organisation an officer claims in one case is the one another case established); cities are
    (host country, city as written); dates are partial ISO dates (YYYY, YYYY-MM, YYYY-MM-DD)."""

    names: tuple[str, ...]
    organisations: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    cities: frozenset[tuple[str, str]] = frozenset()
    dates: tuple[str, ...] = ()
    kind: str = ""


@dataclass(frozen=True)
class Reason:
    code: str  # name, one_part_name, organisation, city, country, period
    contribution: float
    similarity: float | None = None  # the name matcher's score, for the name

    def as_dict(self) -> dict:
        found = {"code": self.code, "contribution": round(self.contribution, 4)}
        if self.similarity is not None:
            found["similarity"] = round(self.similarity, 4)
        return found


@dataclass(frozen=True)
class Likeness:
    score: float
    name_match: bool
    reasons: tuple[Reason, ...] = field(default=())

    @property
    def corroborated(self) -> bool:
        return any(r.code in CORROBORATING for r in self.reasons)

    @property
    def linked(self) -> bool:
        """The rule: the names match, a fact corroborates them, and the score reaches the threshold."""
        return self.name_match and self.corroborated and self.score >= LINK_THRESHOLD


CORROBORATING = ("organisation", "city", "country", "period")
NO_LIKENESS = Likeness(0.0, False)


def likeness(a: ActorFacts, b: ActorFacts) -> Likeness:
    names = _names(a, b)
    if names is None:
        return NO_LIKENESS
    reasons = [names, *shared_facts(a, b)]
    total = min(1.0, sum(r.contribution for r in reasons))
    return Likeness(round(total, 4), names.similarity >= NAME_MATCH, tuple(reasons))


def _names(a: ActorFacts, b: ActorFacts) -> Reason | None:
    """The best alignment of any name of one with any name of the other, as the matcher scores
    persons (with nothing but names: no birth date or document is recorded of an actor)."""
    first, second = _as_person(a.names), _as_person(b.names)
    if first is None or second is None:
        return None
    result = score_names(first, second)
    one_part = min(result.names.a.size, result.names.b.size) <= 1
    factor = ONE_PART_NAME_FACTOR if one_part else 1.0
    return Reason("one_part_name" if one_part else "name", NAME_SHARE * result.score * factor, result.score)


def _as_person(names) -> matcher_person.Person | None:
    """The names the matcher can score (not a single letter, not mixed scripts), the first
    ``MAX_NAMES`` of them: comparing grows with names × names."""
    prepared = []
    for text in names:
        try:
            prepared.append(matcher_person.prepare_name(text))
        except matcher_person.InvalidPerson:
            continue
    return matcher_person.Person(names=tuple(prepared[: matcher_person.MAX_NAMES])) if prepared else None


def shared_facts(a: ActorFacts, b: ActorFacts) -> list[Reason]:
    """The corroborating facts alone: cheap set and date comparisons, so that a caller with many
    pairs can leave out those that share none (they can never link) before names are compared."""
    found = []
    if a.organisations & b.organisations:
        found.append(Reason("organisation", ORGANISATION_WEIGHT))
    if _shared_city(a.cities, b.cities):
        found.append(Reason("city", CITY_WEIGHT))
    elif a.countries & b.countries:
        found.append(Reason("country", COUNTRY_WEIGHT))
    if _periods_meet(_period(a.dates), _period(b.dates)):
        found.append(Reason("period", PERIOD_WEIGHT))
    return found


# --- places ---------------------------------------------------------------------------------------


def place_key(text: str) -> str:
    """A city as the matcher hears it, so that Алматы and Almaty, Ташкент and Tashkent are one
    (exonyms such as Moscow for Москва, or Стамбул for İstanbul, are not: they are other words)."""
    return " ".join(phonetic.key(token.lower()) for token in tokenize.tokens(text or ""))


def _shared_city(a: frozenset, b: frozenset) -> bool:
    """A city of the same name is the same city when both are in the same country, or when one
    record does not say which country."""
    keyed_b = [(country, place_key(city)) for country, city in b]
    for country, city in a:
        key = place_key(city)
        if key and any(key == other and (not country or not other_country or country == other_country)
                       for other_country, other in keyed_b):
            return True
    return False


# --- periods --------------------------------------------------------------------------------------


def _period(texts) -> tuple[datetime.date, datetime.date] | None:
    """From the first day of the earliest date to the last day of the latest; None without dates
    (unreadable ones are skipped: they were validated when recorded)."""
    spans = [span for span in map(_span, texts) if span]
    if not spans:
        return None
    return min(s for s, _ in spans), max(e for _, e in spans)


def _span(text: str) -> tuple[datetime.date, datetime.date] | None:
    try:
        date = dates.parse(text)
    except dates.PartialDateError:
        return None
    start = date.first_day()
    if date.day:
        return start, start
    if date.month:
        following = datetime.date(date.year + (date.month == 12), date.month % 12 + 1, 1)
        return start, following - datetime.timedelta(days=1)
    return start, datetime.date(date.year, 12, 31)


def _periods_meet(a, b) -> bool:
    if a is None or b is None:
        return False
    return a[0] - PERIOD_MARGIN <= b[1] and b[0] - PERIOD_MARGIN <= a[1]

