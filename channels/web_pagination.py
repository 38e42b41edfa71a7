"""The next (older) page of a news listing: rel=next, «Следующая», «»», NetCat `?curPos=`, page numbers."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import lxml.html

from channels.web_urls import normalize_url, onclick_url, resolve

NEXT_TEXTS = frozenset({"следующая", "следующая страница", "следующая »", "далее", "далее »", "вперед",
                        "вперёд", "»", "›", "→", ">", "следующие", "следующие записи", "следующие новости",
                        "ещё новости", "еще новости", "след.", "след", "след. »", "more", "next", "next »", "older posts", "более старые",
                        "старые записи", "показать ещё", "показать еще", "загрузить ещё"})
NEXT_CLASS_RE = re.compile(r"(?:^|[\s_-])(?:next|pagination-next|page-next|swchitem-next)(?:$|[\s_-])", re.I)
PREV_CLASS_RE = re.compile(r"prev|previous|back", re.I)
PAGER_RE = re.compile(r"pag|pager|pages|nav|swch|page-numbers|pgn", re.I)
CURRENT_RE = re.compile(r"active|current|selected|swchitema|cur(?:$|[\s_-])", re.I)
OFFSET_KEYS = ("curpos", "start", "limitstart")


def find_next_page(root: lxml.html.HtmlElement, page_url: str) -> str | None:
    """Address of the listing's next page of older news, or None on the last page."""
    here = normalize_url(page_url)
    for finder in (_rel_next, _by_text_or_class, _by_offset, _by_number):
        url = finder(root, page_url)
        if url and normalize_url(url) != here:
            return url
    return None


def _links(root: lxml.html.HtmlElement, page_url: str) -> list[tuple[lxml.html.HtmlElement, str]]:
    result = []
    for node in root.iter("a", "link", "span", "li", "div", "button"):
        href = node.get("href") if node.tag in ("a", "link") else onclick_url(node.get("onclick"))
        url = resolve(href, page_url)
        if url:
            result.append((node, url))
    return result


def _rel_next(root: lxml.html.HtmlElement, page_url: str) -> str | None:
    for node, url in _links(root, page_url):
        if "next" in (node.get("rel") or "").lower().split():
            return url
    return None


def _by_text_or_class(root: lxml.html.HtmlElement, page_url: str) -> str | None:
    for node, url in _links(root, page_url):
        if node.tag == "link":
            continue
        text = " ".join(node.text_content().split()).lower()
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        parent = node.getparent()
        parent_marks = f"{parent.get('class') or ''}" if parent is not None else ""
        if text in NEXT_TEXTS or text.startswith("следующая"):
            return url
        if (NEXT_CLASS_RE.search(marks) or NEXT_CLASS_RE.search(parent_marks)) \
                and not PREV_CLASS_RE.search(marks):
            return url
    return None


def _offset(url: str) -> tuple[str, int] | None:
    for key, value in parse_qsl(urlsplit(url).query):
        if key.lower() in OFFSET_KEYS and value.isdigit():
            return key.lower(), int(value)
    return None


def _by_offset(root: lxml.html.HtmlElement, page_url: str) -> str | None:
    """NetCat (Gosweb) `?curPos=10`, Joomla `?start=10`: the smallest offset beyond this page's."""
    current = _offset(page_url)
    here_path = urlsplit(page_url).path
    best: tuple[int, str] | None = None
    for _node, url in _links(root, page_url):
        found = _offset(url)
        if found is None or urlsplit(url).path != here_path:
            continue
        if current is not None and found[0] != current[0]:
            continue
        if found[1] > (current[1] if current else 0) and (best is None or found[1] < best[0]):
            best = (found[1], url)
    return best[1] if best else None


def _by_number(root: lxml.html.HtmlElement, page_url: str) -> str | None:
    """A pager of page numbers: the link numbered one more than the current (unlinked) page."""
    for pager in root.iter():
        if not isinstance(pager.tag, str) or not PAGER_RE.search(f"{pager.get('class') or ''} {pager.get('id') or ''}"):
            continue
        numbered: dict[int, str] = {}
        current = None
        for node in pager.iter():
            text = (node.text or "").strip()
            if not isinstance(node.tag, str) or not text.isdigit() or len(node):
                continue
            link = node if node.tag == "a" else next(node.iterancestors("a"), None)
            url = resolve(link.get("href"), page_url) if link is not None else None
            if url is None or CURRENT_RE.search(f"{node.get('class') or ''} {link.get('class') or ''}"
                                                if link is not None else ""):
                current = int(text) if current is None else current
            else:
                numbered[int(text)] = url
        if current is not None and current + 1 in numbered:
            return numbered[current + 1]
    return None
