"""One news article page: title, publication date, main text, media kinds and canonical URL."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit
from datetime import datetime, tzinfo
from typing import Any

import lxml.html
import trafilatura
from trafilatura.settings import use_config

from channels.base import Post
from channels.web_dates import parse_date_ru
from channels.web_html import in_page_chrome, media_kinds, parse_html, prune_for_text, text_of
from channels.web_listing import DATE_CLASS_RE, DATE_LINE_MAX_CHARS, ListingItem, one_line, strip_date_lines
from channels.web_urls import normalize_url, resolve, same_site

# Short school news (two sentences under a photo) must survive trafilatura's size filters.
MIN_EXTRACTED_SIZE = 20
MIN_OUTPUT_SIZE = 10
TEXT_DATE_LINES = 5  # a date written as a plain line sits at the top of the article
TITLE_SEPARATORS_RE = re.compile(r"\s+[|—–-]\s+|\s*::\s*")
DATE_META = (("property", "article:published_time"), ("itemprop", "datePublished"), ("name", "pubdate"),
             ("name", "publish-date"), ("name", "date"), ("name", "DC.date"), ("name", "dc.date.issued"),
             ("property", "og:article:published_time"), ("itemprop", "dateCreated"))
CONTENT_XPATHS = ("//*[@itemprop='articleBody']", "//article", "//*[contains(@class,'entry-content')]",
                  "//*[contains(@class,'item-page')]", "//*[contains(@class,'news-detail')]",
                  "//*[contains(@class,'tpl-component-news')]", "//*[contains(@class,'eMessage')]",
                  "//main", "//*[@id='content']", "//*[contains(@class,'content')]")

_CONFIG = use_config()
_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_EXTRACTED_SIZE))
_CONFIG.set("DEFAULT", "MIN_OUTPUT_SIZE", str(MIN_OUTPUT_SIZE))
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # no signal-based timeouts inside a crawler


def parse_article(html: str, url: str, tz: tzinfo, now: datetime, *, fallback: ListingItem | None = None,
                  notes: list[str] | None = None) -> Post | None:
    """The news on an article page, or None with the reason appended to `notes`.

    `fallback` is what the listing said about this item: its date is used when the page
    shows none, its announce when no text can be extracted.
    """
    reasons = notes if notes is not None else []
    root = parse_html(html)
    canonical = _canonical(root, url)
    ld = _json_ld(root)
    title = _title(root, ld) or (fallback.title if fallback else "")
    published = _structured_date(root, ld, tz, now) or _visible_date(root, tz, now)
    if published is None and fallback is not None:
        published = fallback.published_at
    content = _content_root(root)
    media = media_kinds(content, canonical)
    raw_text = _main_text(root, canonical, title)
    if published is None:
        published = _date_line(raw_text, tz, now)
    text = strip_date_lines(raw_text, tz, now)
    if not text and fallback is not None and fallback.announce:
        reasons.append(f"Текст новости не извлечён со страницы, взят анонс из списка: {url}")
        text = fallback.announce
    if not text and not title:
        reasons.append(f"На странице нет текста новости: {url}")
        return None
    if published is None:
        reasons.append(f"На странице не найдена дата публикации: {url}")
        return None
    return Post(external_id=normalize_url(canonical), url=canonical, published_at=published, text=text,
                title=title, media=media, found_by=fallback.found_by if fallback else "")


def _canonical(root: lxml.html.HtmlElement, url: str) -> str:
    """rel=canonical when it names a page of the same site (not the home page set by mistake)."""
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            found = resolve(link.get("href"), url)
            if found and same_site(found, url) and not (_is_home(found) and not _is_home(url)):
                return found
    return url


def _is_home(url: str) -> bool:
    return urlsplit(url).path in ("", "/", "/index.php", "/index.html") and not urlsplit(url).query


def _json_ld(root: lxml.html.HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object that looks like an article (headline or datePublished)."""
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            if "headline" in item or "datePublished" in item:
                return item
            stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
    return {}


def _meta(root: lxml.html.HtmlElement, attr: str, value: str) -> str | None:
    for node in root.iter("meta"):
        if (node.get(attr) or "").lower() == value.lower() and node.get("content"):
            return node.get("content")
    return None


def _title(root: lxml.html.HtmlElement, ld: dict[str, Any]) -> str:
    for node in root.iterfind(".//*[@itemprop='headline']"):
        text = one_line(node.get("content") or node.text_content())
        if text:
            return text
    candidates = [_meta(root, "property", "og:title"), ld.get("headline") if isinstance(ld.get("headline"), str)
                  else None]
    for candidate in candidates:
        if candidate and one_line(candidate):
            return one_line(candidate)
    for heading in root.iter("h1"):
        if not in_page_chrome(heading):
            text = one_line(heading.text_content())
            if text:
                return text
    title = root.find(".//title")
    if title is not None and title.text:
        whole = one_line(title.text)
        if any(one_line(heading.text_content()) == whole for heading in root.iter("h2", "h3")):
            return whole  # the page repeats its whole <title> as a heading: no site name to cut off
        return one_line(TITLE_SEPARATORS_RE.split(title.text.strip())[0])
    return ""


def _structured_date(root: lxml.html.HtmlElement, ld: dict[str, Any], tz: tzinfo, now: datetime) -> datetime | None:
    for key in ("datePublished", "dateCreated"):
        value = ld.get(key)
        if isinstance(value, str):
            found = parse_date_ru(value, tz, now)
            if found:
                return found
    for attr, value in DATE_META:
        found = parse_date_ru(_meta(root, attr, value), tz, now)
        if found:
            return found
    for node in root.iterfind(".//*[@itemprop='datePublished']"):
        found = parse_date_ru(node.get("datetime") or node.get("content") or node.text_content(), tz, now)
        if found:
            return found
    for node in root.iter("time"):
        if not in_page_chrome(node):
            found = parse_date_ru(node.get("datetime") or node.text_content(), tz, now)
            if found:
                return found
    return None


def _visible_date(root: lxml.html.HtmlElement, tz: tzinfo, now: datetime) -> datetime | None:
    """A date shown in an element whose class says so (`news-date`, `item-date`, `entry-date` …)."""
    for node in root.iter():
        if not isinstance(node.tag, str) or not DATE_CLASS_RE.search(node.get("class") or ""):
            continue
        if in_page_chrome(node):
            continue
        found = parse_date_ru(node.get("title"), tz, now) or parse_date_ru(text_of(node), tz, now)
        if found:
            return found
    return None


def _date_line(text: str, tz: tzinfo, now: datetime) -> datetime | None:
    """A date standing on its own short line near the top ("07.03.2018."), never one inside a sentence."""
    for line in text.split("\n")[:TEXT_DATE_LINES]:
        if len(line) <= DATE_LINE_MAX_CHARS:
            found = parse_date_ru(line, tz, now)
            if found:
                return found
    return None


def _content_root(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    for xpath in CONTENT_XPATHS:
        for node in root.xpath(xpath):
            if not in_page_chrome(node):
                return node
    body = root.find("body")
    return body if body is not None else root


def _main_text(root: lxml.html.HtmlElement, url: str, title: str) -> str:
    """Main text by trafilatura, after our own pruning of the frame (this mutates `root`)."""
    prune_for_text(root)
    text = trafilatura.extract(root, url=url, config=_CONFIG, favor_recall=True, fast=True,
                               include_comments=False, include_tables=True, include_images=False,
                               include_links=False, deduplicate=False) or ""
    lines = [line.strip() for line in text.replace("\r", "").split("\n")]
    if lines and title and one_line(lines[0]) == title:
        lines = lines[1:]
    return "\n".join(lines).strip()
