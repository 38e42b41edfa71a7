"""Bytes of a web page to text, for sites that declare their charset wrongly or not at all."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
HEADER_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)
XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']""", re.I)
SNIFF_BYTES = 4096  # a charset declaration lives in the first few kilobytes
DETECT_BYTES = 65536  # enough text for the detector; more only costs time
# Russian sites that say "cp1251" mean Windows-1251; "latin-1" on a Cyrillic page is a server default.
ALIASES = {"win-1251": "cp1251", "windows1251": "cp1251", "x-cp1251": "cp1251", "cp-1251": "cp1251"}
RUSSIAN_FALLBACKS = ("cp1251", "koi8-r")


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode a page: HTTP header, then BOM, meta or XML declaration, then detection.

    A declared charset is trusted only if the bytes decode with it; a page that claims
    latin-1 (a common server default) but reads as Cyrillic is detected instead. Bytes
    that are valid UTF-8 with non-ASCII text are UTF-8 whatever the header says: a
    windows-1251 text is practically never valid UTF-8, while sites that moved to UTF-8
    often keep the old header.
    """
    for bom, encoding in BOMS:
        if body.startswith(bom):
            text = _try(body, encoding)
            if text is not None:
                return text
    if _has_high_bytes(body):
        text = _try(body, "utf-8")
        if text is not None:
            return text
    for encoding in _declared(body, content_type):
        text = _try(body, encoding)
        if text is not None:
            return text
    return _detect(body)


def _declared(body: bytes, content_type: str | None) -> list[str]:
    found: list[str] = []
    if content_type:
        match = HEADER_CHARSET_RE.search(content_type)
        if match:
            found.append(match.group(1))
    head = body[:SNIFF_BYTES]
    for pattern in (XML_DECL_RE, META_CHARSET_RE):
        match = pattern.search(head)
        if match:
            found.append(match.group(1).decode("ascii", "replace"))
    result = []
    for name in found:
        name = ALIASES.get(name.lower(), name.lower())
        if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii") and _has_high_bytes(body):
            continue  # a server default, not a statement about the page
        result.append(name)
    return result


def _has_high_bytes(body: bytes) -> bool:
    return any(byte > 0x7F for byte in body[:DETECT_BYTES])


def _try(body: bytes, encoding: str) -> str | None:
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        return None
    try:
        text = body.decode(codec.name)
    except UnicodeDecodeError:
        return None
    return text[1:] if text.startswith("\ufeff") else text


def _detect(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(body[:DETECT_BYTES], cp_isolation=["utf_8", "cp1251", "koi8_r", "cp866", "iso8859_5"]).best()
    if best is not None:
        text = _try(body, best.encoding)
        if text is not None:
            return text
    return body.decode(RUSSIAN_FALLBACKS[0], errors="replace")
