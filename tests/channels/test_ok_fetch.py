"""`channels.ok.fetch` through the real PoliteClient, with the OK API mocked by respx (the OK stand-in)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
import respx

from channels import ok, ok_transport
from channels.base import ChannelRef, ChannelSettings, FetchContext
from channels.ok_errors import OkChannelError
from crawler.demo.ok_standin import OkGroup, OkStandin

API = "https://api.ok.ru/fb.do"
KEY, SECRET, TOKEN = "CBAFAKEKEY", "fake-secret-key-0123", "tkn1.fake-long-token"
GID = "70000001234567"
START = datetime(2025, 1, 10, tzinfo=timezone.utc)
LONG_AGO = datetime(2020, 1, 1, tzinfo=timezone.utc)


def topic(number: int, **extra: Any) -> dict[str, Any]:
    when = START + timedelta(days=number)
    item = {"id": str(155_000_000_000_000 + number), "created_ms": int(when.timestamp() * 1000),
            "owner_ref": f"group:{GID}", "media": [{"type": "text", "text": f"Новость №{number} о жизни школы."}],
            "like_summary": {"count": number}}
    item.update(extra)
    return item


def standin(count: int = 5, **options: Any) -> OkStandin:
    groups = {GID: OkGroup(GID, "shkola4zima", [topic(i) for i in range(count, 0, -1)]),
              "70000009999999": OkGroup("70000009999999", "zakrytaya", [], closed=True)}
    return OkStandin(KEY, SECRET, TOKEN, groups, profiles={"ivanova.maria": "570000000001"}, **options)


@pytest.fixture
def api() -> Any:
    with respx.mock(assert_all_called=False) as router:
        yield router


def serve(router: respx.MockRouter, server: OkStandin) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=server.handle(dict(parse_qsl(request.content.decode()))))

    router.post(API).mock(side_effect=answer)


def context(client: object, since: datetime = LONG_AGO, **settings: Any) -> FetchContext:
    values = {"ok_api_url": API, "ok_application_key": KEY, "ok_secret_key": SECRET, "ok_access_token": TOKEN,
              "ok_rate_limit_wait": 0.0} | settings
    return FetchContext(http=client, since=since, settings=ChannelSettings(**values))  # type: ignore[arg-type]


def channel(address: str = f"https://ok.ru/group/{GID}", resolved: str | None = None) -> ChannelRef:
    return ChannelRef(id=1, kind="ok", address=address, resolved=resolved)


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []

    async def record(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(ok_transport, "_sleep", record)
    return slept


async def test_first_crawl_reads_every_page_signed_and_renews_the_token(api: Any, polite_client: object) -> None:
    server = standin(120)
    serve(api, server)
    result = await ok.fetch(channel(), None, context(polite_client))
    assert len(result.posts) == 120 and len({p.external_id for p in result.posts}) == 120
    assert server.methods() == ["auth.touchSession"] + ["mediatopic.getTopics"] * 3  # 50 + 50 + 20
    assert [form.get("anchor") for method, form in server.calls[1:]] == [None, "50", "100"]
    newest = max(result.posts, key=lambda p: p.published_at)
    assert result.cursor == str(int(newest.published_at.timestamp() * 1000))
    assert result.resolved == GID
    assert newest.url == f"https://ok.ru/group/{GID}/topic/{newest.external_id}" and newest.likes == 120


async def test_next_crawl_stops_at_the_cursor_and_a_run_renews_once(api: Any, polite_client: object) -> None:
    server = standin(120)
    serve(api, server)
    ctx = context(polite_client)
    first = await ok.fetch(channel(), None, ctx)
    server.groups[GID].topics[:0] = [topic(122), topic(121)]
    server.calls.clear()
    second = await ok.fetch(channel(resolved=GID), first.cursor, ctx)
    assert {p.external_id for p in second.posts} == {topic(122)["id"], topic(121)["id"], topic(120)["id"]}
    assert server.methods() == ["mediatopic.getTopics"]  # one page; the token was renewed at the run's start


async def test_since_cuts_older_topics(api: Any, polite_client: object) -> None:
    serve(api, standin(120))
    result = await ok.fetch(channel(), None, context(polite_client, since=START + timedelta(days=100)))
    assert sorted(int(p.external_id) % 1000 for p in result.posts) == list(range(100, 121))


async def test_a_name_is_resolved_with_url_get_info(api: Any, polite_client: object) -> None:
    server = standin(3)
    serve(api, server)
    result = await ok.fetch(channel("https://ok.ru/shkola4zima"), None, context(polite_client))
    assert result.resolved == GID and len(result.posts) == 3
    assert "url.getInfo" in server.methods()
    server.calls.clear()
    await ok.fetch(channel("https://ok.ru/shkola4zima", resolved=GID), None, context(polite_client))
    assert "url.getInfo" not in server.methods()  # kept from the first crawl


@pytest.mark.parametrize(("address", "words"), [
    ("https://ok.ru/nosuchgroup", "группа не найдена"),
    ("https://ok.ru/ivanova.maria", "личный профиль"),
    ("https://ok.ru/group/70000000000042", "такой группы нет"),
    ("https://ok.ru/group/70000009999999", "группа закрыта"),
])
async def test_unknown_or_wrong_groups_fail_permanently(api: Any, polite_client: object, address: str,
                                                        words: str) -> None:
    serve(api, standin(3))
    with pytest.raises(OkChannelError, match=words) as caught:
        await ok.fetch(channel(address), None, context(polite_client))
    assert caught.value.permanent


async def test_expired_token_fails_every_group_of_the_run_naming_the_variable(api: Any,
                                                                               polite_client: object) -> None:
    server = standin(3, expired_tokens=frozenset({TOKEN}))
    serve(api, server)
    ctx = context(polite_client)
    for _ in range(2):
        with pytest.raises(OkChannelError, match="NATMON_OK_ACCESS_TOKEN") as caught:
            await ok.fetch(channel(), None, ctx)
        assert "истёк" in caught.value.message and caught.value.run_wide
    assert server.methods() == ["auth.touchSession"]  # the second group did not ask again


async def test_wrong_secret_is_explained(api: Any, polite_client: object) -> None:
    serve(api, standin(3))
    with pytest.raises(OkChannelError, match="NATMON_OK_SECRET_KEY"):
        await ok.fetch(channel(), None, context(polite_client, ok_secret_key="not-the-secret"))


async def test_missing_credentials_name_the_variables_without_a_request(api: Any, polite_client: object) -> None:
    server = standin(3)
    serve(api, server)
    with pytest.raises(OkChannelError, match="NATMON_OK_SECRET_KEY, NATMON_OK_ACCESS_TOKEN"):
        await ok.fetch(channel(), None, context(polite_client, ok_secret_key=None, ok_access_token=None))
    assert server.calls == []


async def test_method_not_permitted_asks_for_the_permissions(api: Any, polite_client: object) -> None:
    server = standin(3)
    server.inject("mediatopic.getTopics", 10)
    serve(api, server)
    with pytest.raises(OkChannelError, match="GROUP_CONTENT") as caught:
        await ok.fetch(channel(), None, context(polite_client))
    assert "api-support@ok.ru" in caught.value.message


async def test_rate_limit_backs_off_and_goes_on(api: Any, polite_client: object, no_sleep: list[float]) -> None:
    server = standin(3)
    server.inject("mediatopic.getTopics", 8, 8)
    serve(api, server)
    result = await ok.fetch(channel(), None, context(polite_client, ok_rate_limit_wait=30.0))
    assert len(result.posts) == 3
    assert [round(s) for s in no_sleep if s > 1] == [30, 60]  # waits longer each time the platform asks
    assert sum("реже обращаться" in note for note in result.notes) == 2


async def test_rate_limit_that_never_ends_fails_the_channel_only(api: Any, polite_client: object) -> None:
    server = standin(3)
    server.inject("mediatopic.getTopics", 8, 8, 8, 8)
    serve(api, server)
    ctx = context(polite_client)
    with pytest.raises(OkChannelError, match="реже обращаться") as caught:
        await ok.fetch(channel(), None, ctx)
    assert not caught.value.permanent and not caught.value.run_wide
    assert len((await ok.fetch(channel(), None, ctx)).posts) == 3  # the next group of the run is read


async def test_failure_on_a_later_page_keeps_what_was_read(api: Any, polite_client: object) -> None:
    server = standin(120)
    serve(api, server)
    calls = 0

    def flaky(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        form = dict(parse_qsl(request.content.decode()))
        if form.get("anchor") == "50":
            return httpx.Response(200, json={"error_code": 2, "error_msg": "SERVICE : Service is temporary "
                                                                           "unavailable"})
        return httpx.Response(200, json=server.handle(form))

    api.post(API).mock(side_effect=flaky)
    result = await ok.fetch(channel(), "1000", context(polite_client))
    assert len(result.posts) == 50 and result.cursor == "1000"  # the cursor stays: older topics are read next time
    assert any("прервано на странице 2" in note for note in result.notes)
