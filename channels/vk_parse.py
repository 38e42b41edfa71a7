"""Pure parsers for VK API responses: JSON in, `Post` records out.

They accept what `wall.get` returns (the raw envelope `{"response": …}` or vk_api's
unwrapped `response`), what `execute` returns (a list of inner results plus
`execute_errors`), and what `utils.resolveScreenName` / `groups.getById` return.
No I/O here; `channels.vk` does the fetching.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from channels.base import ChannelError, Post

VK_URL = "https://vk.com"
FOUND_BY = "wall.get"
REPOST_SEPARATOR = "\n\n"

# VK attachment type -> Post.media kind; types not listed carry no media a report counts.
ATTACHMENT_MEDIA: dict[str, str] = {
    "photo": "photo", "posted_photo": "photo", "photos_list": "photo", "album": "photo", "graffiti": "photo",
    "video": "video", "clip": "video", "video_playlist": "video",
    "link": "link", "article": "link", "page": "link", "note": "link",
    "doc": "document",
    "poll": "poll",
    "audio": "audio", "audio_playlist": "audio", "podcast": "audio",
}
MEDIA_ORDER = ("photo", "video", "link", "document", "audio", "poll")

# "[club123|Школа №5]", "[id42|Мария]", "[https://vk.com/x|текст]" -> the visible part.
INTERNAL_LINK = re.compile(r"\[(?:(?:club|public|event|id)\d+|https?://[^|\]]+)\|([^\]]*)\]")


class VkParseError(ChannelError):
    """A file or response that is not a VK API answer we understand."""


@dataclass(slots=True, frozen=True)
class VkCallError:
    """An error object exactly as the API returned it (top level or in `execute_errors`)."""

    code: int
    message: str
    method: str = ""


@dataclass(slots=True)
class WallItem:
    """One parsed wall item with what paging needs besides the `Post`."""

    post: Post
    post_id: int
    pinned: bool


@dataclass(slots=True)
class WallPage:
    """One `wall.get` response: the wall's total count and its items in API order."""

    count: int
    items: list[WallItem]
    notes: list[str] = field(default_factory=list)


def unwrap(envelope: Any) -> Any:
    """Return `response` of an envelope, or raise `VkParseError` for an error envelope."""
    if isinstance(envelope, dict) and "error" in envelope and "response" not in envelope:
        error = call_error(envelope["error"])
        raise VkParseError(f"ответ ВКонтакте — ошибка {error.code}: {error.message}")
    if isinstance(envelope, dict) and "response" in envelope:
        return envelope["response"]
    return envelope


def call_error(obj: Any, method: str = "") -> VkCallError:
    """Read an API error object (`error_code`, `error_msg`, optional `method`)."""
    if not isinstance(obj, dict):
        return VkCallError(0, "неизвестная ошибка", method)
    return VkCallError(int(obj.get("error_code") or 0), str(obj.get("error_msg") or ""),
                       str(obj.get("method") or method))


def split_execute(envelope: Any, calls: int) -> list[Any | VkCallError]:
    """Pair each inner call of an `execute` with its result or its error.

    A failed inner call is `false` in `response` and takes the next `execute_errors`
    entry; `"response": null` means every call failed.
    """
    errors = [call_error(e) for e in (envelope.get("execute_errors") or [])] if isinstance(envelope, dict) else []
    results = envelope.get("response") if isinstance(envelope, dict) else envelope
    if results is None:
        fallback = errors[-1] if errors else VkCallError(0, "execute вернул пустой ответ", "execute")
        inner = [e for e in errors if e.method != "execute"]
        return [inner[i] if len(inner) == calls else fallback for i in range(calls)]
    if not isinstance(results, list) or len(results) != calls:
        raise VkParseError(f"execute вернул {type(results).__name__} вместо списка из {calls} ответов")
    pending = iter(errors)
    return [next(pending, VkCallError(0, "вызов не выполнен, причина не указана")) if r is False else r
            for r in results]


def clean_text(text: str) -> str:
    """Plain text of a post: internal links reduced to their visible part, entities decoded."""
    if "[" in text:
        text = INTERNAL_LINK.sub(r"\1", text)
    if "&" in text:
        text = html.unescape(text)
    return text.replace("\r\n", "\n").strip()


def wall_url(owner_id: int, post_id: int) -> str:
    """`https://vk.com/wall-123_45` for community -123's post 45."""
    return f"{VK_URL}/wall{owner_id}_{post_id}"


def _count(item: dict[str, Any], key: str) -> int | None:
    value = item.get(key)
    if isinstance(value, dict) and value.get("count") is not None:
        return int(value["count"])
    return None


def _media(entries: list[dict[str, Any]]) -> tuple[str, ...]:
    kinds: set[str] = set()
    for entry in entries:
        for attachment in entry.get("attachments") or ():
            kind = ATTACHMENT_MEDIA.get(attachment.get("type", "")) if isinstance(attachment, dict) else None
            if kind:
                kinds.add(kind)
    return tuple(k for k in MEDIA_ORDER if k in kinds)


def parse_item(item: dict[str, Any], owner_id: int | None = None) -> WallItem:
    """Turn one wall item into a `WallItem`; a repost keeps the original's text and URL."""
    post_id = int(item["id"])
    owner = int(item.get("owner_id", owner_id if owner_id is not None else 0))
    chain = [c for c in (item.get("copy_history") or ()) if isinstance(c, dict)]
    texts = [clean_text(str(e.get("text") or "")) for e in (item, *chain)]
    repost_of = None
    if chain:
        original = chain[-1]
        if original.get("id") is not None and original.get("owner_id") is not None:
            repost_of = wall_url(int(original["owner_id"]), int(original["id"]))
    post = Post(
        external_id=str(post_id),
        url=wall_url(owner, post_id),
        published_at=datetime.fromtimestamp(int(item["date"]), tz=timezone.utc),
        text=REPOST_SEPARATOR.join(t for t in texts if t),
        media=_media([item, *chain]),
        views=_count(item, "views"),
        likes=_count(item, "likes"),
        reposts=_count(item, "reposts"),
        comments=_count(item, "comments"),
        repost_of=repost_of,
        found_by=FOUND_BY,
    )
    return WallItem(post=post, post_id=post_id, pinned=bool(item.get("is_pinned")))


def parse_wall(response: Any, owner_id: int | None = None) -> WallPage:
    """Parse a `wall.get` answer (envelope or unwrapped) into a `WallPage`."""
    body = unwrap(response)
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise VkParseError("ответ не похож на wall.get: нет списка items")
    items: list[WallItem] = []
    notes: list[str] = []
    for raw in body["items"]:
        if not isinstance(raw, dict) or raw.get("id") is None or raw.get("date") is None:
            notes.append("запись стены без id или даты пропущена")
            continue
        try:
            items.append(parse_item(raw, owner_id))
        except (TypeError, ValueError) as exc:
            notes.append(f"запись стены {raw.get('id')} пропущена: не удалось разобрать ({exc})")
    try:
        count = int(body.get("count") or 0)
    except (TypeError, ValueError, OverflowError) as exc:
        raise VkParseError(f"ответ не похож на wall.get: count не число ({body.get('count')!r})") from exc
    return WallPage(count=count, items=items, notes=notes)


def wall_responses(data: Any) -> tuple[list[Any], list[str]]:
    """Every `wall.get` answer in a file (one response, or an `execute`'s inner results),
    plus a Russian line for each inner call of an `execute` that failed or is not wall.get."""
    if isinstance(data, dict) and data.get("response") is None and "execute_errors" in data:
        return [], [_failed_line(None, call_error(e)) for e in data["execute_errors"] or []]
    body = unwrap(data)
    if isinstance(body, dict) and "items" in body:
        return [body], []
    if not isinstance(body, list):
        raise VkParseError("ответ не похож ни на wall.get, ни на execute с вызовами wall.get")
    answers, problems = [], []
    for number, result in enumerate(split_execute(data if isinstance(data, dict) else {"response": body}, len(body)),
                                    start=1):
        if isinstance(result, VkCallError):
            problems.append(_failed_line(number, result))
        elif isinstance(result, dict) and "items" in result:
            answers.append(result)
        else:
            problems.append(f"вызов №{number} в execute вернул не ответ wall.get; пропущен")
    return answers, problems


def _failed_line(number: int | None, error: VkCallError) -> str:
    which = f"вызов №{number} в execute" if number else "вызов в execute"
    return f"{which} не выполнен ({error.method or 'метод не указан'}): ошибка {error.code} — {error.message}"


def parse_resolved(response: Any) -> tuple[str, int] | None:
    """`utils.resolveScreenName` -> (type, object id), or None for an unknown name."""
    body = unwrap(response)
    if not isinstance(body, dict) or not body.get("type") or body.get("object_id") is None:
        return None
    return str(body["type"]), int(float(body["object_id"]))


def parse_groups(response: Any) -> dict[int, dict[str, Any]]:
    """`groups.getById` (5.199 `{"groups": […]}` or the older plain list) -> groups by id."""
    body = unwrap(response)
    groups = body.get("groups") if isinstance(body, dict) else body
    if not isinstance(groups, list):
        raise VkParseError("ответ не похож на groups.getById: нет списка сообществ")
    return {int(g["id"]): g for g in groups if isinstance(g, dict) and g.get("id") is not None}
