"""Finding persons by any recorded spelling of their name, through the blind index only."""

from shelter.matching.normalize import search_keys, tokens

from . import sealing
from .models import NAME_DOMAIN, NameToken


def find_persons(persons, query: str):
    """Persons from ``persons`` (an already access-filtered queryset) whose recorded names contain
    every token of ``query``, in any script or common romanisation."""
    words = tokens(query)
    if not words:
        return persons.none()
    for word in words:
        digests = {sealing.blind(key, NAME_DOMAIN) for key in search_keys(word)}
        matching = NameToken.objects.filter(digest__in=digests).values("person_id")
        persons = persons.filter(pk__in=matching)
    return persons
