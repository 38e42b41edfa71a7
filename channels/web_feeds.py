"""RSS/Atom feeds and sitemaps of school sites: pure parsers and the usual feed addresses per CMS."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from zoneinfo import ZoneInfo

import feedparser
from lxml import etree

from channels.base import Post
from channels.web_dates import parse_date_ru
from channels.web_html import VIDEO_LINK_RE, html_to_text, media_kinds, parse_html
from channels.web_urls import is_document, normalize_url, resolve

DEFAULT_TZ = ZoneInfo("Asia/Irkutsk")
FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf", b"<rdf")
SITEMAP_MARKERS = (b"<urlset", b"<sitemapindex")
SNIFF_BYTES = 2048
# Feed addresses to try by CMS when the home page links none (formats.md §4.2).
FEED_GUESSES = {
    "wordpress": ("/feed/", "/?feed=rss2"),
    "joomla": ("/?format=feed&type=rss", "/index.php?format=feed&type=rss"),
    "ucoz": ("/news/rss/", "/blog/rss/"),
    "bitrix": ("/news/rss/", "/rss/"),
}
SITEMAP_NS_RE = re.compile(r"\{[^}]*\}")
# Feeds and sitemaps write absolute dates only; this "now" just lets any real year through.
ABSOLUTE_ONLY = datetime(9000, 1, 1, tzinfo=timezone.utc)


@dataclass(slots=True)
class FeedEntry:
    """One feed item before its article page is seen: what the feed says about it."""

    url: str
    title: str
    published_at: datetime | None
    summary: str
    media: tuple[str, ...]


@dataclass(slots=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None


def looks_like_feed(body: bytes) -> bool:
    head = body[:SNIFF_BYTES].lower()
    return any(marker in head for marker in FEED_MARKERS) and b"<html" not in head


def looks_like_sitemap(body: bytes) -> bool:
    head = body[:SNIFF_BYTES].lower()
    return any(marker in head for marker in SITEMAP_MARKERS)


def parse_feed_entries(body: bytes, base_url: str, *, tz: tzinfo = DEFAULT_TZ) -> list[FeedEntry]:
    """Every item of an RSS 0.9x/2.0, RDF or Atom feed; feedparser decodes the bytes itself."""
    try:
        parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    except (UnicodeError, ValueError):  # e.g. a character reference to a lone surrogate: no usable feed
        return []
    entries: list[FeedEntry] = []
    for item in parsed.entries:
        url = resolve(item.get("link") or item.get("id"), base_url)
        if url is None:
            continue
        html = ""
        if item.get("content"):
            html = max((part.get("value", "") for part in item["content"]), key=len)
        summary_html = item.get("summary", "") or ""
        body_html = html if len(html) > len(summary_html) else summary_html
        entries.append(FeedEntry(
            url=url,
            title=html_to_text(item.get("title", "") or ""),
            published_at=_entry_date(item, tz),
            summary=html_to_text(body_html),
            media=_entry_media(item, body_html, url),
        ))
    return entries


def parse_feed(body: bytes, base_url: str, *, tz: tzinfo = DEFAULT_TZ,
               notes: list[str] | None = None) -> list[Post]:
    """Posts of a feed as the feed tells them (found_by "feed"); undated items are noted, not kept."""
    posts: list[Post] = []
    for entry in parse_feed_entries(body, base_url, tz=tz):
        if entry.published_at is None:
            if notes is not None:
                notes.append(f"В ленте RSS нет даты у записи {entry.url}: дата будет взята со страницы новости")
            continue
        posts.append(Post(external_id=normalize_url(entry.url), url=entry.url, published_at=entry.published_at,
                          text=entry.summary, title=entry.title, media=entry.media, found_by="feed"))
    return posts


def _entry_date(item: feedparser.FeedParserDict, tz: tzinfo) -> datetime | None:
    for raw_key, parsed_key in (("published", "published_parsed"), ("updated", "updated_parsed"),
                                ("created", "created_parsed")):
        parsed: time.struct_time | None = item.get(parsed_key)
        anchor = datetime(*parsed[:6], tzinfo=timezone.utc) if parsed else None
        raw = item.get(raw_key)
        if raw:
            # The raw text keeps "no zone written" (local time), which feedparser turns into UTC.
            value = parse_date_ru(raw, tz, anchor or ABSOLUTE_ONLY)
            if value is not None:
                return value
        if anchor is not None:
            return anchor.astimezone(tz)
    return None


def _entry_media(item: feedparser.FeedParserDict, html: str, url: str) -> tuple[str, ...]:
    kinds: set[str] = set()
    for link in item.get("links", []) + item.get("enclosures", []):
        kind = (link.get("type") or "").lower()
        href = link.get("href") or ""
        if link.get("rel") == "enclosure" or link in item.get("enclosures", []):
            if kind.startswith("image/"):
                kinds.add("photo")
            elif kind.startswith("video/") or VIDEO_LINK_RE.search(href):
                kinds.add("video")
            elif is_document(href) or kind.startswith("application/"):
                kinds.add("document")
    if item.get("media_content") or item.get("media_thumbnail"):
        kinds.add("photo")
    if html and "<" in html:
        body = parse_html(f"<html><body>{html}</body></html>").find("body")
        if body is not None:
            kinds.update(media_kinds(body, url))
    return tuple(kind for kind in ("photo", "video", "document") if kind in kinds)


def parse_sitemap(body: bytes, base_url: str, tz: tzinfo = DEFAULT_TZ) -> tuple[list[SitemapEntry], list[str]]:
    """Page entries of a sitemap and the child sitemaps of a sitemap index."""
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(recover=True, resolve_entities=False,
                                                             no_network=True, huge_tree=False))
    except etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []
    pages: list[SitemapEntry] = []
    children: list[str] = []
    for node in root:
        name = SITEMAP_NS_RE.sub("", node.tag) if isinstance(node.tag, str) else ""
        fields = {SITEMAP_NS_RE.sub("", child.tag): (child.text or "").strip()
                  for child in node if isinstance(child.tag, str)}
        url = resolve(fields.get("loc"), base_url)
        if url is None:
            continue
        if name == "sitemap":
            children.append(url)
        elif name == "url":
            lastmod = fields.get("lastmod")
            when = parse_date_ru(lastmod, tz, ABSOLUTE_ONLY) if lastmod else None
            pages.append(SitemapEntry(url=url, lastmod=when))
    return pages, children
