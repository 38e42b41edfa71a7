"""Tokens with lemmas, and lemma-level search for multi-word names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.morphology import lemmas
from matching.normalize import Normalized, fold

TOKEN_RE = re.compile(r"\w+")  # underscores of hashtags are already spaces
# Characters that may not stand between two words of one name.
_BLOCKING = frozenset(".,;:!?\n[]{}|/\\")


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    tag: int  # index of the hashtag holding the token, or -1

    @property
    def lemmas(self) -> frozenset[str]:
        return lemmas(self.text)  # cached


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


def tokenize(norm: Normalized) -> list[Token]:
    """Words of the normalised text with their lemma sets and hashtag membership."""
    tags = norm.hashtags
    if not tags:
        return [Token(m.start(), m.end(), m.group(), -1) for m in TOKEN_RE.finditer(norm.text)]
    out: list[Token] = []
    k = 0
    for m in TOKEN_RE.finditer(norm.text):
        s, e = m.span()
        while k < len(tags) and tags[k][1] <= s:
            k += 1
        tag = k if k < len(tags) and tags[k][0] <= s else -1
        out.append(Token(s, e, m.group(), tag))
    return out


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

    def find(self, text: str, tokens: list[Token]) -> list[Hit]:
        """All alias occurrences, dropping those inside a longer one."""
        hits: list[Hit] = []
        n = len(tokens)
        by_first = self._by_first
        gate = self._gate
        for i, tok in enumerate(tokens):
            if tok.text[:3] not in gate:
                continue
            seen: set[int] = set()
            for lemma in tok.lemmas:
                for alias in by_first.get(lemma, ()):
                    if id(alias) in seen:
                        continue
                    seen.add(id(alias))
                    size = len(alias.sets)
                    if i + size > n:
                        continue
                    if all(_joins(text, tokens[i + k - 1], tokens[i + k], alias.sets[k]) for k in range(1, size)):
                        hits.append(Hit(alias, i, i + size - 1))
        return _outermost(hits)


def _joins(text: str, prev: Token, tok: Token, accepted: frozenset[str]) -> bool:
    if prev.tag != tok.tag or not (tok.lemmas & accepted):
        return False
    gap = text[prev.end:tok.start]
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
