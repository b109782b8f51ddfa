"""Name search: the persons of an access-filtered queryset, found from any spelling of a name, through
the blind indexes of ``records.name_index`` only (never a plaintext column).

Two ways in, both with the matcher's keys:

- each typed part is looked up under the matcher's forms of it (loose phonetic key, surname stem,
  given-name group, readings in other orthographies; an initial under its initial): a person is found
  when every typed part meets a part of one of their names, so one surname finds everyone with a
  name part sounding the same (Tashmatov: Toshmatov, Ташматов);
- a query of two parts or more is also screened (``registry.screen_among``), so that search finds
  every person the screening page would match for that name — whatever the typing slips, variants
  and de-russified surnames the screening forgives.

Best match first: the screening's matches by score, then the others by how many forms of the query
their names share, then the oldest record first.

It lives in screening, not records, because it builds on the screening registry; records never
imports screening.
"""

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from shelter.matching import tag, tokenize
from shelter.matching import person as matching
from shelter.records import name_index
from shelter.records.models import Case, NameToken

from . import registry

# Each distinct part nests one more subquery: a flood of words (an attack, not a name) would make
# the database refuse the query, so only the first few distinct ones count.
MAX_QUERY_TOKENS = 12
# Persons met by every part that are listed by id (a full name: at a million persons, a few hundred to
# a few thousand); beyond, the page's query finds them itself.
MAX_LISTED = 5_000


def find_persons(persons, query: str, cases=None):
    """Persons from ``persons`` (an already access-filtered queryset) found by ``query``, best first.
    ``cases``: the cases those persons may come from, for the screening of a full name (by default
    the cases of ``persons``; at a million persons, pass the user's ``registry.screenable_cases``)."""
    words = list(dict.fromkeys(tokenize.tokens(query)))[:MAX_QUERY_TOKENS]
    parts = [(part, name_index.query_part_digests(part)) for part in tag.parts(" ".join(words))]
    parts = [(part, digests) for part, digests in parts if digests]
    if not parts:
        return persons.none()
    screened = screened_ids(persons, [part.text for part, _ in parts], cases)
    met = meeting_every_part([digests for _, digests in parts]) if len(parts) > 1 else None
    if met is not None:
        found = persons.filter(pk__in=[*screened, *met])
    else:  # one part, or common parts: too many to list, the database joins the tokens itself
        every_part = Q()
        for _, digests in parts:
            every_part &= Q(pk__in=NameToken.objects.filter(digest__in=digests).values("person_id"))
        found = persons.filter(every_part | Q(pk__in=screened))
    every_digest = set().union(*(digests for _, digests in parts))
    return found.annotate(
        screening_rank=models.Case(
            *(When(pk=pk, then=Value(rank)) for rank, pk in enumerate(screened)),
            default=Value(len(screened)),
            output_field=models.IntegerField(),
        ),
        shared_forms=Coalesce(Subquery(shared_forms(every_digest)), 0),
    ).order_by("screening_rank", "-shared_forms", "created_at")


def meeting_every_part(part_digests: list[set]) -> list | None:
    """Ids of the persons (of any case: the caller's queryset keeps to the user's) with a name part
    under some form of each of two typed parts or more, or None when more than MAX_LISTED have.
    Listed apart because, asked inside the page's query, the intersection is misjudged by
    PostgreSQL's planner (it expected 19,000 persons of 1,549 at a million persons, and sorted the
    whole table: 0.6 s a search, 0.2 s listed)."""
    first, *others = (NameToken.objects.filter(digest__in=d).values_list("person_id", flat=True) for d in part_digests)
    ids = list(first.intersection(*others).order_by()[: MAX_LISTED + 1])
    return ids if len(ids) <= MAX_LISTED else None


def screened_ids(persons, texts: list[str], cases=None) -> list:
    """Ids of the persons among ``persons`` that the screening matches with the typed name, best
    first; none for a single part (a part alone never reaches the threshold against a full name) or
    a name the matcher refuses."""
    if len(texts) < 2:
        return []
    try:
        query = matching.make(" ".join(texts))
    except matching.InvalidPerson:
        return []
    if cases is None:
        cases = Case.objects.filter(pk__in=persons.values("case_id"))
    # Only the persons of ``persons`` are found (the caller's query keeps to them), of cases the user sees.
    return [alert.person.pk for alert in registry.screen_among(cases.exclude(wrapped_key=None), query)]


def shared_forms(digests: set[str]):
    """How many of the query's forms a person's names have (the person of the outer query)."""
    return (
        NameToken.objects.filter(person=OuterRef("pk"), digest__in=digests)
        .values("person")
        .annotate(count=Count("digest", distinct=True))
        .values("count")
    )
