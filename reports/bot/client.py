"""The one place natmon talks to the Telegram Bot API (through python-telegram-bot).

python-telegram-bot's errors are translated here into `BotError` with a Russian message; the
token never appears in a message or a log line (the `telegram` and `httpx` loggers, which
would print request URLs containing it, are kept at WARNING).
"""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from reports.bot import TOKEN_ENV

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
QUIET_LOGGERS = ("telegram", "httpx", "httpcore")
POLL_TIMEOUT = 30  # seconds a getUpdates call waits for updates


def quiet_loggers() -> None:
    """Request URLs contain the token: keep the libraries that log them at WARNING."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


class BotError(Exception):
    """A Bot API call failed; the message is Russian. `fatal`: no later call will do better
    (bad token); `chat`: only this chat is affected (the bot was blocked or the chat is gone)."""

    def __init__(self, message: str, *, fatal: bool = False, chat: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.fatal = fatal
        self.chat = chat
        self.retry_after = retry_after


class TelegramClient:
    """An async context manager around one `telegram.Bot`; no getMe call is made."""

    def __init__(self, token: str, base_url: str | None = None) -> None:
        if not token:
            raise BotError(f"Не задан токен бота: переменная окружения {TOKEN_ENV}", fatal=True)
        quiet_loggers()
        self._requests = (HTTPXRequest(), HTTPXRequest(read_timeout=POLL_TIMEOUT + 10))
        self._bot = Bot(token, base_url=base_url or DEFAULT_BASE_URL, request=self._requests[0],
                        get_updates_request=self._requests[1])

    async def __aenter__(self) -> TelegramClient:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        for request in self._requests:
            await request.shutdown()

    async def get_updates(self, offset: int | None, timeout: int, allowed: list[str]) -> list[dict[str, Any]]:
        updates = await self._call(self._bot.get_updates, offset=offset, timeout=timeout, allowed_updates=allowed)
        return [update.to_dict() for update in updates]

    async def send_message(self, chat_id: str | int, text: str) -> None:
        await self._call(self._bot.send_message, chat_id=chat_id, text=text)

    async def send_document(self, chat_id: str | int, path: Path, caption: str) -> None:
        with path.open("rb") as handle:
            await self._call(self._bot.send_document, chat_id=chat_id, document=handle, filename=path.name,
                             caption=caption)

    @staticmethod
    async def _call(method: Any, **kwargs: Any) -> Any:
        try:
            with warnings.catch_warnings():
                # PTB 22 warns about its int -> timedelta migration; nothing for natmon to act on.
                warnings.simplefilter("ignore", PTBDeprecationWarning)
                return await method(**kwargs)
        except InvalidToken:
            # `from None`: python-telegram-bot's own message may quote the token.
            raise BotError(f"Telegram отклонил токен бота; проверьте переменную {TOKEN_ENV}", fatal=True) from None
        except Forbidden:
            raise BotError("бот не может писать в этот чат (его заблокировали или чат удалён)", chat=True) from None
        except Conflict:
            raise BotError("обновления бота уже читает другой процесс (второй natmon bot или ночной обход); "
                           "оставьте один") from None
        except RetryAfter as exc:
            raise BotError("Telegram просит подождать с запросами", retry_after=_seconds(exc)) from None
        except BadRequest as exc:  # a subclass of NetworkError, but nothing a retry fixes
            chat = "chat not found" in str(exc).lower()
            raise BotError("чат не найден" if chat else "Bot API отклонил запрос (BadRequest)", chat=chat) from None
        except NetworkError as exc:
            raise BotError(f"сервер Bot API недоступен ({type(exc).__name__})") from None
        except TelegramError as exc:
            raise BotError(f"Bot API вернул ошибку ({type(exc).__name__})") from None


def _seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


__all__ = ["TelegramClient", "BotError", "quiet_loggers", "DEFAULT_BASE_URL", "POLL_TIMEOUT"]
