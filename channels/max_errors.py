"""What natmon tells the user when the MAX Bot API refuses, by HTTP status.

The Bot API answers errors with an HTTP status and `{"code", "message"}`: 401 a wrong token,
403 a chat the bot may not read (it was not added, or was removed), 404 an unknown channel,
429 too many requests (the HTTP policy has already waited and retried by then).
"""

from __future__ import annotations

from channels.base import ChannelError

TOKEN_ENV = "NATMON_MAX_BOT_TOKEN"
NOT_ADDED = ("бот natmon не добавлен в канал или не может читать его: попросите организацию открыть канал → "
             "«Администраторы» → «Добавить», найти бота региона, назначить его администратором и включить "
             "право «Читать все сообщения»")


class MaxChannelError(ChannelError):
    """A MAX Bot API error recorded on a channel."""

    def __init__(self, message: str, *, status: int | None = None, permanent: bool = False,
                 run_wide: bool = False) -> None:
        super().__init__(message, status=status, permanent=permanent)
        self.run_wide = run_wide


def missing_token() -> MaxChannelError:
    return MaxChannelError(f"MAX: не задана переменная окружения {TOKEN_ENV} (токен бота natmon региона). Как "
                           "зарегистрировать бота — в README, раздел «MAX»", run_wide=True)


def from_http(error: ChannelError, channel: str) -> MaxChannelError:
    """The Russian error for a failed request about `channel` (its address as the registry has it)."""
    status = error.status
    if status == 401:
        return MaxChannelError(f"MAX не принял токен бота (HTTP 401): проверьте {TOKEN_ENV} — токен выдаётся на "
                               "платформе MAX для партнёров в карточке бота", status=status, run_wide=True)
    if status == 403:
        return MaxChannelError(f"MAX: канал {channel}: {NOT_ADDED}", status=status)
    if status == 404:
        return MaxChannelError(f"MAX: канал {channel} не найден — он удалён, закрыт или адрес указан с ошибкой; "
                               "проверьте адрес (https://max.ru/<имя канала>)", status=status, permanent=True)
    if status == 429:
        return MaxChannelError("MAX просит реже обращаться к API (HTTP 429) и после нескольких пауз не ответил; "
                               "канал будет прочитан при следующем обходе", status=status)
    return MaxChannelError(f"API MAX недоступен ({error.message}); повторим при следующем обходе", status=status)
