"""News listing pages: the items (link, title, date, announce) and the next page, from any CMS.

Three ways, tried in order: the coordinator's CSS selectors from sources.yaml, schema.org
microdata (Gosweb), and a generic reading that groups links to one article with the
nearest date around them (WordPress, Joomla, Bitrix, uCoz, hand-made sites).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

import lxml.html

from channels.web_dates import parse_date_ru
from channels.web_html import clean_text, in_page_chrome, parse_html, text_of
from channels.web_pagination import find_next_page
from channels.web_selectors import select_items
from channels.web_urls import (is_document, is_image, is_navigation, looks_like_article, normalize_url,
                               onclick_url, resolve, same_site)

MIN_TITLE_CHARS = 10
MAX_CLIMB = 8  # levels from a link up to its item block
MAX_ANNOUNCE_CHARS = 1000
DATE_LINE_MAX_CHARS = 48  # a line this short that holds a date is a date line, not text
ARTICLE_TYPES = ("NewsArticle", "Article", "BlogPosting", "Report", "Event")
ANNOUNCE_RE = re.compile(r"announce|anons|intro|preview|excerpt|summary|teaser|description|desc|lead|"
                         r"emessage|preview-text|news-text|entry-content|item-text", re.I)
DATE_CLASS_RE = re.compile(r"date|time|published|created|edetails|news-date", re.I)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(slots=True)
class ListingItem:
    """One news item as a listing (or feed, or sitemap) announces it."""

    url: str
    title: str
    published_at: datetime | None
    announce: str = ""
    found_by: str = "listing"

    def fingerprint(self) -> str:
        """Changes when the listing shows the item changed (title, date or announce)."""
        stamp = self.published_at.isoformat() if self.published_at else ""
        digest = hashlib.sha1(f"{self.title}\x00{stamp}\x00{self.announce}".encode("utf-8"))
        return digest.hexdigest()[:12]


@dataclass(slots=True)
class ListingPage:
    items: list[ListingItem]
    next_url: str | None
    notes: list[str] = field(default_factory=list)


def parse_listing(html: str, base_url: str, tz: tzinfo, now: datetime,
                  options: Mapping[str, Any] | None = None) -> ListingPage:
    """Items of a news listing page and the address of its next (older) page."""
    options = options or {}
    root = parse_html(html)
    base = _base_href(root, base_url)
    notes: list[str] = []
    if options.get("item"):
        items = select_items(html, base, tz, now, options, notes)
    else:
        items = _microdata_items(root, base, tz, now) or _generic_items(root, base, tz, now)
    return ListingPage(items=_dedupe(items), next_url=find_next_page(root, base_url), notes=notes)


def _base_href(root: lxml.html.HtmlElement, page_url: str) -> str:
    for node in root.iter("base"):
        href = resolve(node.get("href"), page_url)
        if href:
            return href
    return page_url


def _dedupe(items: list[ListingItem]) -> list[ListingItem]:
    seen: set[str] = set()
    result = []
    for item in items:
        key = normalize_url(item.url)
        if key not in seen:
            seen.add(key)
            result.append(item)
    return result


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- schema.org microdata (Gosweb / NetCat) ---------------------------------------------------------

def _microdata_items(root: lxml.html.HtmlElement, base: str, tz: tzinfo, now: datetime) -> list[ListingItem]:
    items = []
    for node in root.iter():
        itemtype = node.get("itemtype") or ""
        if node.get("itemscope") is None or not itemtype.endswith(ARTICLE_TYPES):
            continue
        url = None
        for prop in node.iterfind(".//*[@itemprop='url']"):
            url = resolve(prop.get("href") or prop.get("content"), base)
            if url:
                break
        url = url or _first_article_link(node, base)
        if url is None:
            continue
        title = _prop_text(node, "headline") or _prop_text(node, "name") or ""
        date = None
        for prop in node.iterfind(".//*[@itemprop='datePublished']"):
            date = parse_date_ru(prop.get("content") or prop.get("datetime") or text_of(prop), tz, now)
            if date:
                break
        date = date or _block_date(node, tz, now)
        announce = _prop_text(node, "description") or ""
        items.append(ListingItem(url=url, title=one_line(title), published_at=date,
                                 announce=announce[:MAX_ANNOUNCE_CHARS]))
    return items


def _prop_text(node: lxml.html.HtmlElement, name: str) -> str | None:
    for prop in node.iterfind(f".//*[@itemprop='{name}']"):
        value = prop.get("content") or text_of(prop)
        if value:
            return clean_text(value)
    return None


def _first_article_link(node: lxml.html.HtmlElement, base: str) -> str | None:
    for link in node.iter("a"):
        url = resolve(link.get("href"), base)
        if url and same_site(url, base) and not is_document(url):
            return url
    return None


# --- generic: links grouped with the nearest date ---------------------------------------------------

def _generic_items(root: lxml.html.HtmlElement, base: str, tz: tzinfo, now: datetime) -> list[ListingItem]:
    body = root.find("body")
    if body is None:
        return []
    page_key = normalize_url(base)
    links: dict[str, list[lxml.html.HtmlElement]] = {}
    for node in body.iter():
        if not isinstance(node.tag, str):
            continue
        href = node.get("href") if node.tag == "a" else onclick_url(node.get("onclick"))
        url = resolve(href, base)
        if url is None or not same_site(url, base) or is_document(url) or is_image(url) or is_navigation(url):
            continue
        key = normalize_url(url)
        if key == page_key or in_page_chrome(node):
            continue
        links.setdefault(url, []).append(node)
    strong = {url: nodes for url, nodes in links.items() if any(_title_like(node) for node in nodes)}
    blocks = _blocks(strong)
    # A link repeated across several items (a rubric, "all news") is not one news item: drop it, regroup.
    scattered = {url for url, block in blocks.items() if not all(_contains(block, n) for n in strong[url])}
    if scattered:
        strong = {url: nodes for url, nodes in strong.items() if url not in scattered}
        blocks = _blocks(strong)
    items = []
    for url, block in blocks.items():
        nodes = strong[url]
        if not all(_contains(block, node) for node in nodes):
            continue
        date = _block_date(block, tz, now)
        if date is None and not looks_like_article(url, base):
            continue
        title = _item_title(block, nodes)
        if not title:
            continue
        items.append(ListingItem(url=url, title=title, published_at=date,
                                 announce=_announce(block, title, tz, now)[:MAX_ANNOUNCE_CHARS]))
    return items


def _blocks(strong: dict[str, list[lxml.html.HtmlElement]]) -> dict[str, lxml.html.HtmlElement]:
    """For each article link, the largest ancestor that holds no other article link: its item block."""
    owners: dict[lxml.html.HtmlElement, set[str]] = {}
    for url, nodes in strong.items():
        for node in nodes:
            parent = node.getparent()
            for _ in range(MAX_CLIMB + 2):
                if parent is None:
                    break
                owners.setdefault(parent, set()).add(url)
                parent = parent.getparent()
    blocks = {}
    for url, nodes in strong.items():
        block = nodes[0]
        for _ in range(MAX_CLIMB):
            parent = block.getparent()
            if parent is None or parent.tag in ("body", "html") or len(owners.get(parent, ())) > 1:
                break
            block = parent
        blocks[url] = block
    return blocks


def _title_like(node: lxml.html.HtmlElement) -> bool:
    text = one_line(node.text_content()) or node.get("title") or ""
    if next((True for _ in node.iterancestors(*HEADINGS)), False) and text:
        return True
    return len(text) >= MIN_TITLE_CHARS and " " in text


def _contains(block: lxml.html.HtmlElement, node: lxml.html.HtmlElement) -> bool:
    return node is block or any(ancestor is block for ancestor in node.iterancestors())


def _block_date(block: lxml.html.HtmlElement, tz: tzinfo, now: datetime) -> datetime | None:
    for node in block.iter("time", "meta"):
        raw = (node.get("datetime") or node.get("content")) if node.tag == "time" or \
            node.get("itemprop") in ("datePublished", "dateCreated") else None
        date = parse_date_ru(raw, tz, now) if raw else None
        if date:
            return date
    for node in block.iter():
        if isinstance(node.tag, str) and DATE_CLASS_RE.search(node.get("class") or ""):
            date = parse_date_ru(node.get("title"), tz, now) or parse_date_ru(text_of(node), tz, now)
            if date:
                return date
    return parse_date_ru(text_of(block), tz, now)


def _item_title(block: lxml.html.HtmlElement, nodes: list[lxml.html.HtmlElement]) -> str:
    for heading in block.iter(*HEADINGS):
        text = one_line(heading.text_content())
        if text:
            return text
    texts = [one_line(node.text_content()) for node in nodes if node.tag == "a"]
    best = max(texts, key=len, default="")
    if len(best) >= MIN_TITLE_CHARS:
        return best
    for node in nodes:
        for candidate in [node.get("title")] + [img.get("alt") for img in node.iter("img")]:
            if candidate and len(one_line(candidate)) >= MIN_TITLE_CHARS:
                return one_line(candidate)
    lines = [line for line in text_of(block).split("\n") if len(line) >= MIN_TITLE_CHARS]
    return one_line(lines[0]) if lines else best


def _announce(block: lxml.html.HtmlElement, title: str, tz: tzinfo, now: datetime) -> str:
    for node in block.iter():
        if isinstance(node.tag, str) and ANNOUNCE_RE.search(node.get("class") or ""):
            text = strip_date_lines(text_of(node), tz, now)
            if text and one_line(text) != title:
                return text
    lines = []
    for line in text_of(block).split("\n"):
        line = one_line(line).replace(title, "", 1).strip()
        line = LEADING_DATE_RE.sub("", line).strip()
        if len(line) > 2:
            lines.append(line)
    return strip_date_lines("\n".join(lines), tz, now)


def strip_date_lines(text: str, tz: tzinfo, now: datetime) -> str:
    """Text without its short lines that only state a date ("Опубликовано: 5 марта 2025", "14.03.2025")."""
    kept = [line for line in text.split("\n")
            if not (len(line) <= DATE_LINE_MAX_CHARS and parse_date_ru(line, tz, now) is not None)]
    return clean_text("\n".join(kept))


LEADING_DATE_RE = re.compile(r"^\d{1,2}[./]\d{1,2}[./]\d{2,4}\.?(?:\s*\d{1,2}:\d{2})?")
