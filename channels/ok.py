"""Одноклассники channel adapter: a group's topics read with `mediatopic.getTopics`.

Same inner shape as the other adapters: the pure parsers live in `channels.ok_parse`, error
codes in `channels.ok_errors`, signing and the run-wide session in `channels.ok_transport`.
This module resolves a group address once and follows the pagination of one group.

Addresses are `https://ok.ru/group/<id>` (the id is the group id) or `https://ok.ru/<name>`
(resolved with `url.getInfo`, kept by the store as `resolved`). The cursor is the
`created_ms` of the newest topic already stored. Pages come newest first and are followed
with the answer's `anchor` while `has_more`; paging stops at the first page whose oldest
topic is not newer than the cursor or older than `ctx.since` (a pinned old topic at the top
of a page does not stop it).
"""

from __future__ import annotations

import re

from channels.base import ChannelRef, FetchContext, FetchResult, Post
from channels.ok_errors import OkChannelError
from channels.ok_parse import OK_URL, parse_topics, parse_url_info
from channels.ok_transport import OkSession

TOPICS_METHOD = "mediatopic.getTopics"
PAGE_SIZE = 50
TOPIC_FIELDS = "media_topic.*"
GROUP_ADDRESS = re.compile(r"^https://ok\.ru/group/(\d+)$")

__all__ = ["fetch"]


async def fetch(channel: ChannelRef, cursor: str | None, ctx: FetchContext) -> FetchResult:
    """New topics of one group since `cursor` (and not before `ctx.since`)."""
    session = OkSession.of(ctx)
    notes: list[str] = []
    group_id = await resolve(channel, session, notes)
    since_ms = int(ctx.since.timestamp() * 1000)
    last_ms = _cursor_ms(cursor, notes)
    posts: dict[str, Post] = {}
    anchor: str | None = None
    newest = last_ms
    for number in range(ctx.settings.max_pages):
        values = {"gid": group_id, "count": PAGE_SIZE, "fields": TOPIC_FIELDS}
        if anchor:
            values["anchor"] = anchor
        try:
            page = parse_topics(await session.call(TOPICS_METHOD, values, notes), group_id)
        except OkChannelError as exc:
            if exc.run_wide or exc.permanent or not posts:
                raise
            notes.append(f"Одноклассники: чтение группы прервано на странице {number + 1}: {exc.message}; "
                         "найденные темы сохранены, курсор не сдвинут")
            return FetchResult(list(posts.values()), cursor, resolved=group_id, notes=notes)
        notes.extend(page.notes)
        for post in page.topics:
            stamp = int(post.published_at.timestamp() * 1000)
            newest = stamp if newest is None else max(newest, stamp)
            if stamp >= since_ms and (last_ms is None or stamp >= last_ms):
                posts.setdefault(post.external_id, post)
        oldest = page.topics[-1] if page.topics else None
        reached_old = oldest is not None and (oldest.published_at.timestamp() * 1000 < since_ms or (
            last_ms is not None and oldest.published_at.timestamp() * 1000 <= last_ms))
        if reached_old or not page.has_more or not page.topics:
            break
        anchor = page.anchor
    else:
        notes.append(f"Одноклассники: прочитано {ctx.settings.max_pages} страниц тем — предел max_pages; более "
                     "старые темы не собраны")
    return FetchResult(list(posts.values()), str(newest) if newest is not None else cursor, resolved=group_id,
                       notes=notes)


async def resolve(channel: ChannelRef, session: OkSession, notes: list[str]) -> str:
    """The group id: kept from an earlier crawl, read from the address, or asked with `url.getInfo`."""
    if channel.resolved and channel.resolved.isdigit():
        return channel.resolved
    numeric = GROUP_ADDRESS.match(channel.address)
    if numeric:
        return numeric.group(1)
    found = parse_url_info(await session.call("url.getInfo", {"url": channel.address}, notes))
    if found is None:
        raise OkChannelError(f"Одноклассники: {channel.address} — такой страницы нет; проверьте адрес канала",
                             permanent=True)
    kind, object_id = found
    if kind != "GROUP":
        what = "личный профиль" if kind in ("PROFILE", "USER") else f"не группа (тип «{kind}»)"
        raise OkChannelError(f"Одноклассники: {channel.address} — {what}; укажите группу организации "
                             f"({OK_URL}/group/<номер> или {OK_URL}/<имя группы>)", permanent=True)
    return object_id


def _cursor_ms(cursor: str | None, notes: list[str]) -> int | None:
    if not cursor:
        return None
    if cursor.isdigit():
        return int(cursor)
    notes.append(f"Одноклассники: курсор «{cursor}» не понят; группа прочитана до даты начала обхода")
    return None
