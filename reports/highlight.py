"""Untrusted post text made safe for HTML: escaped piece by piece, evidence wrapped in <mark>.

HTML is never built from raw text: every slice of the post is escaped on its own and only
our own <mark> tags are added between escaped slices.
"""

from __future__ import annotations

from typing import Any, Iterable
from urllib.parse import urlsplit

from markupsafe import Markup, escape

SAFE_SCHEMES = ("http", "https")
MARK_OPEN = Markup('<mark class="ev">')
MARK_CLOSE = Markup("</mark>")


def spans_for(evidence: Iterable[Any], field: str, length: int) -> list[tuple[int, int]]:
    """Valid, merged (start, end) spans of the evidence that points into `field`."""
    spans = []
    for item in evidence:
        if not isinstance(item, dict) or item.get("field", "text") != field:
            continue
        start, end = item.get("start"), item.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
            spans.append((start, min(end, length)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[0] < length):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, spans: list[tuple[int, int]]) -> Markup:
    """Escape `text` and wrap each span in <mark>."""
    pieces: list[Markup] = []
    position = 0
    for start, end in spans:
        pieces.append(escape(text[position:start]))
        pieces.append(MARK_OPEN + escape(text[start:end]) + MARK_CLOSE)
        position = end
    pieces.append(escape(text[position:]))
    return Markup("").join(pieces)


def highlight_field(text: str, evidence: Iterable[Any], field: str) -> Markup:
    return highlight(text, spans_for(evidence, field, len(text)))


def safe_href(url: object) -> str | None:
    """The URL when it is an absolute http(s) link, else None (the page then shows it as text)."""
    if not isinstance(url, str):
        return None
    candidate = url.strip()
    if any(ch in candidate for ch in "\r\n\t\x00"):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    return candidate if parts.scheme.lower() in SAFE_SCHEMES and parts.netloc else None


def phrases(evidence: Iterable[Any]) -> list[str]:
    """The distinct phrases that triggered a match, in order."""
    seen: list[str] = []
    for item in evidence:
        phrase = str(item.get("phrase", "")).strip() if isinstance(item, dict) else ""
        if phrase and phrase not in seen:
            seen.append(phrase)
    return seen


__all__ = ["highlight", "highlight_field", "spans_for", "safe_href", "phrases"]
