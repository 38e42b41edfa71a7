"""Fetch logic of the website adapter through the real polite client, HTTP mocked with respx."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
import respx

from channels.base import ChannelError, ChannelRef, ChannelSettings, FetchContext
from channels.website import fetch
from tests.channels.test_web_site_server import SITES, mount_site

IRK = ZoneInfo("Asia/Irkutsk")
EXPECTED = json.loads((SITES / "expected.json").read_text(encoding="utf-8"))
WP = EXPECTED["wordpress"]["base_url"]
GOSWEB = EXPECTED["gosweb"]["base_url"]
SINCE = datetime(2025, 1, 10, tzinfo=IRK)
WP_OLD_POST = f"{WP}/2025/01/15/olimpiada-regionalnyy-etap/"  # reached through the listing, not the feed
WP_FEED_POST = f"{WP}/2025/03/02/lyzhnya-semeynaya/"  # the feed has it


def ctx(client) -> FetchContext:
    return FetchContext(http=client, since=SINCE, settings=ChannelSettings())


def channel(address: str, **options: object) -> ChannelRef:
    return ChannelRef(id=7, kind="website", address=address, options=options)


def urls(result) -> set[str]:
    return {post.url for post in result.posts}


async def test_school_moved_to_gosweb_is_followed_and_recorded(polite_client) -> None:
    with respx.mock(assert_all_called=False) as router:
        router.get("https://old-school.example/robots.txt").respond(404)
        router.get("https://old-school.example/").respond(301, headers={"Location": GOSWEB + "/"})
        mount_site(router, "gosweb", GOSWEB)
        result = await fetch(channel("https://old-school.example/"), None, ctx(polite_client))
    assert result.resolved == GOSWEB + "/"
    assert any("переехал" in note for note in result.notes)
    assert len(result.posts) == 6


async def test_a_moved_site_is_crawled_at_its_resolved_address(polite_client) -> None:
    moved = ChannelRef(id=7, kind="website", address="https://old-school.example/", resolved=GOSWEB + "/")
    with respx.mock(assert_all_called=False) as router:
        old = router.get(host="old-school.example").respond(500)
        mount_site(router, "gosweb", GOSWEB)
        result = await fetch(moved, None, ctx(polite_client))
    assert not old.called and result.resolved == GOSWEB + "/" and len(result.posts) == 6


async def test_deleted_old_news_is_noted_and_the_rest_continues(polite_client) -> None:
    with respx.mock(assert_all_called=False) as router:
        router.get(WP_OLD_POST).respond(404)
        mount_site(router, "wordpress", WP)
        result = await fetch(channel(WP), None, ctx(polite_client))
    assert WP_OLD_POST not in urls(result) and len(result.posts) == 5
    assert any("404" in note and WP_OLD_POST in note for note in result.notes)


async def test_server_error_then_success_is_retried_by_the_policy(polite_client) -> None:
    page = (SITES / "wordpress/2025/01/15/olimpiada-regionalnyy-etap/index.html").read_bytes()
    with respx.mock(assert_all_called=False) as router:
        router.get(WP_OLD_POST).mock(side_effect=[httpx.Response(500),
                                                  httpx.Response(200, content=page,
                                                                 headers={"Content-Type": "text/html"})])
        mount_site(router, "wordpress", WP)
        result = await fetch(channel(WP), None, ctx(polite_client))
    assert WP_OLD_POST in urls(result) and len(result.posts) == 6


async def test_too_many_requests_with_long_retry_after_is_left_for_next_crawl(polite_client) -> None:
    with respx.mock(assert_all_called=False) as router:
        router.get(WP_OLD_POST).respond(429, headers={"Retry-After": "3600"})
        mount_site(router, "wordpress", WP)
        result = await fetch(channel(WP), None, ctx(polite_client))
    assert len(result.posts) == 5
    assert any("429" in note for note in result.notes)
    # not remembered as seen: the next crawl asks for it again
    assert WP_OLD_POST.rstrip("/") not in json.loads(result.cursor)["seen"]


async def test_timeout_on_a_feed_item_falls_back_to_the_feed_text(polite_client) -> None:
    with respx.mock(assert_all_called=False) as router:
        router.get(WP_FEED_POST).mock(side_effect=httpx.ReadTimeout("slow"))
        mount_site(router, "wordpress", WP)
        result = await fetch(channel(WP), None, ctx(polite_client))
    post = next(post for post in result.posts if post.url == WP_FEED_POST)
    assert post.found_by == "feed" and post.text.startswith("В воскресенье на школьном стадионе")
    assert any("ленты RSS" in note for note in result.notes)


async def test_page_over_the_size_cap_is_noted(polite_client) -> None:
    huge = b"<html><body>" + b"x" * (2 * 1024 * 1024) + b"</body></html>"
    with respx.mock(assert_all_called=False) as router:
        router.get(WP_OLD_POST).respond(200, content=huge, headers={"Content-Type": "text/html"})
        mount_site(router, "wordpress", WP)
        result = await fetch(channel(WP), None, ctx(polite_client))
    assert len(result.posts) == 5
    assert any("размер" in note for note in result.notes)


async def test_a_news_link_to_a_file_is_skipped_with_a_note(polite_client) -> None:
    with respx.mock(assert_all_called=False) as router:
        router.get(WP_OLD_POST).respond(200, content=b"%PDF-1.4", headers={"Content-Type": "application/pdf"})
        mount_site(router, "wordpress", WP)
        result = await fetch(channel(WP), None, ctx(polite_client))
    assert len(result.posts) == 5
    assert any("application/pdf" in note for note in result.notes)


async def test_home_page_down_is_a_channel_error(polite_client) -> None:
    with respx.mock(assert_all_called=False) as router:
        router.get(host="down.example").respond(503)
        with pytest.raises(ChannelError) as caught:
            await fetch(channel("https://down.example/"), None, ctx(polite_client))
    assert caught.value.status == 503 and "не открылась" in caught.value.message


async def test_changed_listing_item_is_fetched_again(polite_client) -> None:
    base = EXPECTED["bitrix"]["base_url"]
    with respx.mock(assert_all_called=False) as router:
        mount_site(router, "bitrix", base)
        first = await fetch(channel(base), None, ctx(polite_client))
    listing = (SITES / "bitrix/news/index.html").read_text(encoding="utf-8")
    edited = listing.replace("Семейная лыжня собрала больше ста участников", "Семейная лыжня собрала 140 участников")
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{base}/news/").respond(200, text=edited, headers={"Content-Type": "text/html; charset=utf-8"})
        asked = mount_site(router, "bitrix", base)
        second = await fetch(channel(base), first.cursor, ctx(polite_client))
    assert [post.url for post in second.posts] == [f"{base}/news/lyzhnya-semeynaya/"]
    articles = {item["url"].removeprefix(base) for item in EXPECTED["bitrix"]["items"]}
    assert [path for path in asked if path in articles] == ["/news/lyzhnya-semeynaya/"]


async def test_second_crawl_stops_paging_at_the_cursor(polite_client) -> None:
    with respx.mock(assert_all_called=False) as router:
        mount_site(router, "gosweb", GOSWEB)
        first = await fetch(channel(GOSWEB), None, ctx(polite_client))
    with respx.mock(assert_all_called=False) as router:
        asked = mount_site(router, "gosweb", GOSWEB)
        second = await fetch(channel(GOSWEB), first.cursor, ctx(polite_client))
    assert second.posts == []
    assert not any("curPos" in path for path in asked)  # page 1 is entirely older than the cursor's newest


async def test_sitemap_is_used_when_there_is_no_feed_and_no_news_menu(polite_client) -> None:
    base = "https://tiny-school.example"
    article = ("<html><body><h1>Субботник в школьном саду</h1><p class='date'>12.02.2025</p><p>Ученики 8 класса "
               "убрали сад и побелили деревья.</p></body></html>")
    sitemap = (f"<urlset><url><loc>{base}/news/subbotnik-12/</loc><lastmod>2025-02-12</lastmod></url>"
               f"<url><loc>{base}/news/staroe-3/</loc><lastmod>2024-05-01</lastmod></url>"
               f"<url><loc>{base}/kontakty/</loc><lastmod>2025-02-12</lastmod></url></urlset>")
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{base}/robots.txt").respond(404)
        router.get(f"{base}/").respond(200, text="<html><body><p>Сайт школы</p></body></html>",
                                       headers={"Content-Type": "text/html"})
        router.get(f"{base}/sitemap.xml").respond(200, text=sitemap, headers={"Content-Type": "application/xml"})
        router.get(f"{base}/news/subbotnik-12/").respond(200, text=article, headers={"Content-Type": "text/html"})
        result = await fetch(channel(base), None, ctx(polite_client))
    assert [(p.title, p.published_at, p.found_by) for p in result.posts] == [
        ("Субботник в школьном саду", datetime(2025, 2, 12, tzinfo=IRK), "sitemap")]


async def test_nothing_found_says_what_to_configure_in_a_note_not_a_warning(polite_client) -> None:
    """A site that never had news found: a note naming news_url, not the warning of a vanished news page."""
    base = "https://empty-school.example"
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{base}/").respond(200, text="<html><body><p>Сайт в разработке</p></body></html>",
                                       headers={"Content-Type": "text/html"})
        router.get(host="empty-school.example").respond(404)
        result = await fetch(channel(base), None, ctx(polite_client))
    assert result.posts == [] and "news_url" in result.notes[-1]
    assert result.warnings == []


async def test_same_news_under_two_urls_is_kept_once(polite_client) -> None:
    base = "https://dup-school.example"
    listing = ("<html><body><div class='list'>"
               "<div><a href='/news/5/?utm_source=vk'>Акция «Покормите птиц» прошла в школе</a> 28.01.2025</div>"
               "<div><a href='/news/5/'>Акция «Покормите птиц» прошла в школе</a> 28.01.2025</div>"
               "<div><a href='/print/5'>Акция «Покормите птиц» прошла в школе (версия для печати)</a> 28.01.2025"
               "</div></div></body></html>")
    article = ("<html><head><link rel='canonical' href='/news/5/'></head><body><h1>Акция «Покормите птиц»</h1>"
               "<span class='date'>28.01.2025</span><p>Активисты изготовили кормушки.</p></body></html>")
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{base}/robots.txt").respond(404)
        router.get(f"{base}/").respond(200, text=listing, headers={"Content-Type": "text/html"})
        router.get(f"{base}/news/5/").respond(200, text=article, headers={"Content-Type": "text/html"})
        router.get(f"{base}/print/5").respond(200, text=article, headers={"Content-Type": "text/html"})
        result = await fetch(channel(base, news_url=f"{base}/"), None, ctx(polite_client))
    assert [post.external_id for post in result.posts] == [f"{base}/news/5"]
    assert all(post.found_by == "override" for post in result.posts)


async def test_region_timezone_comes_from_channel_options(polite_client) -> None:
    with respx.mock(assert_all_called=False) as router:
        mount_site(router, "gosweb", GOSWEB)
        result = await fetch(channel(GOSWEB, timezone="Asia/Yekaterinburg"), None, ctx(polite_client))
    first = max(result.posts, key=lambda post: post.published_at)
    assert first.published_at == datetime(2025, 3, 14, 9, 20, tzinfo=ZoneInfo("Asia/Yekaterinburg"))


def test_the_cursor_never_moves_past_what_failed_to_load() -> None:
    from datetime import datetime, timezone

    from channels.website import _next_newest

    def day(n: int) -> datetime:
        return datetime(2025, 2, n, 12, tzinfo=timezone.utc)

    assert _next_newest(day(1), [day(5), day(3)], []) == day(5)
    assert _next_newest(day(1), [day(5)], [day(3)]) < day(3)  # the failed article is met again
    assert _next_newest(day(4), [day(5)], [day(2)]) < day(2)  # even when older than the old cursor
    assert _next_newest(day(1), [day(5)], [None]) == day(1)  # a listing page of unknown news failed
    assert _next_newest(None, [], [day(2)]) is None


async def test_news_behind_a_listing_page_that_failed_are_found_by_the_next_crawl(polite_client) -> None:
    with respx.mock(assert_all_called=False) as router:
        mount_site(router, "gosweb", GOSWEB)
        everything = urls(await fetch(channel(GOSWEB), None, ctx(polite_client)))
    with respx.mock(assert_all_called=False) as router:
        router.route(host=httpx.URL(GOSWEB).host, params__contains={"curPos": "3"}).respond(503)
        mount_site(router, "gosweb", GOSWEB)
        first = await fetch(channel(GOSWEB), None, ctx(polite_client))
    assert urls(first) < everything  # page 2 of the listing did not load
    with respx.mock(assert_all_called=False) as router:
        mount_site(router, "gosweb", GOSWEB)
        second = await fetch(channel(GOSWEB), first.cursor, ctx(polite_client))
    assert urls(first) | urls(second) == everything


async def test_a_site_whose_news_vanished_is_a_warning_not_a_quiet_success(polite_client) -> None:
    base = EXPECTED["bitrix"]["base_url"]
    with respx.mock(assert_all_called=False) as router:
        mount_site(router, "bitrix", base)
        first = await fetch(channel(base), None, ctx(polite_client))
    assert first.posts and first.warnings == []
    redesigned = "<html><body><div id='app'></div><script src='/bundle.js'></script></body></html>"
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{base}/").respond(200, text=redesigned, headers={"Content-Type": "text/html"})
        router.get(host=base.split("//")[1].split("/")[0]).respond(404)
        second = await fetch(channel(base), first.cursor, ctx(polite_client))
    assert second.posts == []
    assert len(second.warnings) == 1 and second.warnings[0].startswith("страница не разобрана: на сайте")
