"""What natmon does about each VK API error code, and what it tells the user.

Codes come from vk-api-schema `errors.json` (see /work/shared/reference/formats.md §3.7).
Every error is one of: retry the call, blame the token, fall back from `execute`, or
record it on the channel as a `ChannelError` with a Russian explanation.
"""

from __future__ import annotations

from enum import Enum

from channels.base import ChannelError
from channels.vk_parse import VkCallError

TOKEN_ENV = "NATMON_VK_TOKENS"

TOO_MANY_RPS = 6
QUOTA_REACHED = 29


class Action(Enum):
    """What the token pool does with an error."""

    RETRY = "retry"  # transient: wait and call again (a few times)
    WAIT_RETRY = "wait_retry"  # too many requests per second: slow this token down, call again
    NEXT_TOKEN_QUOTA = "quota"  # this token's daily quota is spent: another token
    DISABLE_TOKEN = "disable"  # this token is unusable for the rest of the run
    CHANNEL = "channel"  # about the wall itself: record on the channel


ACTIONS: dict[int, Action] = {
    1: Action.RETRY, 10: Action.RETRY, 9: Action.WAIT_RETRY, 6: Action.WAIT_RETRY,
    29: Action.NEXT_TOKEN_QUOTA,
    5: Action.DISABLE_TOKEN, 14: Action.DISABLE_TOKEN, 17: Action.DISABLE_TOKEN,
    27: Action.DISABLE_TOKEN, 28: Action.DISABLE_TOKEN,
}

# Why a token is switched off, by code; shown as «токен №N: …».
TOKEN_REASONS: dict[int, str] = {
    5: "ВКонтакте отклонил токен (ошибка 5: авторизация не удалась — токен неверен, отозван "
       "или выдан для другого IP); замените его в переменной " + TOKEN_ENV,
    14: "ВКонтакте запросил капчу (ошибка 14); токен отдыхает до следующего обхода",
    17: "ВКонтакте требует подтвердить вход владельца токена (ошибка 17); войдите в ВКонтакте "
        "с этой учётной записью и выпустите токен заново",
    27: "это токен сообщества (ошибка 27), а стены читаются только пользовательским или "
        "сервисным токеном; замените его в переменной " + TOKEN_ENV,
    28: "приложение токена не авторизовано (ошибка 28); проверьте сервисный ключ в переменной " + TOKEN_ENV,
}

# Errors about the wall: (Russian explanation, permanent).
CHANNEL_ERRORS: dict[int, tuple[str, bool]] = {
    15: ("нет доступа к стене (ошибка 15): сообщество закрыто, стена отключена или видна только "
         "участникам; откройте стену или уберите канал из списка", True),
    18: ("страница удалена или заблокирована (ошибка 18); уберите канал из списка", True),
    19: ("материалы сообщества заблокированы ВКонтакте (ошибка 19)", True),
    30: ("профиль закрыт (ошибка 30): это приватная страница; укажите открытое сообщество", True),
    100: ("ВКонтакте не принял адрес стены (ошибка 100: неверный параметр); проверьте адрес канала", True),
    113: ("ВКонтакте не знает такой страницы (ошибка 113: неверный идентификатор); проверьте адрес канала", True),
    200: ("нет доступа к альбому (ошибка 200)", True),
    203: ("нет доступа к сообществу (ошибка 203): оно закрыто или заблокировано", True),
    212: ("нет доступа к комментариям (ошибка 212)", True),
}

# An `execute` refused as a whole with one of these means the token cannot run VKScript
# (a service token): send the same calls one by one from now on.
EXECUTE_REFUSED = frozenset({13, 15, 27, 28})


class VkChannelError(ChannelError):
    """A VK API error recorded on a channel; `code` is the API's error code."""

    def __init__(self, message: str, *, code: int, permanent: bool, url: str | None = None) -> None:
        super().__init__(message, url=url, permanent=permanent)
        self.code = code


def action(error: VkCallError) -> Action:
    """The pool's reaction to an error code; unknown codes go to the channel."""
    return ACTIONS.get(error.code, Action.CHANNEL)


def channel_error(error: VkCallError, url: str | None = None) -> VkChannelError:
    """The Russian `ChannelError` for an error that concerns the wall."""
    known = CHANNEL_ERRORS.get(error.code)
    if known:
        text, permanent = known
    else:
        text = f"ВКонтакте вернул ошибку {error.code} ({error.message}); повторим при следующем обходе"
        permanent = False
    return VkChannelError(text, code=error.code, permanent=permanent, url=url)


def token_reason(error: VkCallError) -> str:
    """Why a token gets switched off (never its value)."""
    return TOKEN_REASONS.get(error.code, f"ошибка {error.code} ({error.message})")


def retry_exhausted(error: VkCallError) -> VkChannelError:
    """Message after the retries of a transient error ran out."""
    return VkChannelError(
        f"ВКонтакте несколько раз подряд ответил ошибкой {error.code} ({error.message}); "
        "повторим при следующем обходе", code=error.code, permanent=False)
