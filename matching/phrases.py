"""Tokens with lemmas, and lemma-level search for multi-word names."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

from matching.morphology import lemmas
from matching.normalize import Normalized, fold

TOKEN_RE = re.compile(r"\w+")  # underscores of hashtags are already spaces
# Characters that may not stand between two words of one name.
_BLOCKING = frozenset(".,;:!?\n[]{}|/\\")
_STARTING_CACHE = 200_000  # words remembered with the aliases they may begin (about 30 MB at most)
_SPLIT_RE = re.compile(rf"({TOKEN_RE.pattern}+)")  # possessive (Python 3.11): the same words, no backtracking state


@dataclass(slots=True)
class Tokens:
    """The words of a normalised text as parallel lists (cheaper than one object per word)."""

    words: list[str]
    starts: list[int]
    ends: list[int]
    tags: list[int]  # index of the hashtag holding each word, or -1

    def __len__(self) -> int:
        return len(self.words)


@dataclass(slots=True, frozen=True)
class Alias:
    owner: str  # canonical name
    kind: str  # "project" | "programme"
    text: str
    sets: tuple[frozenset[str], ...]  # acceptable lemmas per word


@dataclass(slots=True, frozen=True)
class Hit:
    alias: Alias
    first: int  # token index
    last: int  # token index (inclusive)


def tokenize(norm: Normalized) -> Tokens:
    """Words of the normalised text with their spans and hashtag membership."""
    # split() alternates gaps and words in one pass; running sums of their lengths are the spans
    parts = _SPLIT_RE.split(norm.text)
    offsets = list(accumulate(map(len, parts), initial=0))
    words, starts, ends = parts[1::2], offsets[1:-1:2], offsets[2::2]
    tags = [-1] * len(words)
    k = 0
    for tag, (s, e, _) in enumerate(norm.hashtags):  # hashtags are few: mark their words
        k = bisect_left(starts, s, k)
        while k < len(starts) and starts[k] < e:
            tags[k] = tag
            k += 1
    return Tokens(words, starts, ends, tags)


def make_alias(owner: str, kind: str, text: str) -> Alias:
    words = TOKEN_RE.findall(fold(text))
    return Alias(owner, kind, text, tuple(lemmas(w) for w in words))


class PhraseIndex:
    """Aliases indexed by the lemmas of their first word."""

    def __init__(self, aliases: list[Alias]) -> None:
        self._by_first: dict[str, list[Alias]] = {}
        for alias in aliases:
            if not alias.sets:
                continue
            for lemma in alias.sets[0]:
                self._by_first.setdefault(lemma, []).append(alias)
        # Three-letter beginnings of every form of every first word: a cheap gate before
        # the lemma look-up (suppletive forms such as «нас» for «мы» come from the lexemes).
        self._gate = frozenset(lemma[:3] for lemma in self._by_first)
        self._gate |= frozenset(f[:3] for a in aliases if a.sets for f in _surface_forms(a.sets[0]))
        self._starting: dict[str, tuple[Alias, ...]] = {}  # every word met, with the aliases it may begin
        self._beginning: set[str] = set()  # the words of `_starting` that begin an alias

    def find(self, text: str, tokens: Tokens) -> list[Hit]:
        """All alias occurrences, dropping those inside a longer one."""
        words, tags = tokens.words, tokens.tags
        starting = self._starting
        # most posts hold a few words that may begin a name among dozens: set operations in C
        # pick them (words met for the first time are looked up once and remembered)
        distinct = set(words)
        unknown = distinct.difference(starting)
        if unknown:
            if len(starting) + len(unknown) > _STARTING_CACHE:  # a night's vocabulary is bounded, but stay safe
                starting.clear()
                self._beginning.clear()
                unknown = distinct
            for word in unknown:
                self._aliases_starting(word)
        first_words = self._beginning.intersection(distinct)
        if not first_words:
            return []
        hits: list[Hit] = []
        n = len(words)
        for i in [i for i, word in enumerate(words) if word in first_words]:
            for alias in starting[words[i]]:
                sets = alias.sets
                size = len(sets)
                if size > 1:
                    # most candidates fail at their second word: its lemma is tested before the full check
                    if i + size > n or tags[i] != tags[i + 1] or not (lemmas(words[i + 1]) & sets[1]):
                        continue
                    if not all(_joins(text, tokens, i + k, sets[k]) for k in range(1, size)):
                        continue
                hits.append(Hit(alias, i, i + size - 1))
        return _outermost(hits)

    def _aliases_starting(self, word: str) -> tuple[Alias, ...]:
        """Aliases whose first word can be this word, remembered per word (most words start none)."""
        found: tuple[Alias, ...] = ()
        if word[:3] in self._gate:
            found = tuple({id(a): a for lemma in lemmas(word) for a in self._by_first.get(lemma, ())}.values())
        self._starting[word] = found
        if found:
            self._beginning.add(word)
        return found


def _joins(text: str, tokens: Tokens, i: int, accepted: frozenset[str]) -> bool:
    """Word i continues the name begun before it: same hashtag, accepted lemma, a short clean gap."""
    if tokens.tags[i - 1] != tokens.tags[i] or not (lemmas(tokens.words[i]) & accepted):
        return False
    gap = text[tokens.ends[i - 1]:tokens.starts[i]]
    return len(gap) <= 4 and not any(c in _BLOCKING for c in gap)


def _outermost(hits: list[Hit]) -> list[Hit]:
    if len(hits) < 2:
        return hits
    keep: list[Hit] = []
    for h in hits:
        inside = any(
            o is not h and o.first <= h.first and h.last <= o.last and (o.last - o.first) > (h.last - h.first)
            for o in hits
        )
        if not inside:
            keep.append(h)
    return keep


def _surface_forms(accepted: frozenset[str]) -> set[str]:
    """All inflected forms of the given lemmas (for the two-letter gate)."""
    from matching.morphology import forms

    out: set[str] = set()
    for lemma in accepted:
        out |= forms(lemma)
    return out
