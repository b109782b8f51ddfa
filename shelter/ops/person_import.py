"""Writing validated person lines (``shelter.exchange.person_lines``) into a case, in bulk.

New persons are bulk-created with their names, the names' index rows (``records.name_index``)
and profiles; persons whose ``external_id`` already exists in the case (found by its keyed digest,
as the reference is sealed) are updated in place, so
re-importing a file creates nothing new. On update, a field missing from the line is left as it is,
and names are only ever added (a replaced primary name is kept as an alias): an import never
destroys what caseworkers recorded.

Sealed fields are always written through ``Model.save()`` or ``bulk_create`` (both call the
field's ``pre_save``, which encrypts). Never ``bulk_update`` or ``QuerySet.update``: they would
store the plaintext.
"""

from dataclasses import dataclass
from typing import Callable, Iterable

from shelter.exchange.person_lines import PersonLine
from shelter.matching import scripts
from shelter.ops import bulk
from shelter.records import external_ids, name_index, sealing, tallies
from shelter.records.models import NameKind, Person, PersonName, Term, external_id_digest


BATCH = bulk.BATCH
ProfileLink = Person.profiles.through


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def import_persons(case, records: Iterable[PersonLine], progress: Callable[[int], object] = lambda n: None) -> ImportResult:
    """Create or update the persons of ``records`` in ``case``, BATCH at a time: ``records`` may be a
    stream of any length (a file read line by line), held in memory a batch at a time, whatever the
    size of the file or the case. Their references must be unique (``person_lines.read`` refuses a
    repeated one). Run it inside a transaction."""
    result = ImportResult()
    bulk.check_references_per_statement()
    external_ids.seal_legacy()  # persons are found again by the references' digests
    with sealing.scope(reveal=True):  # caches the case key and the index key for the whole import
        profile_ids = dict(Term.objects.filter(thesaurus="profiles").values_list("code", "pk"))
        for chunk in bulk.batches(records, BATCH):  # BATCH read here, so a test can make it small
            # Keyed by the reference as the file gives it: the rest of the batch looks persons up by it.
            digests = {r.external_id: external_id_digest(r.external_id) for r in chunk}
            by_digest = dict(Person.objects.filter(case=case, external_id_index__in=digests.values())
                             .values_list("external_id_index", "pk"))
            existing = {ref: by_digest[d] for ref, d in digests.items() if d in by_digest}
            new = [r for r in chunk if r.external_id not in existing]
            known = [r for r in chunk if r.external_id in existing]
            if new:
                create_persons(case, new, profile_ids)
                result.created += len(new)
            if known:
                changed = update_persons(case, known, existing, profile_ids)
                result.updated += changed
                result.unchanged += len(known) - changed
            progress(len(chunk))
    tallies.bump()  # profiles were written in bulk, around the signals
    return result


# --- new persons ---------------------------------------------------------------------------------


def create_persons(case, records: list[PersonLine], profile_ids: dict) -> None:
    persons, names, links = [], [], []
    for record in records:
        person = Person(
            case=case,
            external_id=record.external_id,
            birth_date=record.birth_date or "",
            nationalities=record.nationalities or [],
            gender=record.gender or "",
        )
        person.index_external_id()  # bulk_create skips save()
        persons.append(person)
        names.append(name_row(person, record.name, NameKind.PRIMARY))
        names.extend(name_row(person, alias, NameKind.ALIAS) for alias in record.aliases if alias != record.name)
        links.extend(ProfileLink(person_id=person.pk, term_id=profile_ids[code]) for code in record.profiles or [])
    Person.objects.bulk_create(persons)
    save_names(names)
    ProfileLink.objects.bulk_create(links)


def name_row(person, value: str, kind: str) -> PersonName:
    # What PersonName.save() would do, for bulk_create (which bypasses save()).
    return PersonName(person=person, case_id=person.case_id, value=value, kind=kind, script=scripts.iso_15924(value))


def save_names(names: list[PersonName]):
    """Bulk-create the names of new persons and their index rows (PersonName.save() would index one by one)."""
    PersonName.objects.bulk_create(names)
    name_index.index_names(names)


# --- persons already in the case -----------------------------------------------------------------


def update_persons(case, records: list[PersonLine], existing: dict, profile_ids: dict) -> int:
    """Bring known persons in line with their records; returns how many changed."""
    ids = [existing[r.external_id] for r in records]
    persons = Person.objects.in_bulk(ids)
    names_by_person = {}
    for name in PersonName.objects.filter(person_id__in=ids).order_by("created_at"):
        names_by_person.setdefault(name.person_id, []).append(name)
    profiles_by_person = {}
    for person_id, code in ProfileLink.objects.filter(person_id__in=ids).values_list("person_id", "term__code"):
        profiles_by_person.setdefault(person_id, set()).add(code)

    changed, new_names = set(), []
    for record in records:
        person = persons[existing[record.external_id]]
        if update_fields(person, record):
            changed.add(person.pk)
        names = names_by_person.get(person.pk, [])
        added, renamed = reconcile_names(person, names, record)
        new_names.extend(added)
        if added or renamed:
            changed.add(person.pk)
        if record.profiles is not None and set(record.profiles) != profiles_by_person.get(person.pk, set()):
            ProfileLink.objects.filter(person_id=person.pk).delete()
            ProfileLink.objects.bulk_create(
                ProfileLink(person_id=person.pk, term_id=profile_ids[code]) for code in record.profiles
            )
            changed.add(person.pk)
    PersonName.objects.bulk_create(new_names)
    name_index.index_persons(name.person_id for name in new_names)  # their other names' rows are there
    return len(changed)


def update_fields(person: Person, record: PersonLine) -> bool:
    """Save the person if a field given on the line differs from what is stored."""
    incoming = {
        "birth_date": record.birth_date,
        "nationalities": record.nationalities,
        "gender": record.gender,
    }
    changes = [f for f, value in incoming.items() if value is not None and getattr(person, f) != value]
    for f in changes:
        setattr(person, f, incoming[f])
    if changes:
        person.save(update_fields=[*changes, "updated_at"])
    return bool(changes)


def reconcile_names(person: Person, names: list[PersonName], record: PersonLine) -> tuple[list[PersonName], bool]:
    """The names of the record the person does not have yet (to be saved), and whether the primary
    name changed. The record's name becomes the primary name; a previous primary name stays, as an
    alias."""
    by_value = {n.value: n for n in names}
    added = []
    current = by_value.get(record.name)
    renamed = current is None or current.kind != NameKind.PRIMARY
    if renamed:
        demote = [n.pk for n in names if n.kind == NameKind.PRIMARY]
        PersonName.objects.filter(pk__in=demote).update(kind=NameKind.ALIAS)  # kind is not sealed
        if current is None:
            added.append(name_row(person, record.name, NameKind.PRIMARY))
        else:
            PersonName.objects.filter(pk=current.pk).update(kind=NameKind.PRIMARY)
    for alias in record.aliases:
        if alias not in by_value and alias != record.name:
            added.append(name_row(person, alias, NameKind.ALIAS))
    return added, renamed
