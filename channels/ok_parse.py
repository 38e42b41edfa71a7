"""Pure parsers for Одноклассники REST API answers: JSON in, `Post` records out.

Field names follow formats.md §5 (the apiok.ru documentation and working 2025 clients):
`mediatopic.getTopics` answers `{"media_topics": [...], "anchor", "has_more"}`; a topic has
`id`, `created_ms` (epoch milliseconds), `media[]` whose `{"type": "text", "text"}` items carry
the text, and optional `like_summary.count`, `discussion_summary.comments_count`,
`reshare_summary.count` and `views_count`. No real recorded answer exists yet, so every
summary is optional and unknown media types are skipped, never fatal. An error answer is
`{"error_code", "error_msg", "error_data"}` (HTTP 200). No I/O here; `channels.ok` fetches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from channels.base import MEDIA_KINDS, ChannelError, Post

OK_URL = "https://ok.ru"
FOUND_BY = "mediatopic.getTopics"
TEXT_SEPARATOR = "\n\n"

# media item type -> Post.media kind; "text" carries the text, other types carry nothing a report counts.
MEDIA_TYPES: dict[str, str] = {
    "photo": "photo", "movie": "video", "video": "video", "link": "link", "poll": "poll",
    "music": "audio", "audio": "audio", "file": "document",
}


class OkParseError(ChannelError):
    """A file or answer that is not an OK API answer natmon understands."""


@dataclass(slots=True, frozen=True)
class OkCallError:
    """An error answer exactly as the API returned it."""

    code: int
    message: str


@dataclass(slots=True)
class TopicPage:
    """One `mediatopic.getTopics` answer: its topics (newest first) and the way to older ones."""

    topics: list[Post]
    anchor: str | None
    has_more: bool
    notes: list[str] = field(default_factory=list)


def call_error(answer: Any) -> OkCallError | None:
    """The error of an error answer, else None."""
    if isinstance(answer, dict) and answer.get("error_code") is not None:
        try:
            code = int(answer["error_code"])
        except (TypeError, ValueError):
            code = 0
        return OkCallError(code, str(answer.get("error_msg") or ""))
    return None


def topic_url(group_id: str, topic_id: str) -> str:
    """`https://ok.ru/group/<gid>/topic/<id>`, a topic's public link."""
    return f"{OK_URL}/group/{group_id}/topic/{topic_id}"


def _count(topic: dict[str, Any], summary: str, key: str) -> int | None:
    value = topic.get(summary)
    if isinstance(value, dict) and value.get(key) is not None:
        try:
            return int(value[key])
        except (TypeError, ValueError):
            return None
    return None


def _views(topic: dict[str, Any]) -> int | None:
    for key in ("views_count", "views"):
        if topic.get(key) is not None:
            try:
                return int(topic[key])
            except (TypeError, ValueError):
                return None
    return None


def parse_topic(topic: dict[str, Any], group_id: str) -> Post:
    """One media topic -> `Post`; ValueError when its id or date is missing."""
    if topic.get("id") in (None, "") or topic.get("created_ms") is None:
        raise ValueError("у темы нет id или created_ms")
    topic_id = str(topic["id"])
    texts: list[str] = []
    kinds: set[str] = set()
    polls: list[str] = []
    for item in topic.get("media") or ():
        if not isinstance(item, dict):
            continue
        kind = str(item.get("type") or "")
        if kind == "text" and str(item.get("text") or "").strip():
            texts.append(str(item["text"]).replace("\r\n", "\n").strip())
        elif kind in MEDIA_TYPES:
            kinds.add(MEDIA_TYPES[kind])
            if kind == "poll" and item.get("question"):
                polls.append(str(item["question"]).strip())
    return Post(
        external_id=topic_id,
        url=topic_url(group_id, topic_id),
        published_at=datetime.fromtimestamp(int(topic["created_ms"]) / 1000, tz=timezone.utc),
        text=TEXT_SEPARATOR.join(texts or polls),
        media=tuple(k for k in MEDIA_KINDS if k in kinds),
        views=_views(topic),
        likes=_count(topic, "like_summary", "count"),
        reposts=_count(topic, "reshare_summary", "count"),
        comments=_count(topic, "discussion_summary", "comments_count"),
        found_by=FOUND_BY,
    )


def topic_group(topic: dict[str, Any]) -> str | None:
    """The group id of a topic from `owner_ref` or `author_ref` ("group:<id>"), if it says."""
    for key in ("owner_ref", "author_ref"):
        ref = str(topic.get(key) or "")
        if ref.startswith("group:") and ref[6:].isdigit():
            return ref[6:]
    return None


def parse_topics(answer: Any, group_id: str | None = None) -> TopicPage:
    """A `mediatopic.getTopics` (or `mediatopic.getByIds`) answer -> its posts, newest first.

    `group_id` builds the links; a file parsed on its own takes it from each topic's
    `owner_ref`/`author_ref`.
    """
    error = call_error(answer)
    if error is not None:
        raise OkParseError(f"ответ Одноклассников — ошибка {error.code}: {error.message}")
    if not isinstance(answer, dict) or not isinstance(answer.get("media_topics"), list):
        raise OkParseError("ответ не похож на mediatopic.getTopics: нет списка media_topics")
    page = TopicPage([], None, False)
    for raw in answer["media_topics"]:
        if not isinstance(raw, dict):
            page.notes.append("Одноклассники: элемент media_topics не объект; пропущен")
            continue
        gid = group_id or topic_group(raw)
        if gid is None:
            page.notes.append(f"Одноклассники: у темы {raw.get('id')} не указана группа (owner_ref); пропущена")
            continue
        try:
            page.topics.append(parse_topic(raw, gid))
        except (TypeError, ValueError, OverflowError, OSError) as exc:
            page.notes.append(f"Одноклассники: тема {raw.get('id')} пропущена — {exc}")
    anchor = answer.get("anchor")
    page.anchor = str(anchor) if anchor not in (None, "") else None
    page.has_more = bool(answer.get("has_more")) and page.anchor is not None
    return page


def parse_url_info(answer: Any) -> tuple[str, str] | None:
    """`url.getInfo` -> (type, object id) such as ("GROUP", "53038939046008"); None when unknown."""
    if call_error(answer) is not None or not isinstance(answer, dict):
        return None
    object_id = answer.get("objectIdStr") or answer.get("objectId")
    kind = answer.get("type")
    if object_id in (None, "") or not kind:
        return None
    return str(kind).upper(), str(object_id)
