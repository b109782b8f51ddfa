"""K-of-N backup of the master key as word shares (SLIP-0039, through SatoshiLabs' ``shamir-mnemonic``).

Each share is a mnemonic of 33 words from a fixed list with a Reed-Solomon checksum, so a misread
word is detected rather than silently yielding a wrong key. Fewer than K shares reveal nothing
about the key. The arithmetic is the library's, not ours: this module only checks the inputs and
turns the library's errors into plain reasons. No Django here.
"""

from shamir_mnemonic import MnemonicError, Share, combine_mnemonics, generate_mnemonics

MIN_THRESHOLD = 2  # SLIP-0039 refuses 1-of-N; one share would simply be a copy of the key
MAX_SHARES = 16  # the most members one SLIP-0039 group can have


class SharingError(Exception):
    """Shares cannot be made or combined; the message says why (never a word of a share)."""


def split(secret: bytes, shares: int, threshold: int) -> list[str]:
    """Split ``secret`` into ``shares`` mnemonics, any ``threshold`` of which rebuild it."""
    if not MIN_THRESHOLD <= threshold <= shares:
        raise SharingError(f"the threshold must be at least {MIN_THRESHOLD} and at most the number of shares")
    if shares > MAX_SHARES:
        raise SharingError(f"at most {MAX_SHARES} shares can be made")
    # One group, K of its N members needed; no passphrase: the shares themselves are the secret.
    return generate_mnemonics(1, [(threshold, shares)], secret)[0]


def parse(mnemonic: str, where: str) -> Share:
    """One share, checked against the word list and its checksum."""
    try:
        return Share.from_mnemonic(" ".join(mnemonic.lower().split()))
    except MnemonicError as e:
        # The library's message may quote words of the share: never pass it on.
        raise SharingError(f"{where} is not a valid share: a word is misspelt, missing or out of place") from e


def recover(mnemonics: list[str]) -> bytes:
    """Rebuild the secret from at least its threshold of shares of one set."""
    shares = [parse(text, f"share {n}") for n, text in enumerate(mnemonics, start=1)]
    if not shares:
        raise SharingError("no share was given")
    _check_one_set(shares)
    distinct = _distinct(shares)
    threshold = shares[0].member_threshold
    if len(distinct) < threshold:
        raise SharingError(f"{len(distinct)} distinct share(s) given, but {threshold} are needed")
    try:
        # The library wants exactly the threshold, no more.
        return combine_mnemonics([share.mnemonic() for share in distinct[:threshold]])
    except MnemonicError as e:
        raise SharingError("the shares do not fit together: one of them was altered") from e


def threshold_of(mnemonic: str) -> int:
    """How many shares of this share's set are needed."""
    return parse(mnemonic, "the share").member_threshold


def _check_one_set(shares: list[Share]):
    if len({share.common_parameters() for share in shares}) != 1:
        raise SharingError("the shares come from different sets (different splits): use shares of one set only")
    if shares[0].group_count != 1:
        raise SharingError("these shares use SLIP-0039 groups, which Shelter does not make")


def _distinct(shares: list[Share]) -> list[Share]:
    """One share per member index; the same index with different words is a corrupted share."""
    by_index: dict[int, Share] = {}
    for share in shares:
        seen = by_index.setdefault(share.index, share)
        if seen != share:
            raise SharingError(f"two different shares claim to be member {share.index + 1}: one of them was altered")
    return list(by_index.values())
