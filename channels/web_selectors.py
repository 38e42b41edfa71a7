"""Listing items by the coordinator's CSS selectors (`channel.options` from sources.yaml).

For sites the heuristics miss: `item` selects each news block; `title`, `link`, `date`,
`text` select inside it (each optional). Uses BeautifulSoup's CSS engine (soupsieve).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from bs4 import BeautifulSoup, Tag
from soupsieve import SelectorSyntaxError

from channels.web_dates import parse_date_ru
from channels.web_html import clean_text
from channels.web_urls import onclick_url, resolve

if TYPE_CHECKING:
    from channels.web_listing import ListingItem

HEADING_SELECTOR = "h1, h2, h3, h4, h5, h6"
DATE_ATTRS = ("datetime", "content", "title")


def select_items(html: str, base: str, tz: tzinfo, now: datetime, options: Mapping[str, Any],
                 notes: list[str]) -> list[ListingItem]:
    """Items picked by `options["item"]` and its sub-selectors; a bad selector is noted."""
    from channels.web_listing import ListingItem, one_line

    soup = BeautifulSoup(html, "lxml")
    try:
        blocks = soup.select(str(options["item"]))
    except SelectorSyntaxError as exc:
        notes.append(f"Неверный CSS-селектор item в настройках сайта: {options['item']!r} ({exc})")
        return []
    items = []
    for block in blocks:
        try:
            link = _pick(block, options.get("link")) or block.select_one("a[href]")
            title_node = _pick(block, options.get("title")) or block.select_one(HEADING_SELECTOR) or link
            date_node = _pick(block, options.get("date"))
            text_node = _pick(block, options.get("text"))
        except SelectorSyntaxError as exc:
            notes.append(f"Неверный CSS-селектор в настройках сайта ({exc})")
            return []
        href = None
        if link is not None:
            href = link.get("href") or onclick_url(str(link.get("onclick") or ""))
        url = resolve(str(href) if href else None, base)
        if url is None:
            notes.append("Блок новости по селектору item без ссылки пропущен: "
                         f"«{one_line(block.get_text(' '))[:80]}»")
            continue
        date = _date(date_node, tz, now) if date_node is not None else parse_date_ru(block.get_text("\n"), tz, now)
        title = one_line(title_node.get_text(" ")) if title_node is not None else ""
        announce = clean_text(text_node.get_text("\n")) if text_node is not None else ""
        items.append(ListingItem(url=url, title=title, published_at=date, announce=announce,
                                 found_by="override"))
    return items


def _pick(block: Tag, selector: object) -> Tag | None:
    return block.select_one(str(selector)) if selector else None


def _date(node: Tag, tz: tzinfo, now: datetime) -> datetime | None:
    for attr in DATE_ATTRS:
        value = node.get(attr)
        if value:
            found = parse_date_ru(str(value), tz, now)
            if found:
                return found
    return parse_date_ru(re.sub(r"\s+", " ", node.get_text(" ")), tz, now)
