"""When two artefacts belong to one campaign, and campaigns found in one pass over many artefacts.

The rule: an artefact joins what it shares one exact value with (an address, a domain, a sending server,
a file's hash), or enough of one trait's sample (a reworded lure, a rebuilt file). It is compared with
each campaign as a whole — the values of all its artefacts, once each — and with the artefacts in no
campaign yet; joining several campaigns merges them into the oldest. The web app applies the rule one
artefact at a time against the database (shelter.artefacts.campaigns); `Linker` applies it in memory to
many at once, with the same outcome."""

from collections.abc import Hashable, Iterable

from . import similarity

TRAIT_TYPES = ("file", "lure")

Digest = tuple[str, str]  # (type, digest)


def shares_enough(matches: Iterable[Digest]) -> bool:
    matches = list(matches)
    if any(type_ not in TRAIT_TYPES for type_, _ in matches):
        return True
    return any(len({d for t, d in matches if t == trait}) >= similarity.LINKING_SHARE for trait in TRAIT_TYPES)


class Linker:
    """Campaigns numbered 0, 1, 2… in the order they were opened (the oldest keeps its number on a merge)."""

    def __init__(self):
        self._parent: list[int] = []  # campaign → the campaign it was merged into (itself if none)
        self._by_digest: dict[str, set[int]] = {}  # digest → campaigns whose artefacts carry it
        self._alone: dict[str, set[Hashable]] = {}  # digest → artefacts in no campaign that carry it
        self._digests: dict[Hashable, list[Digest]] = {}  # artefact in no campaign → its digests
        self.campaign_of: dict[Hashable, int] = {}

    def _root(self, campaign: int) -> int:
        while self._parent[campaign] != campaign:
            self._parent[campaign] = self._parent[self._parent[campaign]]
            campaign = self._parent[campaign]
        return campaign

    def add(self, artefact: Hashable, digests: list[Digest]) -> int | None:
        """The campaign ``artefact`` joins (None when it shares too little with anything)."""
        with_campaigns: dict[int, list[Digest]] = {}
        with_alone: dict[Hashable, list[Digest]] = {}
        for type_, digest in digests:
            for campaign in {self._root(c) for c in self._by_digest.get(digest, ())}:
                with_campaigns.setdefault(campaign, []).append((type_, digest))
            for other in self._alone.get(digest, ()):
                with_alone.setdefault(other, []).append((type_, digest))
        campaigns = sorted(c for c, found in with_campaigns.items() if shares_enough(found))
        alone = [a for a, found in with_alone.items() if shares_enough(found)]
        if not campaigns and not alone:
            self._digests[artefact] = digests
            for _, digest in digests:
                self._alone.setdefault(digest, set()).add(artefact)
            return None
        if campaigns:
            target = campaigns[0]
        else:
            target = len(self._parent)
            self._parent.append(target)
        for absorbed in campaigns[1:]:
            self._parent[absorbed] = target
        for other in alone:
            own = self._digests.pop(other)
            for _, digest in own:
                self._alone[digest].discard(other)
            self._index(other, target, own)
        self._index(artefact, target, digests)
        return target

    def _index(self, artefact: Hashable, campaign: int, digests: list[Digest]) -> None:
        self.campaign_of[artefact] = campaign
        for _, digest in digests:
            self._by_digest.setdefault(digest, set()).add(campaign)

    def campaigns(self) -> dict[int, list[Hashable]]:
        """Each campaign's artefacts, merged campaigns under the one they joined."""
        found: dict[int, list[Hashable]] = {}
        for artefact, campaign in self.campaign_of.items():
            found.setdefault(self._root(campaign), []).append(artefact)
        return found
