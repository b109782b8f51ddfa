"""Organisation-name matching for export screening: are the parties of an export (end user, consignee …)
organisations Shelter documents as perpetrators, or entries of a sanctions or export-restriction list?

A plain Python package (no Django), built on the person matcher's steps (``shelter.matching``:
tokenize, script detection, transliteration, phonetic keys) and on rigour's legal forms. One small module
per step:

- ``normalise`` — words and their comparable Latin form (NFKC, casefold, script → Latin, quotes gone).
- ``legal`` — legal forms (LLC, ООО, AO, JSC, GmbH, MChJ, ТОО …), from rigour plus data/legal_forms.json.
- ``countries`` — country qualifiers (Республики Узбекистан, Kyrgyz Republic, РФ) → ISO 3166-1 code.
- ``terms`` — organisation words across languages → one concept (data/org_terms.json).
- ``acronyms`` — initials in the name's script and in Latin (СНБ = SNB, Davlat xavfsizlik xizmati → DXX).
- ``name`` — ``make(name, country="") -> OrgName``; ``compare`` — ``compare(a, b) -> Result`` and the one
  ``THRESHOLD``; ``index`` — ``Index`` of organisations with aliases, ``screen`` → ``Match`` list.

Every data file entry carries its source.
"""

from .compare import THRESHOLD, Pair, Result, compare
from .index import MAX_CANDIDATES, Index, Match
from .name import OrgName, Word, make
from .normalise import normalise

__all__ = [
    # a name as the matcher reads it
    "OrgName", "Word", "make", "normalise",
    # comparing two names, with the one threshold
    "THRESHOLD", "Pair", "Result", "compare",
    # screening parties against organisations
    "MAX_CANDIDATES", "Index", "Match",
]
