"""Traits that link the work of one attacker when nothing is shared exactly: a file rebuilt with small
changes (ssdeep's piecewise hash) and a lure reworded or addressed to another person (its wording).

Each trait is a small, consistent sample of hashed pieces — the sixteen smallest hashes of the pieces
(a bottom-k sketch) — so that two similar files or texts share many of them and unrelated ones almost
none. Pieces are hashed here and keyed again before they are stored, so a stored trait neither shows
the words of a message nor can be compared outside the instance."""

import hashlib
import re

import ssdeep

SAMPLE = 16
GRAM = 7  # ssdeep scores two signatures only when they share a run of seven characters
MIN_FILE_BYTES = 4096  # below this, ssdeep's signature is too short to mean anything
SHINGLE_WORDS = 5
MIN_WORDS = 12
LINKING_SHARE = 5  # of SAMPLE: about a third of the pieces in common

URL_OR_ADDRESS = re.compile(r"\S+@\S+|\b(?:https?|hxxps?)://\S+|www\.\S+", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]{2,}")


def _hash(piece: str) -> str:
    return hashlib.blake2b(piece.encode(), digest_size=8).hexdigest()


def _sample(pieces) -> list[str]:
    return sorted({_hash(p) for p in pieces})[:SAMPLE]


def file_trait(data: bytes) -> list[str]:
    """A sample of the seven-character runs of the file's ssdeep signature, each tagged with its block
    size (a signature at one block size is comparable with one at double it, as ssdeep compares)."""
    if len(data) < MIN_FILE_BYTES:
        return []
    block, first, second = ssdeep.hash(data).split(":", 2)
    pieces = [f"{block}:{first[i:i + GRAM]}" for i in range(len(first) - GRAM + 1)]
    pieces += [f"{int(block) * 2}:{second[i:i + GRAM]}" for i in range(len(second) - GRAM + 1)]
    return _sample(pieces)


def lure_trait(text: str) -> list[str]:
    """A sample of the text's runs of five words, lower-cased, without links, addresses and numbers —
    the wording of a lure stays when the target, the link or the date changes."""
    words = WORD.findall(URL_OR_ADDRESS.sub(" ", text).lower())
    if len(words) < MIN_WORDS:
        return []
    return _sample(" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1))
