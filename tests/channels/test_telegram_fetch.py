"""`channels.telegram.fetch` through the real PoliteClient, with t.me mocked by respx."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
import respx

from channels import telegram
from channels.base import ChannelError, ChannelRef, ChannelSettings, FetchContext, HttpError
from crawler.demo.telegram_pages import DemoMessage, render_channel_page

DATA = Path(__file__).parent.parent / "data" / "telegram"
BASE = "https://t.me"
NAME = "school7_angarsk"
START = datetime(2026, 9, 1, 1, 0, tzinfo=timezone.utc)
LONG_AGO = datetime(2025, 1, 1, tzinfo=timezone.utc)
CHANNEL = ChannelRef(id=1, kind="telegram", address=NAME)


def demo_messages(count: int, skip: frozenset[int] = frozenset()) -> list[DemoMessage]:
    """One post a day from 1 September; ids in `skip` are missing (album members, deletions)."""
    return [DemoMessage(id=i, date=START + timedelta(days=i), views=10 * i,
                        text=f"Новость №{i}: в школе прошёл классный час «Разговоры о важном».")
            for i in range(1, count + 1) if i not in skip]


class FakeTelegram:
    """Serves t.me/s/<NAME>[?before=N] from demo messages and records each `before` asked for."""

    def __init__(self, messages: list[DemoMessage]) -> None:
        self.messages = messages
        self.asked: list[int | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        before = request.url.params.get("before")
        self.asked.append(int(before) if before else None)
        html = render_channel_page(NAME, "МБОУ СОШ №7 г. Ангарска", self.messages, int(before) if before else None)
        return httpx.Response(200, text=html)


def context(client: object, since: datetime = LONG_AGO, **settings: object) -> FetchContext:
    options = {"telegram_url": BASE, "page_delay": 0.0, **settings}
    return FetchContext(http=client, since=since, settings=ChannelSettings(**options))  # type: ignore[arg-type]


@pytest.fixture
def tme() -> respx.MockRouter:
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{BASE}/robots.txt").mock(return_value=httpx.Response(404))
        yield router


async def test_first_crawl_pages_back_to_the_oldest_post(tme: respx.MockRouter, polite_client: object) -> None:
    server = FakeTelegram(demo_messages(45))
    tme.get(f"{BASE}/s/{NAME}").mock(side_effect=server)
    result = await telegram.fetch(CHANNEL, None, context(polite_client))
    assert server.asked == [None, 26, 6]
    assert [p.external_id for p in result.posts] == [str(i) for i in range(1, 46)]  # oldest first
    assert result.cursor == "45"
    assert result.posts[0].url == f"https://t.me/{NAME}/1"
    assert result.notes == []


async def test_three_pages_back_stopping_at_the_cursor(tme: respx.MockRouter, polite_client: object) -> None:
    server = FakeTelegram(demo_messages(65))
    tme.get(f"{BASE}/s/{NAME}").mock(side_effect=server)
    result = await telegram.fetch(CHANNEL, "12", context(polite_client))
    assert server.asked == [None, 46, 26]
    assert [int(p.external_id) for p in result.posts] == list(range(13, 66))
    assert result.cursor == "65"


async def test_cursor_missing_from_the_page_still_stops_there(tme: respx.MockRouter, polite_client: object) -> None:
    # Album members 28..32 never appear on a page; the stored cursor 30 is one of them.
    server = FakeTelegram(demo_messages(60, skip=frozenset(range(28, 33))))
    tme.get(f"{BASE}/s/{NAME}").mock(side_effect=server)
    result = await telegram.fetch(CHANNEL, "30", context(polite_client))
    assert [int(p.external_id) for p in result.posts] == list(range(33, 61))
    assert server.asked == [None, 41]  # page 2 holds 16..27 and 33..40: nothing older is asked for


async def test_nothing_new_asks_one_page(tme: respx.MockRouter, polite_client: object) -> None:
    server = FakeTelegram(demo_messages(30))
    tme.get(f"{BASE}/s/{NAME}").mock(side_effect=server)
    result = await telegram.fetch(CHANNEL, "30", context(polite_client))
    assert result.posts == [] and result.cursor == "30"
    assert server.asked == [None]


async def test_stops_at_since(tme: respx.MockRouter, polite_client: object) -> None:
    server = FakeTelegram(demo_messages(65))
    tme.get(f"{BASE}/s/{NAME}").mock(side_effect=server)
    since = START + timedelta(days=40)  # post 40 is the oldest wanted; it sits on the second page
    result = await telegram.fetch(CHANNEL, None, context(polite_client, since=since))
    assert [int(p.external_id) for p in result.posts] == list(range(40, 66))
    assert server.asked == [None, 46]
    assert all(p.published_at >= since for p in result.posts)


async def test_max_pages_is_a_guard_and_says_what_was_left(tme: respx.MockRouter, polite_client: object) -> None:
    server = FakeTelegram(demo_messages(65))
    tme.get(f"{BASE}/s/{NAME}").mock(side_effect=server)
    result = await telegram.fetch(CHANNEL, None, context(polite_client, max_pages=2))
    assert server.asked == [None, 46]
    assert len(result.posts) == 40
    assert any("предел в 2 страниц" in note and "26" in note for note in result.notes)


async def test_waits_page_delay_between_pages_only(tme: respx.MockRouter, polite_client: object,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    server = FakeTelegram(demo_messages(45))
    tme.get(f"{BASE}/s/{NAME}").mock(side_effect=server)
    waits: list[float] = []

    async def no_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(telegram, "_sleep", no_sleep)
    await telegram.fetch(CHANNEL, None, context(polite_client, page_delay=2.5))
    assert waits == [2.5, 2.5]  # three pages, two pauses


async def test_real_page_served_stops_at_cursor_and_notes_nothing_silent(tme: respx.MockRouter,
                                                                          polite_client: object) -> None:
    route = tme.get(f"{BASE}/s/vmkononov").mock(
        return_value=httpx.Response(200, content=(DATA / "tme_s_vmkononov_ru_channel_before_link_albums_video_edited.html").read_bytes()))
    channel = ChannelRef(id=2, kind="telegram", address="vmkononov")
    result = await telegram.fetch(channel, "5258", context(polite_client))
    assert route.call_count == 1
    assert [p.external_id for p in result.posts] == ["5259", "5260", "5267"]
    assert result.cursor == "5267"


async def test_service_messages_are_noted(tme: respx.MockRouter, polite_client: object) -> None:
    tme.get(f"{BASE}/s/prstnk_eprst").mock(return_value=httpx.Response(
        200, content=(DATA / "tme_s_prstnk_eprst_small_ru_channel_service_msg.html").read_bytes()))
    channel = ChannelRef(id=3, kind="telegram", address="prstnk_eprst")
    result = await telegram.fetch(channel, None, context(polite_client))
    assert [p.external_id for p in result.posts] == ["2"]
    assert result.cursor == "2"
    assert any("служебных сообщений" in note and "1" in note for note in result.notes)


@pytest.mark.parametrize(("sample", "words"), [
    ("tme_contact_page_alyatrend_channel_not_s.html", "отключён веб-просмотр"),
    ("tme_contact_page_besplatnowb_group_members_online.html", "группа"),
    ("tme_contact_page_tastyhouse95_nonexistent_or_deleted.html", "не найден"),
])
async def test_redirect_to_contact_page_is_a_permanent_error(tme: respx.MockRouter, polite_client: object,
                                                             sample: str, words: str) -> None:
    tme.get(f"{BASE}/s/{NAME}").mock(return_value=httpx.Response(302, headers={"Location": f"{BASE}/{NAME}"}))
    tme.get(f"{BASE}/{NAME}").mock(return_value=httpx.Response(200, content=(DATA / sample).read_bytes()))
    with pytest.raises(ChannelError) as caught:
        await telegram.fetch(CHANNEL, None, context(polite_client))
    assert caught.value.permanent
    assert words in caught.value.message and NAME in caught.value.message


async def test_redirect_to_a_bare_page_means_no_preview(tme: respx.MockRouter, polite_client: object) -> None:
    tme.get(f"{BASE}/s/{NAME}").mock(return_value=httpx.Response(302, headers={"Location": f"{BASE}/"}))
    tme.get(f"{BASE}/").mock(return_value=httpx.Response(200, text="<html><body><h1>Telegram</h1></body></html>"))
    with pytest.raises(ChannelError, match="отключён веб-просмотр") as caught:
        await telegram.fetch(CHANNEL, None, context(polite_client))
    assert caught.value.permanent


async def test_nonexistent_channel_answering_200(tme: respx.MockRouter, polite_client: object) -> None:
    bare = "<html><head><title>Telegram</title></head><body><main class='tgme_main'></main></body></html>"
    tme.get(f"{BASE}/s/{NAME}").mock(return_value=httpx.Response(200, text=bare))
    with pytest.raises(ChannelError, match="не найден") as caught:
        await telegram.fetch(CHANNEL, None, context(polite_client))
    assert caught.value.permanent


async def test_too_many_requests_propagates_as_http_error(tme: respx.MockRouter, polite_client: object) -> None:
    tme.get(f"{BASE}/s/{NAME}").mock(return_value=httpx.Response(429, headers={"Retry-After": "0"}))
    with pytest.raises(HttpError) as caught:
        await telegram.fetch(CHANNEL, None, context(polite_client))
    assert caught.value.status == 429


async def test_base_url_of_a_local_server(polite_client: object) -> None:
    local = "http://127.0.0.1:8765/tg"
    with respx.mock(assert_all_called=False) as router:
        router.get("http://127.0.0.1:8765/robots.txt").mock(return_value=httpx.Response(404))
        route = router.get(f"{local}/s/{NAME}").mock(side_effect=FakeTelegram(demo_messages(3)))
        result = await telegram.fetch(CHANNEL, None, context(polite_client, telegram_url=local + "/"))
    assert route.call_count == 1
    assert len(result.posts) == 3
