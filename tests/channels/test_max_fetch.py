"""`channels.max.fetch` through the real PoliteClient, with the MAX Bot API mocked by respx (the MAX stand-in)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
import respx

from channels import max as max_adapter
from channels.base import ChannelRef, ChannelSettings, FetchContext, HttpError
from channels.max_errors import MaxChannelError
from crawler.demo.max_standin import MaxChannel, MaxStandin
from crawler.http import PoliteClient
from crawler.settings import HttpPolicy, Settings, from_env

API = "https://platform-api2.max.ru"
TOKEN = "max-fake-bot-token"
CHAT = -70000000000001
START = datetime(2025, 1, 10, tzinfo=timezone.utc)
LONG_AGO = datetime(2020, 1, 1, tzinfo=timezone.utc)


def message(number: int, **extra: Any) -> dict[str, Any]:
    when = START + timedelta(hours=number)
    item = {"recipient": {"chat_id": CHAT, "chat_type": "channel"}, "timestamp": int(when.timestamp() * 1000),
            "body": {"mid": f"mid.{number:06d}", "seq": number, "text": f"Пост №{number}", "attachments": []},
            "stat": {"views": number * 3}, "url": f"https://max.ru/demo_sosh4/AZ{number:06d}"}
    item.update(extra)
    return item


def standin(count: int = 5) -> MaxStandin:
    return MaxStandin(TOKEN, {
        CHAT: MaxChannel(CHAT, "demo_sosh4", "СОШ № 4", [message(i) for i in range(count, 0, -1)]),
        -70000000000002: MaxChannel(-70000000000002, "demo_sad7", "Детский сад № 7", [], bot_added=False),
    })


@pytest.fixture
def api() -> Any:
    with respx.mock(assert_all_called=False) as router:
        yield router


def serve(router: respx.MockRouter, server: MaxStandin) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        status, body, headers = server.handle(request.method, request.url.path, dict(request.url.params),
                                              dict(request.headers))
        return httpx.Response(status, json=body, headers=headers)

    router.route(host="platform-api2.max.ru").mock(side_effect=answer)


def context(client: object, since: datetime = LONG_AGO, **settings: Any) -> FetchContext:
    values = {"max_api_url": API, "max_bot_token": TOKEN} | settings
    return FetchContext(http=client, since=since, settings=ChannelSettings(**values))  # type: ignore[arg-type]


def channel(address: str = "demo_sosh4", resolved: str | None = None) -> ChannelRef:
    return ChannelRef(id=1, kind="max", address=address, resolved=resolved)


async def test_first_crawl_resolves_the_name_and_pages_back(api: Any, polite_client: object) -> None:
    server = standin(230)
    serve(api, server)
    result = await max_adapter.fetch(channel(), None, context(polite_client))
    assert len(result.posts) == 230 and result.resolved == str(CHAT)
    assert [path for path, _ in server.calls] == ["/chats/demo_sosh4", "/messages", "/messages", "/messages"]
    newest = max(result.posts, key=lambda p: p.published_at)
    assert result.cursor == str(int(newest.published_at.timestamp() * 1000))
    assert newest.views == 690 and newest.url.endswith("AZ000230")


async def test_next_crawl_asks_only_for_messages_since_the_cursor(api: Any, polite_client: object) -> None:
    server = standin(50)
    serve(api, server)
    first = await max_adapter.fetch(channel(), None, context(polite_client))
    server.channels[CHAT].messages[:0] = [message(52), message(51)]
    server.calls.clear()
    second = await max_adapter.fetch(channel(resolved=str(CHAT)), first.cursor, context(polite_client))
    assert {p.external_id for p in second.posts} == {"mid.000052", "mid.000051", "mid.000050"}
    assert [path for path, _ in server.calls] == ["/messages"]
    assert server.calls[0][1]["to"] == first.cursor


async def test_since_is_the_lower_bound(api: Any, polite_client: object) -> None:
    serve(api, standin(50))
    result = await max_adapter.fetch(channel(), None, context(polite_client, since=START + timedelta(hours=40)))
    assert sorted(int(p.external_id[4:]) for p in result.posts) == list(range(40, 51))


async def test_a_chat_id_address_needs_no_lookup(api: Any, polite_client: object) -> None:
    server = standin(3)
    serve(api, server)
    result = await max_adapter.fetch(channel(str(CHAT)), None, context(polite_client))
    assert len(result.posts) == 3 and [path for path, _ in server.calls] == ["/messages"]


async def test_bot_not_added_tells_what_the_institution_must_do(api: Any, polite_client: object) -> None:
    serve(api, standin(3))
    for address in ("demo_sad7", "-70000000000002"):
        with pytest.raises(MaxChannelError, match="Читать все сообщения") as caught:
            await max_adapter.fetch(channel(address), None, context(polite_client))
        assert "администратором" in caught.value.message and not caught.value.permanent


async def test_unknown_channel_fails_permanently(api: Any, polite_client: object) -> None:
    serve(api, standin(3))
    with pytest.raises(MaxChannelError, match="не найден") as caught:
        await max_adapter.fetch(channel("no_such_channel"), None, context(polite_client))
    assert caught.value.permanent


async def test_wrong_token_stops_every_max_channel_of_the_run(api: Any, polite_client: object) -> None:
    server = standin(3)
    serve(api, server)
    ctx = context(polite_client, max_bot_token="wrong")
    for _ in range(2):
        with pytest.raises(MaxChannelError, match="NATMON_MAX_BOT_TOKEN"):
            await max_adapter.fetch(channel(), None, ctx)
    assert len(server.calls) == 1


async def test_missing_token_names_the_variable(api: Any, polite_client: object) -> None:
    with pytest.raises(MaxChannelError, match="NATMON_MAX_BOT_TOKEN"):
        await max_adapter.fetch(channel(), None, context(polite_client, max_bot_token=None))


async def test_429_is_waited_out_by_the_http_policy(api: Any, polite_client: object) -> None:
    server = standin(3)
    server.throttle(1)
    serve(api, server)
    result = await max_adapter.fetch(channel(str(CHAT)), None, context(polite_client))
    assert len(result.posts) == 3 and len(server.calls) == 2


async def test_429_without_end_fails_the_channel_in_russian(api: Any, polite_client: object) -> None:
    server = standin(3)
    server.throttle(100)
    serve(api, server)
    with pytest.raises(MaxChannelError, match="реже обращаться") as caught:
        await max_adapter.fetch(channel(str(CHAT)), None, context(polite_client))
    assert not caught.value.permanent


async def test_the_token_goes_in_the_authorization_header_not_the_url(api: Any, polite_client: object) -> None:
    server = standin(1)
    serve(api, server)
    await max_adapter.fetch(channel(), None, context(polite_client))
    for call in api.calls:
        assert call.request.headers["Authorization"] == TOKEN and TOKEN not in str(call.request.url)


def test_ca_bundle_setting_is_read_and_a_bad_one_is_named(tmp_path: Any) -> None:
    missing = tmp_path / "russian_trusted_root_ca.crt"
    assert from_env(Settings(), {"NATMON_CA_BUNDLE": str(missing)}).http.ca_bundle == str(missing)
    with pytest.raises(HttpError, match="NATMON_CA_BUNDLE") as caught:
        PoliteClient(HttpPolicy(ca_bundle=str(missing)))
    assert str(missing) in caught.value.message
    missing.write_text("это не сертификат", encoding="utf-8")
    with pytest.raises(HttpError, match="PEM"):
        PoliteClient(HttpPolicy(ca_bundle=str(missing)))
