"""Whole-site crawls of the test sites of every CMS flavour (tests/data/web/sites)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import respx

from channels.base import ChannelRef, ChannelSettings, FetchContext
from channels.web_urls import normalize_url
from channels.website import fetch
from tests.channels.test_web_site_server import SITES, mount_site

EXPECTED = json.loads((SITES / "expected.json").read_text(encoding="utf-8"))
TZ = ZoneInfo("Asia/Irkutsk")


def context(client, since: str) -> FetchContext:
    return FetchContext(http=client, since=datetime.fromisoformat(since).replace(tzinfo=TZ),
                        settings=ChannelSettings())


@pytest.mark.parametrize("site", sorted(EXPECTED))
async def test_every_campaign_news_found_with_date_and_clean_text(site: str, polite_client) -> None:
    expected = EXPECTED[site]
    with respx.mock(assert_all_called=False) as router:
        mount_site(router, site, expected["base_url"])
        result = await fetch(ChannelRef(id=1, kind="website", address=expected["base_url"]), None,
                             context(polite_client, expected["since"]))
    by_url = {post.external_id: post for post in result.posts}
    wanted = {normalize_url(item["url"]): item for item in expected["items"]}
    assert set(by_url) == set(wanted), result.notes
    for key, item in wanted.items():
        post = by_url[key]
        assert post.published_at == datetime.fromisoformat(item["published_at"]) or (
            post.published_at.date().isoformat() == item["published_at"][:10]), key
        assert post.title == item["title"]
        assert item["first_sentence"] in post.text
        assert post.found_by == item["found_by"], key
        assert set(item["media"]) <= set(post.media), key
        for frame in expected["boilerplate"]:
            assert frame not in post.text, (key, frame)
    assert all(post.published_at.tzinfo is not None for post in result.posts)


@pytest.mark.parametrize("site", sorted(EXPECTED))
async def test_second_crawl_fetches_no_article_again(site: str, polite_client) -> None:
    expected = EXPECTED[site]
    channel = ChannelRef(id=1, kind="website", address=expected["base_url"])
    with respx.mock(assert_all_called=False) as router:
        mount_site(router, site, expected["base_url"])
        first = await fetch(channel, None, context(polite_client, expected["since"]))
    with respx.mock(assert_all_called=False) as router:
        asked = mount_site(router, site, expected["base_url"])
        second = await fetch(channel, first.cursor, context(polite_client, expected["since"]))
    article_paths = {normalize_url(item["url"]).split("/", 3)[3] for item in expected["items"]}
    assert second.posts == []
    assert not [path for path in asked if path.lstrip("/").rstrip("/") in {p.rstrip("/") for p in article_paths}]
