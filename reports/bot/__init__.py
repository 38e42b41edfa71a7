"""The natmon Telegram bot: notifications to coordinators (`natmon notify`) and commands (`natmon bot`)."""

from __future__ import annotations

DEFAULT_DAYS_BEFORE = 2  # a draft is sent this many days before its deadline
PUBLIC_URL_ENV = "NATMON_PUBLIC_URL"  # the web app's address, for links in messages
TOKEN_ENV = "NATMON_TELEGRAM_BOT_TOKEN"  # the Telegram bot's token (kept light: `natmon notify --help` imports no telegram)

__all__ = ["DEFAULT_DAYS_BEFORE", "PUBLIC_URL_ENV", "TOKEN_ENV"]
