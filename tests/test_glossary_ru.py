"""The Russian catalogue follows docs/glossary-ru.md: one term per concept."""

import re
from pathlib import Path

import polib
import pytest

import shelter

CATALOGUE = Path(shelter.__file__).parent / "locale" / "ru" / "LC_MESSAGES" / "django.po"
# A variant to avoid, and the English words that mark the concept it would translate.
AVOIDED = [
    (r"\bличн\w* данн", r"identity data"),
    (r"\bидентифицирующ\w* данн", r"identity data"),
    (r"\b(человек|человека|человеку|человеком|люди|людей|людьми)\b", r"\b(registered )?persons?\b"),
    (r"\bкейс", r"\bcase"),
    (r"\bКККФ\b", r"\bCCF\b"),
    (r"\bскрининг", r"\bscreen"),
]


# «Человек» where it means people in general, as the glossary allows.
PEOPLE_IN_GENERAL = re.compile(r"прав\w* человека|двух человек")


def entries():
    for entry in polib.pofile(str(CATALOGUE)):
        if not entry.obsolete:
            yield entry, PEOPLE_IN_GENERAL.sub("", " ".join([entry.msgstr, *entry.msgstr_plural.values()]))


@pytest.mark.parametrize("avoided, english", AVOIDED)
def test_the_catalogue_uses_the_glossarys_term(avoided, english):
    wrong = [entry.msgid[:60] for entry, russian in entries()
             if re.search(english, entry.msgid, re.I) and re.search(avoided, russian, re.I)]
    assert not wrong, f"{avoided!r} where docs/glossary-ru.md has another term: {wrong}"
