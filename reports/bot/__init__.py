"""The natmon Telegram bot: notifications to coordinators (`natmon notify`) and commands (`natmon bot`)."""

from __future__ import annotations

from reports.bot.client import BotError, TelegramClient

__all__ = ["BotError", "TelegramClient"]
