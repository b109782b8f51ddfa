"""Finding persons by any recorded spelling of their name, through the blind index only."""

from shelter.matching.normalize import search_keys, tokens

from . import sealing
from .models import NAME_DOMAIN, NameToken

MAX_QUERY_TOKENS = 12


def find_persons(persons, query: str):
    """Persons from ``persons`` (an already access-filtered queryset) whose recorded names contain
    every token of ``query``, in any script or common romanisation."""
    # Each distinct token nests one more subquery: a flood of words (an attack, not a name) would
    # make the database refuse the query, so only the first few distinct ones count.
    words = list(dict.fromkeys(tokens(query)))[:MAX_QUERY_TOKENS]
    if not words:
        return persons.none()
    for word in words:
        digests = {sealing.blind(key, NAME_DOMAIN) for key in search_keys(word)}
        matching = NameToken.objects.filter(digest__in=digests).values("person_id")
        persons = persons.filter(pk__in=matching)
    return persons
