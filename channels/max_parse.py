"""Pure parsers for MAX Bot API answers: JSON in, `Post` records out.

Field names follow the Bot API's OpenAPI schema (dev.max.ru, `platform-api2.max.ru`):
`GET /messages` answers `{"messages": [Message…]}`, newest first. A Message has `timestamp`
(epoch milliseconds, UTC), `body` (`mid` the unique id, `seq`, `text`, `attachments[]` with a
`type`), `stat.views` and `url` (channel posts only), and `link` (`type` "forward" or
"reply", the original `chat_id`, `sender` and `message` body) for a forwarded or quoted one.
`GET /chats/{link}` answers a Chat (`chat_id`, `type`, `status`, `title`, `link`). An error
answer is `{"code", "message"}` with an HTTP error status. No I/O here; `channels.max` fetches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from channels.base import MEDIA_KINDS, ChannelError, Post

MAX_URL = "https://max.ru"
FOUND_BY = "GET /messages"
TEXT_SEPARATOR = "\n\n"
FORWARD = "forward"

# attachment type -> Post.media kind; stickers, contacts, locations and keyboards carry none.
ATTACHMENT_MEDIA: dict[str, str] = {
    "image": "photo", "video": "video", "audio": "audio", "file": "document", "share": "link",
}


class MaxParseError(ChannelError):
    """A file or answer that is not a MAX Bot API answer natmon understands."""


@dataclass(slots=True)
class MaxMessage:
    """One parsed message with what paging needs besides the `Post`."""

    post: Post
    timestamp: int  # epoch milliseconds


@dataclass(slots=True)
class MessagePage:
    messages: list[MaxMessage]  # in answer order: newest first
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class ChatInfo:
    chat_id: int
    type: str  # "channel", "chat" or "dialog"
    status: str  # "active", "removed", "left", "closed"
    title: str
    link: str | None


def _media(attachments: Any) -> set[str]:
    kinds: set[str] = set()
    for attachment in attachments or ():
        if isinstance(attachment, dict):
            kind = ATTACHMENT_MEDIA.get(str(attachment.get("type") or ""))
            if kind:
                kinds.add(kind)
    return kinds


def _text(body: Any) -> str:
    if not isinstance(body, dict):
        return ""
    return str(body.get("text") or "").replace("\r\n", "\n").strip()


def repost_origin(link: dict[str, Any]) -> str | None:
    """Where a forwarded message came from: `max:<chat id>/<mid>`, or the author's name."""
    original = link.get("message") if isinstance(link.get("message"), dict) else {}
    chat_id = link.get("chat_id")
    if chat_id is not None:
        mid = original.get("mid")
        return f"max:{chat_id}/{mid}" if mid else f"max:{chat_id}"
    sender = link.get("sender") if isinstance(link.get("sender"), dict) else {}
    name = sender.get("name") or " ".join(str(sender.get(k) or "") for k in ("first_name", "last_name")).strip()
    return str(name) if name else None


def parse_message(message: dict[str, Any], fallback_url: str) -> MaxMessage:
    """One Message -> `MaxMessage`; ValueError when its id or time is missing.

    A forward keeps the original's text after its own and is marked `repost_of`; a reply's
    quoted message is not part of the post."""
    body = message.get("body") if isinstance(message.get("body"), dict) else {}
    link = message.get("link") or message.get("linked_message")
    link = link if isinstance(link, dict) else {}
    forwarded = link.get("type") == FORWARD
    original = link.get("message") if forwarded and isinstance(link.get("message"), dict) else {}
    mid = body.get("mid") or (original.get("mid") if forwarded else None)
    if not mid or message.get("timestamp") is None:
        raise ValueError("у сообщения нет body.mid или timestamp")
    timestamp = int(message["timestamp"])
    texts = [t for t in (_text(body), _text(original)) if t]
    kinds = _media(body.get("attachments")) | _media(original.get("attachments"))
    stat = message.get("stat") if isinstance(message.get("stat"), dict) else {}
    views = stat.get("views")
    post = Post(
        external_id=str(mid),
        url=str(message.get("url") or fallback_url),
        published_at=datetime.fromtimestamp(timestamp / 1000, tz=timezone.utc),
        text=TEXT_SEPARATOR.join(texts),
        media=tuple(k for k in MEDIA_KINDS if k in kinds),
        views=int(views) if isinstance(views, (int, float)) else None,
        repost_of=repost_origin(link) if forwarded else None,
        found_by=FOUND_BY,
    )
    return MaxMessage(post, timestamp)


def parse_messages(answer: Any, fallback_url: str = MAX_URL) -> MessagePage:
    """A `GET /messages` answer -> its messages, newest first; `fallback_url` stands in for a missing `url`."""
    if isinstance(answer, dict) and "code" in answer and "messages" not in answer:
        raise MaxParseError(f"ответ MAX — ошибка {answer.get('code')}: {answer.get('message') or ''}")
    if not isinstance(answer, dict) or not isinstance(answer.get("messages"), list):
        raise MaxParseError("ответ не похож на GET /messages: нет списка messages")
    page = MessagePage([])
    for raw in answer["messages"]:
        if not isinstance(raw, dict):
            page.notes.append("MAX: элемент messages не объект; пропущен")
            continue
        try:
            page.messages.append(parse_message(raw, fallback_url))
        except (TypeError, ValueError, OverflowError, OSError) as exc:
            page.notes.append(f"MAX: сообщение пропущено — {exc}")
    return page


def parse_chat(answer: Any) -> ChatInfo:
    """A Chat object (`GET /chats/{link}` or `/chats/{id}`)."""
    if not isinstance(answer, dict) or answer.get("chat_id") is None:
        raise MaxParseError("ответ не похож на описание чата MAX: нет chat_id")
    return ChatInfo(chat_id=int(answer["chat_id"]), type=str(answer.get("type") or ""),
                    status=str(answer.get("status") or ""), title=str(answer.get("title") or ""),
                    link=str(answer["link"]) if answer.get("link") else None)
