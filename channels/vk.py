"""VK channel adapter: a community wall read with `wall.get` through vk_api.

Same inner shape as the other adapters: the pure parsers live in `channels.vk_parse`,
error codes in `channels.vk_errors`, the vk_api boundary in `channels.vk_transport`, the
run-wide token pool in `channels.vk_tokens`, and name resolution in `channels.vk_resolve`.
This module only follows the pagination of one wall.

The cursor is the largest post id already stored, as a string. Post ids on a wall grow
with time, so paging (newest first, `offset` += 100) stops at the first non-pinned post
whose id is not above the cursor or whose date is before `ctx.since`. A pinned post comes
first whatever its age and never stops paging.
"""

from __future__ import annotations

import asyncio
from typing import Any

from channels.base import ChannelError, ChannelRef, FetchContext, FetchResult, Post
from channels.vk_parse import parse_wall
from channels.vk_resolve import GroupLookup, resolve
from channels.vk_tokens import TokenPool, no_tokens_error

STATE_KEY = "vk"
GROUPS_STATE_KEY = "vk_groups"
PAGE_SIZE = 100  # wall.get's maximum `count`
MAX_PAGES_AT_ONCE = 25  # pages asked for together; grows 1, 2, 4 … so a short read costs little quota

__all__ = ["fetch", "token_pool"]


USED_TODAY_KEY = "vk_wall_get_used_today"  # set by the crawler from the store: {fingerprint: calls}


def token_pool(ctx: FetchContext) -> tuple[TokenPool, GroupLookup]:
    """The run-wide token pool and group lookup, created on first use."""
    pool = ctx.state.get(STATE_KEY)
    if pool is None:
        pool = ctx.state[STATE_KEY] = TokenPool(ctx.settings, ctx.state.get(USED_TODAY_KEY))
    groups = ctx.state.get(GROUPS_STATE_KEY)
    if groups is None:
        groups = ctx.state[GROUPS_STATE_KEY] = GroupLookup(pool)
    return pool, groups


async def fetch(channel: ChannelRef, cursor: str | None, ctx: FetchContext) -> FetchResult:
    """New posts of one community wall since `cursor` (and not before `ctx.since`)."""
    if not ctx.settings.vk_tokens:
        raise no_tokens_error()
    pool, groups = token_pool(ctx)
    notes: list[str] = []
    owner_id = _known_owner(channel, notes)
    if owner_id is None:
        owner_id = await resolve(channel.address, pool, groups, notes)
    last_id = _cursor_id(cursor, notes)
    posts, complete = await _read_wall(owner_id, last_id, ctx, pool, notes)
    ids = [int(p.external_id) for p in posts]
    if last_id is not None:
        ids.append(last_id)
    if not complete:
        new_cursor = cursor  # older posts were not reached: read them again next time
    else:
        new_cursor = str(max(ids)) if ids else cursor
    return FetchResult(posts=posts, cursor=new_cursor, resolved=str(owner_id), notes=notes)


def _known_owner(channel: ChannelRef, notes: list[str]) -> int | None:
    if not channel.resolved:
        return None
    try:
        return int(channel.resolved)
    except ValueError:
        notes.append(f"сохранённый идентификатор стены «{channel.resolved}» не понят; адрес определён заново")
        return None


def _cursor_id(cursor: str | None, notes: list[str]) -> int | None:
    if not cursor:
        return None
    try:
        return int(cursor)
    except ValueError:
        notes.append(f"курсор «{cursor}» не понят; стена прочитана до даты начала обхода")
        return None


async def _read_wall(owner_id: int, last_id: int | None, ctx: FetchContext, pool: TokenPool,
                     notes: list[str]) -> tuple[list[Post], bool]:
    """Page through the wall; return the new posts and whether the old end was reached."""
    found: dict[int, Post] = {}
    offset, width, pages, total = 0, 1, 0, None
    while True:
        offsets = [offset + i * PAGE_SIZE for i in range(width) if total is None or offset + i * PAGE_SIZE < total]
        answers = await asyncio.gather(*(pool.request("wall.get", _params(owner_id, o), notes) for o in offsets),
                                       return_exceptions=True)
        reached_old = False
        for page_offset, answer in zip(offsets, answers):
            if isinstance(answer, BaseException):
                return _interrupted(answer, page_offset, found, notes)
            page = parse_wall(answer, owner_id)
            if len(page.items) > PAGE_SIZE:  # a real API never does this; a hostile one fills the memory
                raise ChannelError(f"ВКонтакте вернул {len(page.items)} записей стены на запрос не более "
                                   f"{PAGE_SIZE}: ответ не похож на ответ API; канал пропущен, данные не сохранены")
            notes.extend(page.notes)
            total = page.count
            for item in page.items:
                if (last_id is not None and item.post_id <= last_id) or item.post.published_at < ctx.since:
                    reached_old = reached_old or not item.pinned
                else:
                    found.setdefault(item.post_id, item.post)
            if not page.items:
                reached_old = True
        pages += len(offsets)
        offset += len(offsets) * PAGE_SIZE
        if reached_old or total is None or offset >= total:
            return list(found.values()), True
        if pages >= ctx.settings.max_pages:
            notes.append(f"прочитано {pages} страниц стены ({offset} записей) — предел max_pages; более старые "
                         "записи не собраны")
            return list(found.values()), True
        width = min(width * 2, MAX_PAGES_AT_ONCE, ctx.settings.max_pages - pages)


def _params(owner_id: int, offset: int) -> dict[str, Any]:
    return {"owner_id": owner_id, "offset": offset, "count": PAGE_SIZE}


def _interrupted(error: BaseException, offset: int, found: dict[int, Post],
                 notes: list[str]) -> tuple[list[Post], bool]:
    """A page failed: permanent errors and failures on the first page end the channel's crawl;
    otherwise keep what was read and leave the cursor where it was."""
    if not isinstance(error, ChannelError):
        raise error
    if error.permanent or not found:
        raise error
    notes.append(f"чтение стены прервано на записи {offset}: {error.message}; найденные записи сохранены, "
                 "курсор не сдвинут")
    return list(found.values()), False

