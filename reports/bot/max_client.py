"""The one place natmon sends messages through the MAX Bot API: a `Messenger` for `natmon notify`.

The region's natmon bot in MAX (the same bot and token, `NATMON_MAX_BOT_TOKEN`, that reads
institutions' channels in `channels/max.py`) writes to a coordinator's dialog:
`POST /messages?user_id=…` (a negative id is a group chat: `chat_id=…`). A file goes in three
steps: `POST /uploads?type=file` gives an upload URL, the file is posted there as the
multipart field `data` and comes back as a token, and the message carries it as a `file`
attachment; MAX may answer `attachment.not.ready` while it processes the file, so that send
is repeated a few times. The token travels only in the `Authorization` header and never
appears in a message; the Russian root certificate the platform uses is trusted through
`NATMON_CA_BUNDLE`, as for the crawl. Errors become `BotError` with a Russian message.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from channels.max_errors import TOKEN_ENV
from reports.bot.client import BotError, quiet_loggers

TIMEOUT = httpx.Timeout(60.0, connect=10.0)
RATE_LIMIT_ATTEMPTS = 3  # a 429 is waited out this many times before the user's send fails
RATE_LIMIT_WAIT = 1.0  # seconds when a 429 names no Retry-After
MAX_RETRY_AFTER = 30.0  # a longer wait fails this user's send until the next run
NOT_READY_WAITS = (1.0, 2.0, 4.0, 8.0)  # MAX processes an uploaded file before it can be attached
UPDATES_LIMIT = 1000  # the API's maximum per GET /updates
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
START_HINT = ("пусть координатор найдёт бота natmon региона в MAX и нажмёт «Начать» (бот пишет только тем, "
              "кто начал с ним диалог), затем проверьте ID: natmon users list")


class MaxClient:
    """An async context manager around one httpx client for the MAX Bot API (implements `Messenger`)."""

    def __init__(self, token: str, api_url: str, *, ca_bundle: str = "",
                 not_ready_waits: tuple[float, ...] = NOT_READY_WAITS,
                 rate_limit_wait: float = RATE_LIMIT_WAIT) -> None:
        if not token:
            raise BotError(f"Не задан токен бота MAX: переменная окружения {TOKEN_ENV}", fatal=True)
        quiet_loggers()
        self._not_ready_waits = not_ready_waits
        self._rate_limit_wait = rate_limit_wait
        self._client = httpx.AsyncClient(base_url=api_url.rstrip("/"), timeout=TIMEOUT,
                                         headers={"Authorization": token}, verify=_tls(ca_bundle))

    async def __aenter__(self) -> MaxClient:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self._client.aclose()

    async def send_message(self, chat_id: str | int, text: str) -> None:
        await self._post_message(chat_id, {"text": text})

    async def send_document(self, chat_id: str | int, path: Path, caption: str) -> None:
        """Upload the file, then send it with the caption; any failure fails the whole send (retried next run)."""
        slot = await self._json("POST", "/uploads", params={"type": "file"})
        upload_url = slot.get("url") if isinstance(slot, dict) else None
        if not upload_url:
            raise BotError("MAX не дал адрес для загрузки файла (POST /uploads); повторим при следующем запуске")
        content = path.read_bytes()  # a draft workbook is small; bytes, unlike a handle, survive a 429 retry
        uploaded = await self._json("POST", str(upload_url), files={"data": (path.name, content, XLSX)})
        token = (uploaded.get("token") if isinstance(uploaded, dict) else None) or slot.get("token")
        if not token:
            raise BotError("MAX не вернул токен загруженного файла; повторим при следующем запуске")
        body = {"text": caption, "attachments": [{"type": "file", "payload": {"token": token}}]}
        for wait in (*self._not_ready_waits, None):
            try:
                await self._post_message(chat_id, body)
                return
            except _NotReady:
                if wait is None:
                    raise BotError("MAX так и не обработал загруженный файл черновика; повторим при следующем "
                                   "запуске") from None
                await asyncio.sleep(wait)

    async def get_updates(self, marker: int | None, types: str) -> Any:
        """One `GET /updates` without waiting (the bot's dialogs: who pressed «Начать» or wrote)."""
        params: dict[str, Any] = {"types": types, "timeout": 0, "limit": UPDATES_LIMIT}
        if marker is not None:
            params["marker"] = marker
        return await self._json("GET", "/updates", params=params)

    async def _post_message(self, chat_id: str | int, body: dict[str, Any]) -> None:
        recipient = str(chat_id).strip()
        if not recipient.lstrip("-").isdigit():
            raise BotError(f"ID пользователя MAX — целое число, получено «{recipient}»", chat=True)
        param = "chat_id" if recipient.startswith("-") else "user_id"
        await self._json("POST", "/messages", params={param: recipient}, json=body, recipient=recipient)

    async def _json(self, method: str, url: str, *, recipient: str = "", **kwargs: Any) -> Any:
        """One call; a 429 is waited out (Retry-After, at most MAX_RETRY_AFTER) up to RATE_LIMIT_ATTEMPTS times."""
        for attempt in range(1, RATE_LIMIT_ATTEMPTS + 1):
            try:
                response = await self._client.request(method, url, **kwargs)
            except httpx.HTTPError as exc:
                # `from None`: httpx's message may quote the request; the token is only in a header, but say less.
                raise BotError(f"сервер MAX недоступен ({type(exc).__name__}); повторим при следующем "
                               "запуске") from None
            if response.status_code == 429:
                wait = _retry_after(response, self._rate_limit_wait)
                if attempt < RATE_LIMIT_ATTEMPTS and wait <= MAX_RETRY_AFTER:
                    await asyncio.sleep(wait)
                    continue
            if response.is_success:
                try:
                    return response.json()
                except ValueError:
                    raise BotError("MAX ответил не JSON; повторим при следующем запуске") from None
            raise _error(response, recipient)
        raise AssertionError("unreachable")  # the last attempt returns or raises


class _NotReady(BotError):
    """`attachment.not.ready`: the uploaded file is still being processed."""


def _error(response: httpx.Response, recipient: str) -> BotError:
    """The Russian error for a refused call, by HTTP status and MAX's `code`."""
    status = response.status_code
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    code = str(answer.get("code", "")) if isinstance(answer, dict) else ""
    who = f"пользователь MAX {recipient}" if recipient else "получатель"
    if code == "attachment.not.ready":
        return _NotReady("MAX ещё обрабатывает файл")
    if status == 401:
        return BotError(f"MAX не принял токен бота (HTTP 401): проверьте {TOKEN_ENV} — токен выдаётся на платформе "
                        "MAX для партнёров в карточке бота", fatal=True)
    if status == 403:
        return BotError(f"бот MAX не может писать: {who} заблокировал бота или не начинал с ним диалог; {START_HINT}",
                        chat=True)
    if status == 404:
        return BotError(f"{who} не найден (HTTP 404): ID указан с ошибкой или аккаунт удалён; {START_HINT}", chat=True)
    if status == 429:
        return BotError("MAX просит реже отправлять сообщения (HTTP 429) и после нескольких пауз не принял это; "
                        "уведомление уйдёт при следующем запуске", retry_after=_retry_after(response, RATE_LIMIT_WAIT))
    if 400 <= status < 500:
        return BotError(f"MAX отклонил запрос (HTTP {status}{', ' + code if code else ''})")
    return BotError(f"сервер MAX ответил ошибкой (HTTP {status}); повторим при следующем запуске")


def _retry_after(response: httpx.Response, default: float) -> float:
    try:
        return max(float(response.headers.get("Retry-After", default)), 0.0)
    except ValueError:
        return default


def _tls(ca_bundle: str) -> Any:
    """Default verification plus the roots of NATMON_CA_BUNDLE (never verification switched off)."""
    if not ca_bundle:
        return True
    from channels.base import HttpError
    from crawler.http import load_ca_bundle

    tls = httpx.create_ssl_context()
    try:
        load_ca_bundle(tls, ca_bundle)
    except HttpError as exc:
        raise BotError(exc.message, fatal=True) from None
    return tls


__all__ = ["MaxClient", "TOKEN_ENV"]
