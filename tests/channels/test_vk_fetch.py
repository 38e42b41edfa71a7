"""`channels.vk.fetch` end to end: vk_api over HTTP to the VK stand-in on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pytest

from channels import vk
from channels.base import ChannelError, ChannelRef, ChannelSettings, FetchContext
from crawler.demo.vk_standin import VkStandin, serve_vk

T1, T2 = "vk1.a.first-secret-token", "vk1.a.second-secret-token"
EPOCH = 1_726_000_000  # 2024-09-10
LONG_AGO = datetime(2020, 1, 1, tzinfo=timezone.utc)


def post(owner: int, post_id: int, **extra: Any) -> dict[str, Any]:
    item = {"id": post_id, "owner_id": owner, "from_id": owner, "date": EPOCH + post_id * 3600, "post_type": "post",
            "text": f"Новость №{post_id}: в школе прошёл урок по проекту «Образование»", "attachments": [],
            "views": {"count": post_id * 10}, "likes": {"count": post_id}}
    item.update(extra)
    return item


def wall_of(owner: int, newest: int) -> list[dict[str, Any]]:
    return [post(owner, i) for i in range(newest, 0, -1)]


GROUPS = {
    "school5": {"id": 5, "name": "Школа №5", "screen_name": "school5", "is_closed": 0, "type": "group"},
    "club6": {"id": 6, "name": "Детский сад «Солнышко»", "screen_name": "club6", "is_closed": 0, "type": "page"},
    "lyceum7": {"id": 7, "name": "Лицей №7", "screen_name": "lyceum7", "is_closed": 1, "type": "group"},
    "gone8": {"id": 8, "name": "DELETED", "screen_name": "club8", "is_closed": 0, "type": "group",
              "deactivated": "deleted"},
    "gymnasium9": {"id": 9, "name": "Гимназия №9", "screen_name": "gymnasium9", "is_closed": 0, "type": "group"},
    "ivanova": {"id": 100, "type": "user"},
}


@dataclass
class VkWorld:
    standin: VkStandin
    url: str

    def context(self, tokens: tuple[str, ...] = (T1,), **settings: Any) -> FetchContext:
        values = {"vk_api_url": self.url, "vk_tokens": tokens, "vk_requests_per_second": 100.0} | settings
        ctx = FetchContext(http=None, since=LONG_AGO, settings=ChannelSettings(**values))  # type: ignore[arg-type]
        if tokens:
            vk.token_pool(ctx)[0].retry_wait = 0.01
        return ctx

    def methods(self) -> list[str]:
        return [method for method, _ in self.standin.calls]


@pytest.fixture
def world() -> Iterator[VkWorld]:
    standin = VkStandin({-5: wall_of(-5, 350), -6: wall_of(-6, 30), -7: wall_of(-7, 3),
                         -9: wall_of(-9, 3)}, GROUPS, rps_limit=None,
                        valid_tokens={T1, T2})
    server, url = serve_vk(standin)
    try:
        yield VkWorld(standin, url)
    finally:
        server.shutdown()
        server.server_close()


def channel(address: str, resolved: str | None = None) -> ChannelRef:
    return ChannelRef(id=1, kind="vk", address=address, resolved=resolved)


async def test_first_crawl_reads_the_whole_wall_and_keeps_the_owner_id(world: VkWorld) -> None:
    result = await vk.fetch(channel("school5"), None, world.context())
    assert len(result.posts) == 350 and result.cursor == "350" and result.resolved == "-5"
    assert result.posts[0].url == "https://vk.com/wall-5_350"
    assert result.posts[0].published_at.tzinfo is not None and result.notes == []
    # resolve, check the community, page 1 alone, then pages 2–3 together, then page 4.
    assert world.methods() == ["utils.resolveScreenName", "groups.getById", "wall.get", "execute", "wall.get"]


async def test_next_crawl_uses_the_kept_owner_id_and_stops_at_the_cursor(world: VkWorld) -> None:
    world.standin.walls[-6].insert(0, post(-6, 31))
    world.standin.walls[-6].insert(0, post(-6, 2, is_pinned=1, date=EPOCH))  # an old pinned post comes first
    result = await vk.fetch(channel("club6", resolved="-6"), "29", world.context())
    assert [p.external_id for p in result.posts] == ["31", "30"]
    assert result.cursor == "31"
    assert world.methods() == ["wall.get"]


async def test_pinned_new_post_is_kept_and_does_not_stop_paging(world: VkWorld) -> None:
    world.standin.walls[-6][5]["is_pinned"] = 1  # post 25 pinned, shown first
    result = await vk.fetch(channel("club6", resolved="-6"), "20", world.context())
    assert sorted(int(p.external_id) for p in result.posts) == list(range(21, 31))


async def test_since_stops_paging(world: VkWorld) -> None:
    ctx = world.context()
    ctx.since = datetime.fromtimestamp(EPOCH + 251 * 3600, tz=timezone.utc)
    result = await vk.fetch(channel("club5", resolved="-5"), None, ctx)
    assert [p.external_id for p in result.posts][-1] == "251" and len(result.posts) == 100
    assert world.methods() == ["wall.get", "execute"]


async def test_nothing_new_keeps_the_cursor(world: VkWorld) -> None:
    result = await vk.fetch(channel("club9", resolved="-9"), "3", world.context())
    assert (result.posts, result.cursor) == ([], "3")


@pytest.mark.parametrize(("address", "words"), [
    ("ivanova", "личная страница пользователя"),
    ("lyceum7", "закрытое сообщество"),
    ("gone8", "сообщество удалено"),
    ("nosuchschool", "такой страницы во ВКонтакте нет"),
    ("club999", "сообщество не найдено"),
    ("club8", "сообщество удалено"),
])
async def test_addresses_that_are_not_open_communities_fail_permanently(world: VkWorld, address: str,
                                                                        words: str) -> None:
    with pytest.raises(ChannelError, match=words) as caught:
        await vk.fetch(channel(address), None, world.context())
    assert caught.value.permanent


async def test_concurrent_channels_share_one_groups_get_by_id_and_one_execute(world: VkWorld) -> None:
    ctx = world.context()
    results = await asyncio.gather(vk.fetch(channel("school5"), "349", ctx), vk.fetch(channel("club6"), "29", ctx),
                                   vk.fetch(channel("lyceum7"), None, ctx), return_exceptions=True)
    assert [p.external_id for p in results[0].posts] == ["350"]  # type: ignore[union-attr]
    assert [p.external_id for p in results[1].posts] == ["30"]  # type: ignore[union-attr]
    assert isinstance(results[2], ChannelError) and results[2].permanent
    gets = [params["group_ids"] for method, params in world.standin.calls if method == "groups.getById"]
    assert len(gets) == 1 and sorted(gets[0].split(",")) == ["5", "6", "7"]
    # both screen names resolved in one execute, the three walls read in another
    assert world.methods() == ["execute", "groups.getById", "execute"]


async def test_service_token_never_calls_execute(world: VkWorld) -> None:
    world.standin.service_tokens = frozenset({T1})
    result = await vk.fetch(channel("club5", resolved="-5"), None, world.context(tokens=("service:" + T1,)))
    assert len(result.posts) == 350
    assert world.methods() == ["wall.get"] * 4


async def test_token_that_cannot_execute_falls_back_and_the_pool_remembers(world: VkWorld) -> None:
    world.standin.service_tokens = frozenset({T1})
    ctx = world.context()
    first = await vk.fetch(channel("club5", resolved="-5"), None, ctx)
    second = await vk.fetch(channel("club5", resolved="-5"), None, ctx)
    assert len(first.posts) == len(second.posts) == 350
    assert first.notes == ["токен №1: не может вызывать execute (ошибка 28); дальше запросы по одному"]
    assert world.methods() == ["wall.get", "execute", "wall.get", "wall.get", "wall.get"] + ["wall.get"] * 4


async def test_revoked_token_is_disabled_and_the_next_one_serves(world: VkWorld) -> None:
    world.standin.valid_tokens = {T2}
    result = await vk.fetch(channel("club6", resolved="-6"), None, world.context(tokens=(T1, T2)))
    assert len(result.posts) == 30
    assert len(result.notes) == 1 and result.notes[0].startswith("токен №1: ВКонтакте отклонил токен (ошибка 5")
    assert T1 not in result.notes[0] and T2 not in result.notes[0]


async def test_daily_quota_moves_to_the_next_token_then_stops(world: VkWorld) -> None:
    world.standin.daily_quota = 2
    world.standin.wall_get_used[T1] = 2  # token 1 spent its day elsewhere
    ctx = world.context(tokens=(T1, T2))
    first = await vk.fetch(channel("club6", resolved="-6"), None, ctx)  # token 1 answers 29, token 2 serves
    assert len(first.posts) == 30
    assert any(n.startswith("токен №1: дневная квота wall.get исчерпана") for n in first.notes)
    await vk.fetch(channel("club9", resolved="-9"), None, ctx)
    with pytest.raises(ChannelError, match="исчерпана у всех токенов") as caught:
        await vk.fetch(channel("club9", resolved="-9"), None, ctx)
    assert not caught.value.permanent
    assert world.standin.errors == [29, 29]


async def test_configured_quota_is_counted_without_asking_vk(world: VkWorld) -> None:
    ctx = world.context(vk_daily_wall_get_quota=2)
    result = await vk.fetch(channel("club5", resolved="-5"), None, ctx)
    # two wall.get calls allowed: the rest of the wall waits for tomorrow, the cursor stays
    assert len(result.posts) == 200 and result.cursor is None
    assert "исчерпана у всех токенов" in result.notes[-1] and "курсор не сдвинут" in result.notes[-1]
    assert world.standin.errors == []


async def test_too_many_requests_and_server_errors_are_retried(world: VkWorld) -> None:
    world.standin.inject("wall.get", 6, 10, 1)
    result = await vk.fetch(channel("club9", resolved="-9"), None, world.context())
    assert len(result.posts) == 3 and world.methods() == ["wall.get"] * 4


@pytest.mark.parametrize(("code", "permanent"), [(15, True), (18, True), (30, True), (100, True), (113, True),
                                                 (10, False)])
async def test_wall_errors_are_recorded_on_the_channel_only(world: VkWorld, code: int, permanent: bool) -> None:
    world.standin.inject("wall.get", code, code, code, owner_id=-6)
    ctx = world.context()
    failed, healthy = await asyncio.gather(vk.fetch(channel("club6", resolved="-6"), None, ctx),
                                           vk.fetch(channel("club9", resolved="-9"), None, ctx),
                                           return_exceptions=True)
    assert isinstance(failed, ChannelError) and failed.permanent is permanent
    assert str(code) in failed.message and not isinstance(healthy, BaseException)


async def test_closed_wall_answers_15_permanently(world: VkWorld) -> None:
    with pytest.raises(ChannelError, match="нет доступа к стене") as caught:
        await vk.fetch(channel("lyceum7", resolved="-7"), None, world.context())
    assert caught.value.permanent


async def test_failure_after_the_first_page_keeps_posts_and_the_cursor(world: VkWorld) -> None:
    world.standin.inject("execute", 10, 10, 10)
    result = await vk.fetch(channel("club5", resolved="-5"), "10", world.context())
    assert len(result.posts) == 100 and result.cursor == "10"
    assert "курсор не сдвинут" in result.notes[-1]


async def test_no_tokens_names_the_variable(world: VkWorld) -> None:
    with pytest.raises(ChannelError, match="NATMON_VK_TOKENS"):
        await vk.fetch(channel("club6", resolved="-6"), None, world.context(tokens=()))


async def test_rate_limit_is_kept_per_token(world: VkWorld) -> None:
    owners = range(100, 115)
    world.standin.walls.update({-n: wall_of(-n, 2) for n in owners})
    world.standin.rps_limit = 10
    world.standin.service_tokens = frozenset({T1})
    ctx = world.context(tokens=("service:" + T1,), vk_requests_per_second=10.0)
    # 15 single calls at once: more than 10 in a second without the limiter
    await asyncio.gather(*(vk.fetch(channel(f"club{n}", resolved=f"-{n}"), None, ctx) for n in owners))
    assert world.standin.errors == [] and len(world.standin.calls) == 15


async def test_secrets_stay_out_of_state_and_errors(world: VkWorld) -> None:
    world.standin.valid_tokens = set()
    ctx = world.context(tokens=(T1, T2))
    with pytest.raises(ChannelError) as caught:
        await vk.fetch(channel("club6", resolved="-6"), None, ctx)
    shown = " ".join([caught.value.message, repr(caught.value), repr(ctx.state), repr(ctx.state["vk"].tokens)])
    assert T1 not in shown and T2 not in shown
    assert "токен №1" in caught.value.message and "токен №2" in caught.value.message


async def test_max_pages_guard_stops_with_a_note(world: VkWorld) -> None:
    result = await vk.fetch(channel("club5", resolved="-5"), None, world.context(max_pages=2))
    assert len(result.posts) == 200 and result.cursor == "350"
    assert result.notes == ["прочитано 2 страниц стены (200 записей) — предел max_pages; более старые записи "
                            "не собраны"]


async def test_unreadable_cursor_and_resolution_are_noted_and_redone(world: VkWorld) -> None:
    result = await vk.fetch(channel("club6", resolved="группа"), "вчера", world.context())
    assert len(result.posts) == 30 and result.resolved == "-6"
    assert [n.split(";")[0] for n in result.notes] == ["сохранённый идентификатор стены «группа» не понят",
                                                       "курсор «вчера» не понят"]


class _IgnoresCount(VkStandin):
    """A hostile stand-in: wall.get answers the whole wall whatever `count` asks."""

    def _wall_get(self, params: dict[str, Any]) -> dict[str, Any]:
        answer = super()._wall_get({**params, "count": 100})
        items = self.walls.get(int(params.get("owner_id") or 0), [])
        answer["response"]["items"] = items[int(params.get("offset") or 0):]
        return answer


async def test_a_wall_answer_with_more_items_than_asked_fails_the_channel() -> None:
    standin = _IgnoresCount({-5: wall_of(-5, 1000)}, GROUPS, rps_limit=None, valid_tokens={T1})
    server, url = serve_vk(standin)
    try:
        world = VkWorld(standin, url)
        with pytest.raises(ChannelError) as caught:
            await vk.fetch(channel("school5", resolved="-5"), None, world.context())
    finally:
        server.shutdown()
        server.server_close()
    assert "вернул 1000 записей стены на запрос не более 100" in caught.value.message
