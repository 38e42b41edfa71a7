"""Telegram channels where the natmon bot is an administrator: Bot API `channel_post` updates.

A bot sees only new posts (and edits) and the Bot API keeps undelivered updates for
24 hours (formats.md §2), so this complements the t.me/s crawl, it does not replace it.
`post_from_update` is pure (an update dict in the Bot API shape in, a `Post` out);
`fetch_bot_updates` is the thin call through python-telegram-bot. The token is a secret:
it never appears in messages or notes.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

import httpx
from telegram import Bot
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from channels.base import MEDIA_KINDS, ChannelError, Post

FOUND_BY = "bot"
DEFAULT_BASE_URL = "https://api.telegram.org/bot"
POST_KEYS = ("channel_post", "edited_channel_post")
ALLOWED_UPDATES = list(POST_KEYS)
PUBLIC_URL = "https://t.me"
PRIVATE_CHAT_PREFIX = "-100"  # channel ids are -100<internal id>; t.me/c/<internal id>/<message> links
# Message field -> media kind (Bot API `Message`).
MEDIA_FIELDS = {
    "photo": "photo",
    "video": "video",
    "video_note": "video",
    "animation": "video",
    "document": "document",
    "audio": "audio",
    "voice": "audio",
    "poll": "poll",
}
LINK_ENTITIES = frozenset({"url", "text_link"})
DEFAULT_MAX_BYTES = 32 * 1024 * 1024  # as ChannelSettings.api_max_bytes


class BotAnswerNotJson(TelegramError):
    """The Bot API server answered something that is not JSON (a proxy's HTML page, a cut body)."""


class BotAnswerTooLarge(Exception):
    """The Bot API answer passed the size cap."""


class _CappedStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, max_bytes: int) -> None:
        self._inner, self._max_bytes = inner, max_bytes

    async def __aiter__(self) -> AsyncIterator[bytes]:
        size = 0
        async for chunk in self._inner:
            size += len(chunk)
            if size > self._max_bytes:
                raise BotAnswerTooLarge(self._max_bytes)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


class _CappedTransport(httpx.AsyncBaseTransport):
    """Asks for uncompressed answers, so the bytes counted on the wire are the bytes decoded, and
    stops reading past the cap (python-telegram-bot reads whole answers into memory)."""

    def __init__(self, max_bytes: int) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._max_bytes = max_bytes

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.headers["Accept-Encoding"] = "identity"
        response = await self._inner.handle_async_request(request)
        if response.headers.get("Content-Encoding", "identity").strip().lower() != "identity":
            await response.aclose()
            raise BotAnswerTooLarge(self._max_bytes)  # compressed though asked not to: its size is unknown
        response.stream = _CappedStream(response.stream, self._max_bytes)  # type: ignore[arg-type]
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


class _BotRequest(HTTPXRequest):
    """python-telegram-bot's request with the size cap, and without its traceback for a non-JSON answer."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(httpx_kwargs={"transport": _CappedTransport(max_bytes)})

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        try:
            return json.loads(payload.decode("utf-8", "replace"))
        except ValueError:
            raise BotAnswerNotJson("not JSON") from None


def _chat_key(chat: Mapping[str, Any]) -> str:
    return chat.get("username") or str(chat["id"])


def _message_url(chat: Mapping[str, Any], message_id: int) -> str:
    if chat.get("username"):
        return f"{PUBLIC_URL}/{chat['username']}/{message_id}"
    chat_id = str(chat["id"])
    return f"{PUBLIC_URL}/c/{chat_id.removeprefix(PRIVATE_CHAT_PREFIX).lstrip('-')}/{message_id}"


def _media(message: Mapping[str, Any]) -> tuple[str, ...]:
    kinds = {kind for key, kind in MEDIA_FIELDS.items() if message.get(key)}
    entities = list(message.get("entities") or []) + list(message.get("caption_entities") or [])
    preview_off = (message.get("link_preview_options") or {}).get("is_disabled", False)
    if not preview_off and any(entity.get("type") in LINK_ENTITIES for entity in entities):
        kinds.add("link")
    return tuple(kind for kind in MEDIA_KINDS if kind in kinds)


def _repost_of(message: Mapping[str, Any]) -> str | None:
    """The forward's source: a post URL when the source is a public channel, else its name."""
    origin = message.get("forward_origin")
    if origin:
        kind = origin.get("type")
        if kind == "channel":
            chat = origin.get("chat") or {}
            if chat.get("username") and origin.get("message_id"):
                return _message_url(chat, origin["message_id"])
            return chat.get("title") or chat.get("username") or str(chat.get("id", "")) or None
        if kind == "user":
            user = origin.get("sender_user") or {}
            return user.get("username") or user.get("first_name") or None
        if kind == "hidden_user":
            return origin.get("sender_user_name") or None
        if kind == "chat":
            chat = origin.get("sender_chat") or {}
            return chat.get("username") or chat.get("title") or None
    chat = message.get("forward_from_chat")  # Bot API before 7.0
    if chat:
        if chat.get("username") and message.get("forward_from_message_id"):
            return _message_url(chat, message["forward_from_message_id"])
        return chat.get("title") or None
    return None


def post_from_update(update: Mapping[str, Any]) -> tuple[str, Post, bool] | None:
    """A getUpdates item -> (chat username or id, Post, edited); None for other update kinds."""
    key = next((k for k in POST_KEYS if update.get(k)), None)
    if key is None:
        return None
    message = update[key]
    chat = message["chat"]
    text = message.get("text") or message.get("caption") or ""
    if not text and message.get("poll"):
        text = message["poll"].get("question", "")
    post = Post(
        external_id=str(message["message_id"]),
        url=_message_url(chat, message["message_id"]),
        published_at=datetime.fromtimestamp(message["date"], tz=timezone.utc),
        text=text,
        media=_media(message),
        repost_of=_repost_of(message),
        found_by=FOUND_BY,
    )
    edited = key == "edited_channel_post" or bool(message.get("edit_date"))
    return _chat_key(chat), post, edited


async def fetch_bot_updates(token: str, offset: int | None, base_url: str | None = None,
                            max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[dict], int | None]:
    """Pending channel-post updates as dicts, and the offset that confirms them on the next call."""
    # Own request objects, so no getMe call is needed (Bot.initialize makes one) and both
    # httpx clients are closed here.
    requests = (_BotRequest(max_bytes), _BotRequest(max_bytes))
    bot = Bot(token, base_url=base_url or DEFAULT_BASE_URL, request=requests[0],
              get_updates_request=requests[1])
    try:
        with warnings.catch_warnings():
            # PTB 22 warns (inside RetryAfter, durations) about its int -> timedelta migration;
            # nothing for natmon to act on.
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            updates = await bot.get_updates(offset=offset, allowed_updates=ALLOWED_UPDATES)
            dicts = [update.to_dict() for update in updates]
    except InvalidToken:
        # `from None`: python-telegram-bot's own message may quote the token.
        raise ChannelError("Telegram-бот: токен отклонён сервером. Проверьте переменную "
                           "NATMON_TELEGRAM_BOT_TOKEN.", permanent=True) from None
    except RetryAfter as exc:
        raise ChannelError("Telegram-бот: сервер просит подождать с запросами.",
                           retry_after=_retry_seconds(exc)) from exc
    except BotAnswerNotJson:
        raise ChannelError("Telegram-бот: сервер Bot API ответил не в формате JSON (возможно, страница ошибки "
                           "прокси); обновления не получены, повторим при следующем обходе. Если это повторяется, "
                           "проверьте NATMON_TELEGRAM_BOT_API_URL.") from None
    except NetworkError as exc:
        if isinstance(exc.__cause__, BotAnswerTooLarge):
            raise ChannelError(f"Telegram-бот: ответ Bot API больше допустимого размера ({max_bytes} байт; "
                               "настройка api_max_bytes); обновления не получены.") from None
        raise ChannelError("Telegram-бот: сервер Bot API недоступен, повторим позже.") from exc
    except TelegramError as exc:
        raise ChannelError(f"Telegram-бот: Bot API вернул ошибку ({type(exc).__name__}).") from exc
    finally:
        for request in requests:
            await request.shutdown()
    next_offset = max(update.update_id for update in updates) + 1 if updates else offset
    return dicts, next_offset


def _retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
