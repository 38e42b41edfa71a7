"""Turn a VK address (`club123` or a screen name) into the owner id `wall.get` needs.

Done once per channel: the crawler keeps the answer (`FetchResult.resolved`) and hands it
back as `ChannelRef.resolved`. Screen names go through `utils.resolveScreenName`; every
community is then checked with `groups.getById`, whose ids from concurrently resolved
channels are gathered into one call (up to 500 ids).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from channels.base import ChannelError
from channels.vk_errors import VkChannelError
from channels.vk_parse import VK_URL, parse_groups, parse_resolved
from channels.vk_tokens import TokenPool

GROUPS_PER_CALL = 500
GROUP_BATCH_WINDOW = 0.05  # seconds the first lookup waits for others to join its groups.getById
NUMERIC_COMMUNITY = re.compile(r"(?:club|public|event)(\d+)")
COMMUNITY_TYPES = frozenset({"group", "page", "event"})
INVALID_PARAMETER = 100
CLOSED_KINDS = {1: "закрытое", 2: "частное"}


_Waiter = tuple[asyncio.Future[Any], list[str]]


def _gone(address: str, why: str) -> ChannelError:
    return ChannelError(f"{VK_URL}/{address}: {why}", url=f"{VK_URL}/{address}", permanent=True)


class GroupLookup:
    """Run-wide batcher of `groups.getById` (kept in `ctx.state["vk_groups"]`)."""

    def __init__(self, pool: TokenPool) -> None:
        self.pool = pool
        self._waiting: dict[int, list[_Waiter]] = {}
        self._flusher: asyncio.Task[None] | None = None

    async def get(self, group_id: int, notes: list[str]) -> dict[str, Any] | None:
        """The community object for `group_id`, or None when VK does not know it."""
        future: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(group_id, []).append((future, notes))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        await asyncio.sleep(GROUP_BATCH_WINDOW)
        while self._waiting:
            ids = list(self._waiting)[:GROUPS_PER_CALL]
            waiters = {i: self._waiting.pop(i) for i in ids}
            if len(ids) == 1:
                await self._one(ids[0], waiters[ids[0]])
                continue
            notes = next(iter(waiters.values()))[0][1]
            try:
                groups = parse_groups(await self.pool.request(
                    "groups.getById", {"group_ids": ",".join(map(str, ids))}, notes))
            except ChannelError:  # one bad id must not fail its neighbours: ask one by one
                await asyncio.gather(*(self._one(i, w) for i, w in waiters.items()))
                continue
            for group_id, futures in waiters.items():
                _settle(futures, groups.get(group_id))

    async def _one(self, group_id: int, waiters: list[_Waiter]) -> None:
        try:
            result: dict[str, Any] | None | ChannelError = parse_groups(await self.pool.request(
                "groups.getById", {"group_ids": str(group_id)}, waiters[0][1])).get(group_id)
        except VkChannelError as exc:
            result = None if exc.code == INVALID_PARAMETER else exc  # VK's answer for an id it does not know
        except ChannelError as exc:
            result = exc
        _settle(waiters, result)


def _settle(waiters: list[_Waiter], result: dict[str, Any] | None | ChannelError) -> None:
    for future, _ in waiters:
        if future.done():
            continue
        if isinstance(result, ChannelError):
            future.set_exception(result)
        else:
            future.set_result(result)


async def resolve(address: str, pool: TokenPool, groups: GroupLookup, notes: list[str]) -> int:
    """The wall owner id (negative) for a community address, or a permanent `ChannelError`."""
    numeric = NUMERIC_COMMUNITY.fullmatch(address)
    if numeric:
        group_id = int(numeric.group(1))
    else:
        found = parse_resolved(await pool.request("utils.resolveScreenName", {"screen_name": address}, notes))
        if found is None:
            raise _gone(address, "такой страницы во ВКонтакте нет; проверьте адрес канала")
        kind, group_id = found
        if kind == "user":
            raise _gone(address, "это личная страница пользователя, а не сообщество; укажите сообщество организации")
        if kind not in COMMUNITY_TYPES:
            raise _gone(address, f"это не сообщество (тип «{kind}»); укажите сообщество организации")
    group = await groups.get(group_id, notes)
    if group is None:
        raise _gone(address, "сообщество не найдено; проверьте адрес канала")
    if group.get("deactivated"):
        state = "заблокировано" if group["deactivated"] == "banned" else "удалено"
        raise _gone(address, f"сообщество {state} ВКонтакте; уберите канал из списка")
    closed = int(group.get("is_closed") or 0)
    if closed in CLOSED_KINDS:
        raise _gone(address, f"{CLOSED_KINDS[closed]} сообщество: его стену видят только участники; "
                             "попросите организацию открыть сообщество или уберите канал из списка")
    return -group_id
