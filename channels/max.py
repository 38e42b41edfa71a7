"""MAX channel adapter: a channel's history through the region's natmon bot (MAX Bot API).

Same inner shape as the other adapters: pure parsers in `channels.max_parse`, the Russian
errors in `channels.max_errors`. The bot reads a channel only once the institution has made
it an administrator with «Читать все сообщения»; then `GET /messages?chat_id=…` returns the
channel's posts newest first. The token goes in the `Authorization` header; the Russian root
certificate the platform uses is trusted through the HTTP policy's CA bundle setting
(`NATMON_CA_BUNDLE`), never by switching verification off.

Addresses are a public name (`https://max.ru/<name>`, kept as `<name>`, resolved once with
`GET /chats/<name>` and kept by the store) or a chat id. The cursor is the `timestamp` (ms)
of the newest message already stored; each page asks for messages not older than it
(`to`) and older than the last page's oldest (`from`).
"""

from __future__ import annotations

from typing import Any

from channels.base import ChannelError, ChannelRef, FetchContext, FetchResult, Post
from channels.max_errors import NOT_ADDED, MaxChannelError, from_http, missing_token
from channels.max_parse import MAX_URL, parse_chat, parse_messages

STATE_KEY = "max"  # run-wide: the error that stops every MAX call (a rejected token)
PAGE_SIZE = 100  # the API's maximum `count`
CHANNEL_TYPE = "channel"
GONE_STATUSES = frozenset({"removed", "left"})

__all__ = ["fetch"]


async def fetch(channel: ChannelRef, cursor: str | None, ctx: FetchContext) -> FetchResult:
    """New posts of one channel since `cursor` (and not before `ctx.since`)."""
    token = ctx.settings.max_bot_token
    if not token:
        raise missing_token()
    broken = ctx.state.get(STATE_KEY)
    if broken is not None:
        raise MaxChannelError(broken.message, status=broken.status, run_wide=True)
    api = ctx.settings.max_api_url.rstrip("/")
    headers = {"Authorization": token}
    notes: list[str] = []
    chat_id = await _chat_id(channel, api, headers, ctx)
    since_ms = int(ctx.since.timestamp() * 1000)
    last_ms = int(cursor) if cursor and cursor.lstrip("-").isdigit() else None
    lower = max(since_ms, last_ms) if last_ms is not None else since_ms
    fallback = f"{MAX_URL}/{channel.address}" if not channel.address.lstrip("-").isdigit() else MAX_URL
    posts: dict[str, Post] = {}
    newest, upper = last_ms, None
    for _ in range(ctx.settings.max_pages):
        params: dict[str, Any] = {"chat_id": chat_id, "count": PAGE_SIZE, "to": lower}
        if upper is not None:
            params["from"] = upper
        answer = await _get(f"{api}/messages", params, headers, channel, ctx)
        page = parse_messages(answer, fallback)
        notes.extend(page.notes)
        fresh = 0
        for message in page.messages:
            newest = message.timestamp if newest is None else max(newest, message.timestamp)
            if message.timestamp >= lower and message.post.external_id not in posts:
                posts[message.post.external_id] = message.post
                fresh += 1
        stamps = [m.timestamp for m in page.messages]
        if len(page.messages) < PAGE_SIZE or not fresh or min(stamps) < lower:
            break
        upper = min(stamps)  # inclusive on both ends: messages of the same millisecond are kept once
    else:
        notes.append(f"MAX: прочитано {ctx.settings.max_pages} страниц канала — предел max_pages; более старые "
                     "сообщения не собраны")
    return FetchResult(list(posts.values()), str(newest) if newest is not None else cursor,
                       resolved=str(chat_id), notes=notes)


async def _chat_id(channel: ChannelRef, api: str, headers: dict[str, str], ctx: FetchContext) -> int:
    """The chat id: kept from an earlier crawl, given as the address, or asked with `GET /chats/<name>`."""
    for known in (channel.resolved, channel.address):
        if known and known.lstrip("-").isdigit():
            return int(known)
    chat = parse_chat(await _get(f"{api}/chats/{channel.address}", None, headers, channel, ctx))
    if chat.type and chat.type != CHANNEL_TYPE:
        kind = "групповой чат" if chat.type == "chat" else f"не канал (тип «{chat.type}»)"
        raise MaxChannelError(f"MAX: {MAX_URL}/{channel.address} — {kind}; укажите канал организации",
                              permanent=True)
    if chat.status in GONE_STATUSES:
        raise MaxChannelError(f"MAX: канал {MAX_URL}/{channel.address}: {NOT_ADDED}")
    return chat.chat_id


async def _get(url: str, params: dict[str, Any] | None, headers: dict[str, str], channel: ChannelRef,
               ctx: FetchContext) -> Any:
    shown = f"{MAX_URL}/{channel.address}" if not channel.address.lstrip("-").isdigit() else channel.address
    try:
        response = await ctx.http.get(url, params=params, headers=headers, robots=False)
    except ChannelError as exc:
        error = from_http(exc, shown)
        if error.run_wide:
            ctx.state[STATE_KEY] = error
        raise error from exc
    try:
        return response.json()
    except ValueError as exc:
        raise MaxChannelError("API MAX ответил не JSON; повторим при следующем обходе") from exc
