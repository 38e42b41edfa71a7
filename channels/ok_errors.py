"""What natmon does about each Одноклассники API error code, and what it tells the user.

Codes are the API's documented ones (`error_code` of an error answer: 8 FLOOD_BLOCKED,
102 PARAM_SESSION_EXPIRED, 160 PARAM_GROUP_ID, 300 NOT_FOUND …). Every code is one of:
wait and ask again (the platform asks to slow down), retry once, stop every OK call of the
run (credentials or permissions: no channel can succeed), or fail this one channel.
"""

from __future__ import annotations

from enum import Enum

from channels.base import ChannelError
from channels.ok_parse import OkCallError

KEY_ENV = "NATMON_OK_APPLICATION_KEY"
SECRET_ENV = "NATMON_OK_SECRET_KEY"
TOKEN_ENV = "NATMON_OK_ACCESS_TOKEN"
SUPPORT = "api-support@ok.ru"


class Action(Enum):
    BACK_OFF = "back_off"  # the platform asks to slow down: wait, ask again
    RETRY = "retry"  # a passing failure on OK's side: ask once more
    RUN = "run"  # no OK channel can succeed this run: fail them all with the same reason
    CHANNEL = "channel"  # about this group only


BACK_OFF_CODES = frozenset({8, 11})  # FLOOD_BLOCKED, LIMIT_REACHED
RETRY_CODES = frozenset({1, 2})  # UNKNOWN, SERVICE (temporarily unavailable)

# Run-wide errors: the Russian reason every OK channel of the run records.
RUN_REASONS: dict[int, str] = {
    102: f"токен сервисного аккаунта истёк (ошибка 102 PARAM_SESSION_EXPIRED): войдите этим аккаунтом в "
         f"приложение natmon заново (OAuth) и запишите новый токен в {TOKEN_ENV}",
    103: f"токен сервисного аккаунта не принят (ошибка 103 PARAM_SESSION_KEY): проверьте {TOKEN_ENV} или "
         "получите новый токен сервисного аккаунта",
    101: f"ключ приложения не принят (ошибка 101 PARAM_API_KEY): проверьте {KEY_ENV}",
    104: f"подпись запроса неверна (ошибка 104 PARAM_SIGNATURE): проверьте секретный ключ приложения в "
         f"{SECRET_ENV} — он должен быть от того же приложения, что и {KEY_ENV}",
    210: "приложение natmon отключено в Одноклассниках (ошибка 210); проверьте его в настройках на ok.ru/dk "
         f"или напишите в {SUPPORT}",
    9: "запросы с этого IP-адреса заблокированы (ошибка 9 IP_BLOCKED); напишите в "
       f"{SUPPORT}, указав адрес сервера natmon",
    3: "метод API недоступен приложению (ошибка 3 METHOD): попросите " + SUPPORT + " открыть приложению "
       "метод mediatopic.getTopics",
    10: "приложению не хватает прав (ошибка 10 PERMISSION_DENIED): попросите " + SUPPORT + " выдать права "
        "VALUABLE_ACCESS, GROUP_CONTENT и LONG_ACCESS_TOKEN и авторизуйте сервисный аккаунт заново",
    200: "приложению не хватает прав (ошибка 200 PARAM_PERMISSION): попросите " + SUPPORT + " выдать права "
         "VALUABLE_ACCESS, GROUP_CONTENT и LONG_ACCESS_TOKEN и авторизуйте сервисный аккаунт заново",
    453: f"метод требует сессии пользователя (ошибка 453 SESSION_REQUIRED): задайте токен сервисного аккаунта "
         f"в {TOKEN_ENV}",
}

# Errors about the group: (Russian explanation, permanent).
CHANNEL_REASONS: dict[int, tuple[str, bool]] = {
    160: ("такой группы нет (ошибка 160 PARAM_GROUP_ID); проверьте адрес канала", True),
    300: ("группа не найдена (ошибка 300 NOT_FOUND): она удалена или адрес указан с ошибкой; проверьте адрес "
          "канала", True),
    100: ("запрос не принят (ошибка 100 PARAM: неверный параметр); проверьте адрес группы", True),
    50: ("группа закрыта: её темы видят только участники (ошибка 50); попросите организацию открыть группу", True),
}


class OkChannelError(ChannelError):
    """An OK API error recorded on a channel; `code` is the API's error code (0: not an API error)."""

    def __init__(self, message: str, *, code: int = 0, permanent: bool = False, run_wide: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(message, permanent=permanent, retry_after=retry_after)
        self.code = code
        self.run_wide = run_wide


def action(error: OkCallError) -> Action:
    if error.code in BACK_OFF_CODES:
        return Action.BACK_OFF
    if error.code in RETRY_CODES:
        return Action.RETRY
    if error.code in RUN_REASONS:
        return Action.RUN
    return Action.CHANNEL


def channel_error(error: OkCallError) -> OkChannelError:
    """The Russian error for `error`, whatever its action."""
    if error.code in RUN_REASONS:
        return OkChannelError("Одноклассники: " + RUN_REASONS[error.code], code=error.code, run_wide=True)
    if error.code in CHANNEL_REASONS:
        text, permanent = CHANNEL_REASONS[error.code]
        return OkChannelError("Одноклассники: " + text, code=error.code, permanent=permanent)
    if error.code in BACK_OFF_CODES:
        return OkChannelError(f"Одноклассники просят реже обращаться к API (ошибка {error.code}: {error.message}); "
                              "группа будет прочитана при следующем обходе", code=error.code)
    return OkChannelError(f"Одноклассники вернули ошибку {error.code} ({error.message}); повторим при следующем "
                          "обходе", code=error.code)


def missing_credentials(names: list[str]) -> OkChannelError:
    return OkChannelError("Одноклассники: не заданы переменные окружения " + ", ".join(names) + ". Как получить "
                          "ключи приложения и токен сервисного аккаунта — в README, раздел «Одноклассники»",
                          run_wide=True)
