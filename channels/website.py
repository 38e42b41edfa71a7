"""Website channel: news of a school site from its feed, its news listing or its sitemap.

Public API: `fetch` (the crawler's entry point) and the pure parsers re-exported here:
`parse_feed`, `parse_listing`, `parse_article`, `parse_date_ru`, `normalize_url`,
`decode_html`, `discover_channels`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from channels.base import ChannelError, ChannelRef, FetchContext, FetchResult, HttpError, Post
from channels.web_cursor import Seen, WebCursor
from channels.web_dates import parse_date_ru
from channels.web_discovery import FEED_TYPES, detect_cms, discover_channels, find_feeds, find_news_pages
from channels.web_encoding import decode_html
from channels.web_extract import parse_article
from channels.web_feeds import (FEED_GUESSES, FeedEntry, looks_like_feed, parse_feed, parse_feed_entries,
                                parse_sitemap)
from channels.web_html import parse_html
from channels.web_listing import ListingItem, ListingPage, parse_listing
from channels.web_urls import host_of, looks_like_article, looks_like_news_section, normalize_url, site_root

__all__ = ["fetch", "parse_feed", "parse_listing", "parse_article", "parse_date_ru", "normalize_url",
           "decode_html", "discover_channels", "ListingItem", "ListingPage"]

DEFAULT_TIMEZONE = "Asia/Irkutsk"
HTML_TYPES = ("text/html", "application/xhtml+xml")
SNIFF_TYPES = ("", "application/octet-stream", "text/plain")  # servers that do not say: look at the bytes
HTML_SNIFF = (b"<html", b"<!doctype html", b"<body", b"<head", b"<div", b"<p>", b"<table")
SITEMAP_PATH = "/sitemap.xml"
MAX_CHILD_SITEMAPS = 3
MAX_SITEMAP_ARTICLES = 60  # a sitemap without a news section can list thousands of pages
GONE_STATUSES = (404, 410)


@dataclass(slots=True)
class _Lead:
    item: ListingItem
    feed: FeedEntry | None = None


@dataclass(slots=True)
class _Crawl:
    channel: ChannelRef
    ctx: FetchContext
    tz: ZoneInfo
    now: datetime
    state: WebCursor
    posts: list[Post] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    resolved: str | None = None
    done: set[str] = field(default_factory=set)
    by_title: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (title, day, text) -> URL
    fresh: dict[str, Seen] = field(default_factory=dict)
    # What this crawl failed to read: the cursor must not move past it, or it is never read.
    missed: list[datetime | None] = field(default_factory=list)  # dates of articles that failed to load
    warnings: list[str] = field(default_factory=list)  # «страница не разобрана: …»

    @property
    def since(self) -> datetime:
        return self.ctx.since

    @property
    def page_cutoff(self) -> datetime:
        """Listing pages entirely older than this hold nothing new."""
        return max(self.since, self.state.newest) if self.state.newest else self.since


async def fetch(channel: ChannelRef, cursor: str | None, ctx: FetchContext) -> FetchResult:
    """New and changed news of one school site since the cursor (first crawl: since ctx.since)."""
    try:
        tz = ZoneInfo(str(channel.options.get("timezone", DEFAULT_TIMEZONE)))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ChannelError(f"Неизвестный часовой пояс в настройках сайта: {channel.options.get('timezone')}",
                           permanent=True) from exc
    crawl = _Crawl(channel, ctx, tz, datetime.now(tz), WebCursor.load(cursor))
    await _run(crawl)
    state = crawl.state
    state.newest = _next_newest(state.newest, [post.published_at for post in crawl.posts], crawl.missed)
    state.seen.update(crawl.fresh)
    return FetchResult(posts=crawl.posts, cursor=state.dump(), resolved=crawl.resolved, notes=crawl.notes,
                       warnings=crawl.warnings)


def _next_newest(newest: datetime | None, stored: list[datetime], missed: list[datetime | None]) -> datetime | None:
    """The cursor's newest date after a crawl: past every stored post, but short of anything missed.

    An article or listing page that failed to load must be met again by the next crawl's
    pagination, which stops at this date; one of unknown date keeps the cursor where it was.
    """
    candidate = max([*stored, *([newest] if newest else [])], default=None)
    if not missed or candidate is None:
        return candidate
    if any(date is None for date in missed):
        return newest
    return min(candidate, min(date for date in missed if date is not None) - timedelta(seconds=1))


async def _run(crawl: _Crawl) -> None:
    start = crawl.channel.resolved or crawl.channel.address
    try:
        response = await crawl.ctx.http.get(start)
    except HttpError as exc:
        raise ChannelError(f"Главная страница сайта не открылась: {exc.message}", url=start, status=exc.status,
                           retry_after=exc.retry_after,
                           permanent=exc.permanent and exc.status not in GONE_STATUSES) from exc
    final = str(response.url)
    if host_of(final) != host_of(start):
        crawl.resolved = normalize_url(site_root(final))
        crawl.notes.append(f"Сайт переехал: {start} → {crawl.resolved}; дальше обходим новый адрес")
    elif crawl.channel.resolved:
        crawl.resolved = crawl.channel.resolved
    if _kind(response) != "html":
        raise ChannelError(f"По адресу сайта не HTML-страница ({_content_type(response) or 'тип не указан'}): "
                           f"{start}", url=start)
    html = decode_html(response.content, response.headers.get("content-type"))
    options = crawl.channel.options
    override = options.get("news_url")
    covered = False
    if not override:
        covered = await _from_feeds(crawl, html, final)
    if not covered:
        listing_found = await _from_listings(crawl, html, final, str(override) if override else None)
        if not listing_found and not crawl.done:
            await _from_sitemap(crawl, final)
    if not crawl.done and not crawl.posts and not crawl.missed and crawl.state.seen:  # news before, none now
        crawl.warnings.append(f"страница не разобрана: на сайте {final} прежде находились новости "
                              f"({len(crawl.state.seen)} в памяти обхода), а сейчас не найдено ни одной — "
                              "вероятно, сменилась вёрстка или адрес раздела; проверьте сайт или укажите news_url")
    if not crawl.done and not crawl.posts:
        crawl.notes.append(f"На сайте {final} не найдено ни ленты RSS, ни раздела «Новости», ни новостей в "
                           "sitemap.xml: укажите адрес раздела новостей (news_url) в sources.yaml")


# --- sources of leads -------------------------------------------------------------------------------

async def _from_feeds(crawl: _Crawl, html: str, base: str) -> bool:
    """Leads from the site's feed; True when the feed reaches back to the page cutoff."""
    root = parse_html(html)
    announced = find_feeds(root, base)
    cms = detect_cms(html, base)
    guesses = [site_root(base).rstrip("/") + path for path in FEED_GUESSES.get(cms or "", ())]
    for url in announced + [guess for guess in guesses if guess not in announced]:
        try:
            response = await crawl.ctx.http.get(url)
        except HttpError as exc:
            if url in announced:
                crawl.notes.append(f"Лента RSS, указанная на сайте, не загрузилась: {exc.message}")
            continue
        if not looks_like_feed(response.content):
            continue
        entries = parse_feed_entries(response.content, url, tz=crawl.tz)
        leads = [_Lead(ListingItem(url=e.url, title=e.title, published_at=e.published_at, announce=e.summary,
                                   found_by="feed"), feed=e) for e in entries]
        await _process(crawl, leads)
        dates = [e.published_at for e in entries if e.published_at is not None]
        return bool(dates) and min(dates) <= crawl.page_cutoff
    return False


async def _from_listings(crawl: _Crawl, html: str, base: str, override: str | None) -> bool:
    """Leads from the news listing and its pages; True when a listing with news items was found."""
    options = crawl.channel.options
    candidates = [override] if override else find_news_pages(parse_html(html), base) + [base]
    for number, start in enumerate(candidates):
        url: str | None = start
        visited: set[str] = set()
        pages = 0
        found_items = False
        while url and normalize_url(url) not in visited and pages < crawl.ctx.settings.max_pages:
            visited.add(normalize_url(url))
            pages += 1
            if url == base and number == len(candidates) - 1 and not override:
                page_html = html  # the home page itself, already fetched: its "latest news" block
            else:
                page_html = await _get_html(crawl, url, "Страница списка новостей")
                if page_html is None:
                    crawl.missed.append(None)  # its news are unknown: keep the cursor for the next crawl
                    break
            page = parse_listing(page_html, url, crawl.tz, crawl.now, options)
            crawl.notes.extend(page.notes)
            if override:
                for item in page.items:
                    item.found_by = "override"
            if not page.items:
                break
            found_items = True
            dates = await _process(crawl, [_Lead(item) for item in page.items])
            if dates and all(date <= crawl.page_cutoff for date in dates):
                break
            url = page.next_url
        if pages >= crawl.ctx.settings.max_pages and url:
            crawl.notes.append(f"Обход списка новостей остановлен на {pages}-й странице (предел max_pages): {url}")
        if found_items:
            return True
        if override:
            crawl.notes.append(f"На странице news_url из настроек не найдено новостей: {override}")
    return False


async def _from_sitemap(crawl: _Crawl, base: str) -> None:
    queue = [site_root(base).rstrip("/") + SITEMAP_PATH]
    leads: list[_Lead] = []
    undated = 0
    for _ in range(MAX_CHILD_SITEMAPS + 1):
        if not queue:
            break
        url = queue.pop(0)
        try:
            response = await crawl.ctx.http.get(url)
        except HttpError:
            continue  # most school sites have no sitemap: not worth a note
        pages, children = parse_sitemap(response.content, url, crawl.tz)
        queue.extend(children)
        for entry in pages:
            if not (looks_like_article(entry.url) and looks_like_news_section(entry.url)):
                continue
            if entry.lastmod is None:
                undated += 1
            elif entry.lastmod >= crawl.since:
                stamp = ListingItem(url=entry.url, title="", published_at=None,
                                    announce=entry.lastmod.isoformat(), found_by="sitemap")
                leads.append(_Lead(stamp))
    if undated:
        crawl.notes.append(f"В sitemap.xml {undated} новостных адресов без даты (lastmod): пропущены")
    if len(leads) > MAX_SITEMAP_ARTICLES:
        crawl.notes.append(f"В sitemap.xml {len(leads)} свежих адресов новостей; загружены первые "
                           f"{MAX_SITEMAP_ARTICLES}")
        leads = leads[:MAX_SITEMAP_ARTICLES]
    await _process(crawl, leads)


# --- articles ---------------------------------------------------------------------------------------

async def _process(crawl: _Crawl, leads: list[_Lead]) -> list[datetime]:
    """Fetch what is new or changed among the leads; return every date learnt (for pagination)."""
    dates: list[datetime] = []
    for lead in leads:
        item = lead.item
        key = normalize_url(item.url)
        seen = crawl.state.seen.get(key)
        date = item.published_at or (seen.published_at if seen else None)
        if key in crawl.done:
            if date:
                dates.append(date)
            continue
        crawl.done.add(key)
        if date is not None:
            dates.append(date)
            if date < crawl.since or crawl.state.is_final(date):
                continue
        if seen is not None and seen.fingerprint == item.fingerprint():
            crawl.fresh[key] = seen
            continue
        post = await _article(crawl, lead)
        if post is None:
            continue
        dates.append(post.published_at)
        crawl.done.add(post.external_id)
        crawl.fresh[key] = Seen(item.fingerprint(), post.published_at)
        if post.published_at < crawl.since:
            continue
        # The same news at two addresses: same title, day and text. Titles alone repeat
        # («Было — стало» cut at its dash, «Новости» …), so text must match too.
        twin_key = (post.title.lower(), post.published_at.date().isoformat(), post.text.strip())
        twin = crawl.by_title.get(twin_key)
        if twin is not None or any(p.external_id == post.external_id for p in crawl.posts):
            crawl.notes.append(f"Одна и та же новость по двум адресам, оставлена одна: {twin or post.url} и "
                               f"{item.url}")
            continue
        crawl.by_title[twin_key] = post.url
        crawl.posts.append(post)
    return dates


async def _article(crawl: _Crawl, lead: _Lead) -> Post | None:
    item = lead.item
    try:
        response = await crawl.ctx.http.get(item.url)
    except HttpError as exc:
        if exc.status in GONE_STATUSES:
            crawl.notes.append(f"Новость удалена или перенесена (ответ {exc.status}), пропущена: {item.url}")
            return None
        if lead.feed is not None and lead.feed.published_at is not None:
            crawl.notes.append(f"Страница новости не загрузилась ({exc.message}); взят текст из ленты RSS")
            return _feed_post(lead.feed)
        crawl.notes.append(f"Страница новости не загрузилась, пропущена до следующего обхода: {exc.message}")
        crawl.missed.append(item.published_at)
        return None
    kind = _kind(response)
    if kind != "html":
        crawl.notes.append(f"Ссылка из списка новостей ведёт не на страницу, а на файл "
                           f"({_content_type(response) or 'тип не указан'}), пропущена: {item.url}")
        return None
    html = decode_html(response.content, response.headers.get("content-type"))
    post = parse_article(html, str(response.url), crawl.tz, crawl.now, fallback=item, notes=crawl.notes)
    if post is not None:
        post.found_by = item.found_by
    return post


def _feed_post(entry: FeedEntry) -> Post:
    assert entry.published_at is not None
    return Post(external_id=normalize_url(entry.url), url=entry.url, published_at=entry.published_at,
                text=entry.summary, title=entry.title, media=entry.media, found_by="feed")


async def _get_html(crawl: _Crawl, url: str, what: str) -> str | None:
    try:
        response = await crawl.ctx.http.get(url)
    except HttpError as exc:
        crawl.notes.append(f"{what} не загрузилась: {exc.message}")
        return None
    if _kind(response) != "html":
        crawl.notes.append(f"{what} — не HTML ({_content_type(response) or 'тип не указан'}), пропущена: {url}")
        return None
    return decode_html(response.content, response.headers.get("content-type"))


def _content_type(response: httpx.Response) -> str:
    return (response.headers.get("content-type") or "").split(";")[0].strip().lower()


def _kind(response: httpx.Response) -> str:
    """"html", "feed" or "other", by the declared type and, when the server does not say, the bytes."""
    declared = _content_type(response)
    head = response.content[:1024].lstrip().lower()
    if declared in HTML_TYPES or declared in SNIFF_TYPES:
        if looks_like_feed(response.content):
            return "feed"
        if declared in HTML_TYPES or any(marker in head for marker in HTML_SNIFF):
            return "html"
        return "other"
    if declared in FEED_TYPES or declared.endswith("+xml"):
        return "feed"
    return "other"


