"""Cross-script name matching for Russian, Central Asian, Caucasian and Belarusian names.

A plain Python package (no Django). The pipeline, one small module per step:

- ``tokenize`` — Unicode NFKC, the five apostrophe forms; name parts.
- ``scripts`` — which scripts a name is written in; ``translit`` — readable romanisation by language and scheme.
- ``phonetic`` — one key for every spelling of a sound (Ҳошимов = Hoshimov = Khoshimov).
- ``tag`` — given name, surname, patronymic (-ovich, oʻgʻli, qizi), particle, initial; gender from endings.
- ``stems`` — gendered surname endings (-ov/-ova) and de-russified forms (Rakhmonov ~ Rahmon ~ Rahmonzoda).
- ``given_names`` — equivalence groups (Muhammad ~ Magomed ~ Mamed).
- ``person`` — validated input (``make``; ``from_json`` and ``from_fields`` for what ``shelter.exchange.person_lines``
  reads; ``InvalidPerson`` with a reason).
- ``compare`` — part similarity with a reason, and the alignment of two names.
- ``attributes`` — birth date (precision, day/month swaps), nationality (USSR ↔ successors), gender, documents.
- ``score`` — ``score(a, b) -> Result`` (``.score``, ``.match``, ``.explanation()``) and the one ``THRESHOLD``.
- ``keys`` / ``index`` — blocking keys and the in-memory screening index; ``batch`` — JSON Lines jobs.

Reference data (folding tables, name vocabularies, given-name groups) lives in ``data/*.json``, each
entry with its source.

The public API is what ``__all__`` names, importable from the package (``from shelter.matching import
make, score``), the way OpenSanctions' rigour exposes ``rigour.names``; the step modules stay
importable for the few callers that need one step (``tag`` and ``keys.part_forms`` for the name
index, ``translit`` for other spellings).
"""

from .index import MAX_CANDIDATES, Alert, Index
from .keys import blocking_keys, person_keys
from .person import (
    GENDERS, MAX_ALIASES, MAX_NAME_LENGTH, MAX_NAMES, MAX_PARTS, InvalidPerson, Name, Person, check_size, document_key,
    from_fields, from_json, make, prepare_name,
)
from .score import THRESHOLD, Result, score

__all__ = [
    # a person as the matcher sees it, validated
    "GENDERS", "InvalidPerson", "Name", "Person", "document_key", "from_fields", "from_json", "make", "prepare_name",
    # how big a person may be (the work of screening one grows with the square of it)
    "MAX_ALIASES", "MAX_NAME_LENGTH", "MAX_NAMES", "MAX_PARTS", "check_size",
    # scoring, with the one threshold
    "THRESHOLD", "Result", "score",
    # screening: blocking keys and the in-memory index
    "MAX_CANDIDATES", "Alert", "Index", "blocking_keys", "person_keys",
    "clear_caches",
]


def clear_caches() -> None:
    """Forget every name part, name and comparison remembered for speed (reference data stays loaded):
    for cold measurements, and for a process that should not keep names in memory after a job."""
    from . import compare, keys, person, phonetic, stems, tag

    for cached in (compare.similarity, keys._part_forms, person.prepare_name, phonetic.key, phonetic.loose,
                   phonetic.readings, stems.gendered, stems.russian_stem, stems.derussified_base, stems.base,
                   tag._tag):
        cached.cache_clear()
