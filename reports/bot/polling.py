"""`natmon bot`: long polling that answers /status and /report for a coordinator's municipality.

A chat is identified by its id (`users.telegram_chat_id`); any other chat gets a polite refusal.
Because this loop consumes getUpdates, it also stores the posts of channels where the bot is
an administrator (`crawler.bot_ingest.store_updates`) and keeps the update offset under
`crawler.bot_ingest.OFFSET_KEY`, saved only after the updates are handled.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from crawler.bot_ingest import OFFSET_KEY, mark_bot_polling, store_updates
from crawler.registry import Registry, SourcesError
from crawler.store import Store
from reports import ReportError
from reports.api import file_name, resolve, today_in, write_draft
from reports.bot.client import POLL_TIMEOUT, BotError, TelegramClient
from reports.coverage import municipality_coverage
from reports.data import load
from reports.notify import draft_caption, review_link, status_lines
from reports.users import User, user_by_chat

ALLOWED_UPDATES = ["message", "channel_post", "edited_channel_post"]
CHANNEL_KEYS = ("channel_post", "edited_channel_post")
BACKOFF_START, BACKOFF_MAX = 2.0, 60.0
HELP = ("Команды natmon:\n/status — сводка по вашему муниципалитету за текущий отчётный период\n"
        "/report — черновик отчёта (xlsx) за текущий период")
REFUSAL = ("Здравствуйте! Этот чат не связан ни с одним координатором natmon, поэтому сведений здесь нет. "
           "Если вы координатор муниципалитета, попросите оператора регионального центра указать ваш чат "
           "(номер {chat}) в natmon.")
OPERATOR_NOTE = "Команды бота работают для координаторов муниципалитетов; сводка по региону — в веб-приложении."

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PollResult:
    answered: int = 0
    stored_posts: int = 0
    notes: list[str] = field(default_factory=list)


def command_of(text: str) -> str:
    """«/status@natmon_bot args» → «/status»."""
    first = text.strip().split(maxsplit=1)[0] if text.strip() else ""
    return first.split("@", 1)[0].lower()


async def answer(store: Store, registry: Registry, client: TelegramClient, message: dict[str, Any], today: date,
                 public_url: str | None) -> bool:
    """Reply to one private or group message; False when it needs no reply."""
    text = str(message.get("text") or "")
    chat = message.get("chat", {}).get("id")
    if chat is None or not text.startswith("/"):
        return False
    user = user_by_chat(store, chat)
    if user is None:
        await client.send_message(chat, REFUSAL.format(chat=chat))
        return True
    if user.is_operator or user.municipality is None:
        await client.send_message(chat, OPERATOR_NOTE)
        return True
    command = command_of(text)
    try:
        if command == "/status":
            await client.send_message(chat, _status(store, registry, user, today, public_url))
        elif command == "/report":
            await _report(store, registry, client, user, today, public_url)
        else:
            await client.send_message(chat, HELP)
    except (ReportError, SourcesError) as exc:
        message = exc.message if isinstance(exc, ReportError) else exc.render()
        await client.send_message(chat, f"Не получилось: {message}")
    return True


def _status(store: Store, registry: Registry, user: User, today: date, public_url: str | None) -> str:
    found, period = resolve(registry, None, None, today)
    cov = municipality_coverage(load(store, registry, found), user.municipality or "", period)
    link = review_link(public_url, user, found, period)
    return "\n".join([f"{cov.municipality}, {today:%d.%m.%Y}", *status_lines(cov)] + ([f"Проверить: {link}"]
                                                                                       if link else []))


async def _report(store: Store, registry: Registry, client: TelegramClient, user: User, today: date,
                  public_url: str | None) -> None:
    found, period = resolve(registry, None, None, today)
    data = load(store, registry, found)
    cov = municipality_coverage(data, user.municipality or "", period)
    with tempfile.TemporaryDirectory(prefix="natmon-bot-") as folder:
        path = write_draft(store, registry, found, cov.municipality, period,
                           Path(folder) / file_name("draft", cov.municipality, period, "xlsx"), data=data)
        await client.send_document(user.telegram_chat_id or "", path,
                                   draft_caption(cov, review_link(public_url, user, found, period),
                                                 max((period.deadline - today).days, 0)))


async def poll_once(store: Store, registry: Registry, client: TelegramClient, *, timeout: int = POLL_TIMEOUT,
                    today: date | None = None, public_url: str | None = None) -> PollResult:
    """One getUpdates round: store channel posts, answer commands, then move the offset."""
    mark_bot_polling(store)
    offset = store.get_state(OFFSET_KEY)
    updates = await client.get_updates(offset, timeout, ALLOWED_UPDATES)
    result = PollResult()
    if not updates:
        return result
    posts = [update for update in updates if any(key in update for key in CHANNEL_KEYS)]
    if posts:
        ingest = store_updates(store, posts)
        result.stored_posts, result.notes = ingest.stored, ingest.notes
    day = today or today_in(registry)
    for update in updates:
        if "message" not in update:
            continue
        try:
            result.answered += await answer(store, registry, client, update["message"], day, public_url)
        except BotError as exc:
            if exc.fatal:
                raise
            result.notes.append(f"ответ в чат {update['message'].get('chat', {}).get('id')}: {exc.message}")
    store.set_state(OFFSET_KEY, max(int(update["update_id"]) for update in updates) + 1)
    return result


async def run(store: Store, registry: Registry, client: TelegramClient, *, public_url: str | None = None,
              stop: asyncio.Event | None = None, report: Callable[[str], None] = log.warning,
              backoff: float = BACKOFF_START) -> None:
    """Poll until `stop` is set; network trouble waits and retries, a rejected token ends the loop."""
    stop = stop or asyncio.Event()
    delay = backoff
    while not stop.is_set():
        try:
            result = await poll_once(store, registry, client, public_url=public_url)
        except BotError as exc:
            if exc.fatal:
                raise
            wait = exc.retry_after or delay
            report(f"Telegram-бот: {exc.message}; повтор через {wait:.0f} с")
            delay = min(delay * 2, BACKOFF_MAX)
            try:
                await asyncio.wait_for(stop.wait(), timeout=wait)
            except TimeoutError:
                pass
            continue
        delay = backoff
        for note in result.notes:
            report(note)


__all__ = ["poll_once", "run", "answer", "command_of", "PollResult", "ALLOWED_UPDATES", "REFUSAL", "HELP"]
