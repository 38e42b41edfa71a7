"""The natmon Telegram bot: notifications to coordinators (`natmon notify`) and commands (`natmon bot`)."""

from __future__ import annotations

from reports.bot.client import BotError, TelegramClient

DEFAULT_DAYS_BEFORE = 2  # a draft is sent this many days before its deadline
PUBLIC_URL_ENV = "NATMON_PUBLIC_URL"  # the web app's address, for links in messages

__all__ = ["BotError", "TelegramClient", "DEFAULT_DAYS_BEFORE", "PUBLIC_URL_ENV"]
