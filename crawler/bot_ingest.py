"""Posts of channels where the natmon bot is an administrator, stored like crawled ones.

Telegram keeps a bot's updates for 24 hours only, so the nightly job drains them on every run,
unless `natmon bot` runs as a service: then it stores them as they come (and answers commands),
and the job leaves getUpdates to it, since two readers of one bot's updates conflict. The update
offset is stored only after the posts are, so a crash repeats updates instead of losing them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from channels.base import ChannelError, ChannelSettings, Post
from channels.telegram_bot import fetch_bot_updates, post_from_update
from crawler.store import Store, utcnow

OFFSET_KEY = "telegram_bot_offset"
POLLING_KEY = "telegram_bot_polling_at"  # set by `natmon bot` on every round of getUpdates
POLLING_FRESH = timedelta(minutes=5)  # a bot service seen this recently owns the updates


@dataclass(slots=True)
class BotIngest:
    stored: int = 0
    notes: list[str] = field(default_factory=list)


def store_updates(store: Store, updates: list[dict]) -> BotIngest:
    """Save channel posts from Bot API updates under the registry's channel of the same name or id."""
    telegram_channels = {target.ref.address: target.ref.id for target in store.crawl_targets(kind="telegram")}
    result = BotIngest()
    by_channel: dict[int, list[Post]] = {}
    for update in updates:
        parsed = post_from_update(update)
        if parsed is None:
            continue
        chat, post, _edited = parsed
        channel_id = telegram_channels.get(chat.lower())
        if channel_id is None:
            result.notes.append(f"Telegram-бот: пост из канала «{chat}», которого нет в sources.yaml, не сохранён")
            continue
        by_channel.setdefault(channel_id, []).append(post)
    for channel_id, posts in by_channel.items():
        saved = store.save_posts(channel_id, posts)
        result.stored += len(saved.new) + len(saved.changed)
    return result


def mark_bot_polling(store: Store) -> None:
    """Called by the `natmon bot` loop: while it runs, the nightly job leaves getUpdates to it."""
    store.set_state(POLLING_KEY, utcnow().isoformat())


def bot_service_running(store: Store) -> bool:
    seen = store.get_state(POLLING_KEY)
    return seen is not None and utcnow() - datetime.fromisoformat(seen) < POLLING_FRESH


async def ingest_bot_updates(store: Store, settings: ChannelSettings) -> BotIngest:
    """Fetch pending channel posts from the Bot API and store them; a no-op without a bot token."""
    if not settings.telegram_bot_token or bot_service_running(store):
        return BotIngest()  # no bot, or `natmon bot` stores the channel posts as they come
    offset = store.get_state(OFFSET_KEY)
    try:
        updates, next_offset = await fetch_bot_updates(settings.telegram_bot_token, offset,
                                                       base_url=settings.telegram_bot_api_url,
                                                       max_bytes=settings.api_max_bytes)
    except ChannelError as exc:
        return BotIngest(notes=[exc.message])
    result = store_updates(store, updates)
    if next_offset is not None and next_offset != offset:
        store.set_state(OFFSET_KEY, next_offset)
    return result
