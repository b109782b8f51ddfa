"""Word lists compiled for lookup by phonetic key: the machinery that ``terms`` (organisation words),
``countries`` (country qualifiers) and ``legal`` (legal forms) share.

A word of a data file is written as documents write it, in any script; it is compiled to Shelter's
phonetic key (``shelter.matching.phonetic.key``), so that Служба, Sluzhba and SLUZHBA are one entry and a
romanised Russian name meets the Cyrillic word. Three kinds of word:

- ``word`` — that word only;
- ``stem~`` — a Russian stem with any ending of the declension table (безопасност~ = безопасность,
  безопасности, безопасностью);
- ``stem*`` — any word beginning with the stem: Turkic suffixes (xizmat* = xizmati, xizmatining) and
  derivations.

A phrase (``internal affairs``, ``внутренн~ дел~``) is several words that must follow one another.
``Lexicon.find`` walks a name's keys and returns the longest phrase starting at each position.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from shelter.matching.phonetic import key
from shelter.matching.tokenize import tokens as split_words

DATA = Path(__file__).parent / "data"
MIN_PREFIX = 3  # a prefix shorter than this would swallow unrelated words
MIN_NEAR = 6  # a typing slip is looked for only in words this long (keys): shorter ones are other words


@cache
def load(name: str) -> dict:
    return json.loads((DATA / name).read_text("utf-8"))


@cache
def russian_endings() -> tuple[str, ...]:
    return tuple(load("org_terms.json")["russian_endings"]["endings"])


@dataclass(frozen=True, slots=True)
class Word:
    """One compiled word: the keys it is written as (exact), or the key prefixes it begins with."""

    exact: frozenset[str]
    prefixes: frozenset[str]

    def matches(self, token_key: str) -> bool:
        if token_key in self.exact:
            return True
        return any(token_key.startswith(prefix) for prefix in self.prefixes)


@cache
def compile_word(spec: str) -> Word:
    if spec.endswith("*"):
        stem = key(spec[:-1])
        if len(stem) < MIN_PREFIX:
            raise ValueError(f"prefix {spec!r} is too short")
        return Word(frozenset(), frozenset({stem}))
    if spec.endswith("~"):
        stem = spec[:-1]
        return Word(frozenset(key(stem + ending) for ending in russian_endings()), frozenset())
    return Word(frozenset({key(spec)}), frozenset())


def phrase_words(spec: str) -> tuple[str, ...]:
    """The words of a phrase spec, the ~ and * marks kept on the word they follow."""
    words = []
    for part in spec.split():
        mark = part[-1] if part[-1] in "~*" else ""
        pieces = split_words(part[:-1] if mark else part)
        words.extend(pieces[:-1])
        if pieces:
            words.append(pieces[-1] + mark)
    return tuple(words)


@dataclass
class Lexicon:
    """Phrases → values. ``find`` returns (start, end, value, spec) for the longest phrase at each
    position, left to right, phrases not overlapping."""

    name: str
    _exact: dict[str, list] = field(default_factory=dict)
    _prefix: dict[str, list] = field(default_factory=dict)
    _cache: dict[str, tuple] = field(default_factory=dict)
    _near: dict[str, list] | None = None
    _near_cache: dict[str, tuple | None] = field(default_factory=dict)

    def add(self, spec: str, value) -> None:
        words = tuple(compile_word(w) for w in phrase_words(spec))
        if not words:
            return
        entry = (words, value, spec)
        first = words[0]
        for k in first.exact:
            self._exact.setdefault(k, []).append(entry)
        for p in first.prefixes:
            self._prefix.setdefault(p, []).append(entry)
        self._cache.clear()
        self._near = None
        self._near_cache.clear()

    def starting(self, token_key: str) -> tuple:
        """The phrases whose first word is this key, longest first."""
        found = self._cache.get(token_key)
        if found is None:
            entries = list(self._exact.get(token_key, ()))
            for length in range(len(token_key), MIN_PREFIX - 1, -1):
                entries.extend(self._prefix.get(token_key[:length], ()))
            # Longest phrase first; among phrases as long, an exact word before a prefix, then data order.
            found = tuple(sorted(entries, key=lambda e: -len(e[0])))
            self._cache[token_key] = found
        return found

    def find(self, keys: list[str]) -> list[tuple[int, int, object, str]]:
        found = []
        i = 0
        while i < len(keys):
            hit = None
            for words, value, spec in self.starting(keys[i]):
                end = i + len(words)
                if end <= len(keys) and all(w.matches(k) for w, k in zip(words[1:], keys[i + 1:end])):
                    hit = (i, end, value, spec)
                    break
            if hit:
                found.append(hit)
                i = hit[1]
            else:
                i += 1
        return found

    def __contains__(self, token_key: str) -> bool:
        return bool(self.starting(token_key))

    def near(self, token_key: str) -> tuple[object, str] | None:
        """The value of a one-word entry one typing slip away (a letter left out, added or changed),
        for keys of ``MIN_NEAR`` letters or more: Tchnical → technical, Blarus → Belarus. The entry's
        word as written is returned with it; None when there is none, or more than one value."""
        if len(token_key) < MIN_NEAR:
            return None
        if token_key in self._near_cache:
            return self._near_cache[token_key]
        neighbours = self._neighbours()
        found = {}
        for variant in (token_key, *_deletions(token_key)):
            for value, spec in neighbours.get(variant, ()):
                found.setdefault(value, spec)
        result = next(iter(found.items())) if len(found) == 1 else None
        self._near_cache[token_key] = result
        return result

    def _neighbours(self) -> dict[str, list]:
        if self._near is None:
            self._near = {}
            for entries in self._exact.values():
                for words, value, spec in entries:
                    if len(words) != 1:
                        continue
                    for exact in words[0].exact:
                        if len(exact) >= MIN_NEAR:
                            for variant in (exact, *_deletions(exact)):
                                bucket = self._near.setdefault(variant, [])
                                if (value, spec) not in bucket:
                                    bucket.append((value, spec))
        return self._near


def _deletions(text: str) -> set[str]:
    return {text[:i] + text[i + 1:] for i in range(len(text))}
