"""FollowTheMoney topics on imported organisations: which mean "on a sanctions or export-restriction
list", and their labels in the UI language.

``restricted`` is decided by FtM's own topic definitions (``followthemoney.types.topic``), which tag
what a list says of the entity itself apart from what an analyst derived from its links:

- ``sanction`` ("Sanctioned"), ``export.control`` ("Export controlled") and ``debarment`` ("Debarred")
  say the entity itself is on a sanctions, export-control or debarment list (the US Consolidated
  Screening List carries all three: OFAC's lists, the BIS Entity List, the State Department's
  AECA/ITAR debarred parties). These make an organisation **restricted**.
- ``sanction.linked`` ("Sanction-linked"), ``sanction.control`` ("Sanction ownership or control") and
  ``export.control.linked`` ("Export control-linked", for the BIS 50 % rule) say the entity is
  *linked to* a listed one — a subsidiary, an owner, an associate — without being listed itself. They
  are shown, and ``Organisation.restriction_linked`` flags them for a closer look, but they are not a
  listing: a screening that called them "listed" would be wrong about the law that applies.
- ``sanction.counter`` ("Counter-sanctioned") is a listing by the counter-sanctioning state, such as
  Russia's lists of Western NGOs and media: never a restriction on trade with them.
- ``export.risk``, ``invest.*``, ``role.*``, ``crime.*`` and the rest of FtM's ``RISKS`` are risk
  signals, not listings.
"""

from django.utils.translation import pgettext_lazy
from followthemoney.types import registry

RESTRICTING = frozenset({"sanction", "export.control", "debarment"})
LINKED = frozenset({"sanction.linked", "sanction.control", "export.control.linked"})

CONTEXT = "FollowTheMoney topic"

# Every topic of followthemoney 4.11 in Shelter's catalogue, its English exactly FtM's label
# (tests/test_front_organisations.py holds them to it). A topic a newer FtM adds shows FtM's English
# label until it is added here; an unknown code shows as it is.
LABELS = {
    "crime": pgettext_lazy(CONTEXT, "Crime"),
    "crime.fraud": pgettext_lazy(CONTEXT, "Fraud"),
    "crime.cyber": pgettext_lazy(CONTEXT, "Cybercrime"),
    "crime.fin": pgettext_lazy(CONTEXT, "Financial crime"),
    "crime.env": pgettext_lazy(CONTEXT, "Environmental violations"),
    "crime.theft": pgettext_lazy(CONTEXT, "Theft"),
    "crime.war": pgettext_lazy(CONTEXT, "War crimes"),
    "crime.boss": pgettext_lazy(CONTEXT, "Criminal leadership"),
    "crime.terror": pgettext_lazy(CONTEXT, "Terrorism"),
    "crime.traffick": pgettext_lazy(CONTEXT, "Trafficking"),
    "crime.traffick.drug": pgettext_lazy(CONTEXT, "Drug trafficking"),
    "crime.traffick.human": pgettext_lazy(CONTEXT, "Human trafficking"),
    "forced.labor": pgettext_lazy(CONTEXT, "Forced labor"),
    "asset.frozen": pgettext_lazy(CONTEXT, "Frozen asset"),
    "wanted": pgettext_lazy(CONTEXT, "Wanted"),
    "corp.offshore": pgettext_lazy(CONTEXT, "Offshore"),
    "corp.shell": pgettext_lazy(CONTEXT, "Shell company"),
    "corp.public": pgettext_lazy(CONTEXT, "Public listed company"),
    "corp.disqual": pgettext_lazy(CONTEXT, "Disqualified"),
    "corp.clone": pgettext_lazy(CONTEXT, "Clone of real entity"),
    "gov": pgettext_lazy(CONTEXT, "Government"),
    "gov.national": pgettext_lazy(CONTEXT, "National government"),
    "gov.state": pgettext_lazy(CONTEXT, "State government"),
    "gov.muni": pgettext_lazy(CONTEXT, "Municipal government"),
    "gov.soe": pgettext_lazy(CONTEXT, "State-owned enterprise"),
    "gov.igo": pgettext_lazy(CONTEXT, "Intergovernmental organization"),
    "gov.head": pgettext_lazy(CONTEXT, "Head of government or state"),
    "gov.admin": pgettext_lazy(CONTEXT, "Civil service"),
    "gov.executive": pgettext_lazy(CONTEXT, "Executive branch of government"),
    "gov.legislative": pgettext_lazy(CONTEXT, "Legislative branch of government"),
    "gov.judicial": pgettext_lazy(CONTEXT, "Judicial branch of government"),
    "gov.security": pgettext_lazy(CONTEXT, "Security services"),
    "gov.financial": pgettext_lazy(CONTEXT, "Central banking and financial integrity"),
    "gov.religion": pgettext_lazy(CONTEXT, "Religious leadership"),
    "fin": pgettext_lazy(CONTEXT, "Financial services"),
    "fin.bank": pgettext_lazy(CONTEXT, "Bank"),
    "fin.fund": pgettext_lazy(CONTEXT, "Fund"),
    "fin.adivsor": pgettext_lazy(CONTEXT, "Financial advisor"),
    "mare.detained": pgettext_lazy(CONTEXT, "Maritime detention"),
    "mare.shadow": pgettext_lazy(CONTEXT, "Shadow fleet"),
    "mare.sts": pgettext_lazy(CONTEXT, "Ship-to-ship transfer"),
    "reg.action": pgettext_lazy(CONTEXT, "Regulator action"),
    "reg.warn": pgettext_lazy(CONTEXT, "Regulator warning"),
    "role.pep": pgettext_lazy(CONTEXT, "PEP"),
    "role.pep.frmr": pgettext_lazy(CONTEXT, "Former PEP"),
    "role.pep.intl": pgettext_lazy(CONTEXT, "International PEP"),
    "role.pep.natl": pgettext_lazy(CONTEXT, "National PEP"),
    "role.pol": pgettext_lazy(CONTEXT, "Politician"),
    "role.rca": pgettext_lazy(CONTEXT, "Close Associate"),
    "role.judge": pgettext_lazy(CONTEXT, "Judge"),
    "role.civil": pgettext_lazy(CONTEXT, "Civil servant"),
    "role.diplo": pgettext_lazy(CONTEXT, "Diplomat"),
    "role.lawyer": pgettext_lazy(CONTEXT, "Lawyer"),
    "role.acct": pgettext_lazy(CONTEXT, "Accountant"),
    "role.spy": pgettext_lazy(CONTEXT, "Spy"),
    "role.oligarch": pgettext_lazy(CONTEXT, "Oligarch"),
    "role.journo": pgettext_lazy(CONTEXT, "Journalist"),
    "role.act": pgettext_lazy(CONTEXT, "Activist"),
    "role.lobby": pgettext_lazy(CONTEXT, "Lobbyist"),
    "pol.party": pgettext_lazy(CONTEXT, "Political party"),
    "pol.union": pgettext_lazy(CONTEXT, "Union"),
    "rel": pgettext_lazy(CONTEXT, "Religion"),
    "mil": pgettext_lazy(CONTEXT, "Military"),
    "sanction": pgettext_lazy(CONTEXT, "Sanctioned"),
    "sanction.linked": pgettext_lazy(CONTEXT, "Sanction-linked"),
    "sanction.control": pgettext_lazy(CONTEXT, "Sanction ownership or control"),
    "sanction.counter": pgettext_lazy(CONTEXT, "Counter-sanctioned"),
    "export.control": pgettext_lazy(CONTEXT, "Export controlled"),
    "export.control.linked": pgettext_lazy(CONTEXT, "Export control-linked"),
    "export.risk": pgettext_lazy(CONTEXT, "Trade risk"),
    "invest.risk": pgettext_lazy(CONTEXT, "Investment risk"),
    "invest.ban": pgettext_lazy(CONTEXT, "Investment ban"),
    "geo.risk": pgettext_lazy(CONTEXT, "High-risk area"),
    "debarment": pgettext_lazy(CONTEXT, "Debarred"),
    "poi": pgettext_lazy(CONTEXT, "Person of interest"),
}


def is_restricting(topics) -> bool:
    return not RESTRICTING.isdisjoint(topics or ())


def is_linked(topics) -> bool:
    return not LINKED.isdisjoint(topics or ())


def label(code: str) -> str:
    """The topic's label in the active language: Shelter's catalogue, else FtM's English label, else
    the code itself."""
    if code in LABELS:
        return str(LABELS[code])
    return registry.topic.names.get(code, code)


def ftm_labels() -> dict[str, str]:
    """FollowTheMoney's own English label of every topic it knows."""
    return dict(registry.topic.names)
