"""Splitting hashtags into words: by case, digits, underscores, then by dictionary."""

from __future__ import annotations

import re
from functools import lru_cache

# Case runs of one script at a time, so "ITкуб" splits into "IT" + "куб".
_PIECE_RE = re.compile(
    r"[А-ЯЁ]+(?=[А-ЯЁ][а-яё])|[А-ЯЁ]?[а-яё]+|[А-ЯЁ]+"
    r"|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+"
    r"|\d+|[^\W\d_]+"
)
_MAX_DP_LENGTH = 60
_UNKNOWN_BASE_COST = 10


def split_hashtag(body: str, vocabulary: frozenset[str]) -> tuple[tuple[int, int], ...]:
    """Return (start, end) spans of the words inside a hashtag body (without '#').

    `#НацпроектМолодежьИДети` splits by case; `#нацпроектобразование` splits by the
    dictionary (`vocabulary` holds lower-case words with е for ё).
    """
    spans: list[tuple[int, int]] = []
    for m in _PIECE_RE.finditer(body):
        start, end = m.span()
        piece = body[start:end]
        if piece.isalpha() and piece.lower().replace("ё", "е") not in vocabulary:
            spans.extend((start + a, start + b) for a, b in _dictionary_split(piece.lower().replace("ё", "е"), vocabulary))
        else:
            spans.append((start, end))
    return tuple(spans)


def _dictionary_split(word: str, vocabulary: frozenset[str]) -> tuple[tuple[int, int], ...]:
    if len(word) > _MAX_DP_LENGTH or len(word) < 4:
        return ((0, len(word)),)
    return _dp_split(word, vocabulary)


@lru_cache(maxsize=65536)
def _dp_split(word: str, vocabulary: frozenset[str]) -> tuple[tuple[int, int], ...]:
    """Cheapest segmentation: a known word costs 1, an unknown chunk 10 + its length."""
    n = len(word)
    best: list[tuple[int, int]] = [(0, 0)] + [(1 << 30, 0)] * n  # (cost, previous cut)
    for i in range(1, n + 1):
        for j in range(i):
            base = best[j][0]
            if base >= 1 << 30:
                continue
            chunk = word[j:i]
            cost = base + (1 if chunk in vocabulary else _UNKNOWN_BASE_COST + len(chunk))
            if cost < best[i][0]:
                best[i] = (cost, j)
    cuts: list[tuple[int, int]] = []
    i = n
    while i > 0:
        j = best[i][1]
        cuts.append((j, i))
        i = j
    cuts.reverse()
    # Merge neighbouring unknown chunks back together.
    merged: list[tuple[int, int]] = []
    for a, b in cuts:
        if merged and word[merged[-1][0]:merged[-1][1]] not in vocabulary and word[a:b] not in vocabulary:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return tuple(merged)
