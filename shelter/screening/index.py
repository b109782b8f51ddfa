"""Blocking keys as the database stores them: HMAC digests under the blind-index key, one row per
(name, digest). Screening looks candidates up by digest; no plaintext key ever reaches the database.
"""

from shelter.matching import keys
from shelter.matching.person import InvalidPerson, Person, prepare_name
from shelter.records import sealing

from .models import BlockingKey

# Its own domain: a blocking-key digest never equals a search-token digest (NameToken) of the same text.
BLOCKING_DOMAIN = "person-name-blocking-key"


def key_digest(key: str) -> str:
    return sealing.blind(key, BLOCKING_DOMAIN)


def name_digests(value: str) -> set[str]:
    """The digests of one recorded name. A name the matcher refuses (a single letter, mixed scripts)
    has none: it can never be a screening candidate, as it could never be scored."""
    try:
        name = prepare_name(value)
    except InvalidPerson:
        return set()
    return {key_digest(key) for key in keys.blocking_keys(name)}


def query_digests(query: Person) -> set[str]:
    return {key_digest(key) for key in keys.person_keys(query)}


def index_name(name) -> None:
    """Replace the blocking keys of one saved PersonName."""
    BlockingKey.objects.filter(name=name).delete()
    BlockingKey.objects.bulk_create(
        BlockingKey(name=name, person_id=name.person_id, case_id=name.case_id, digest=digest)
        for digest in name_digests(name.value)
    )
