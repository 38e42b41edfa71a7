"""Who wrote to the region's MAX bot: the pure reading of a `GET /updates` answer.

A coordinator links MAX by opening the bot and pressing «Начать» (`bot_started`) or writing to
it (`message_created` in a dialog); the update carries their MAX user id, which
`natmon users max-ids` shows the operator and tells the writer. Group chats and channels are
left out: only a dialog with the bot identifies one person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

UPDATE_TYPES = "bot_started,message_created"
DIALOG = "dialog"
MAX_TEXT = 200  # characters of a writer's text kept for the operator's list


@dataclass(slots=True, frozen=True)
class MaxSender:
    user_id: str
    name: str
    text: str  # what they wrote (or the start payload; empty for a bare «Начать»), cut to MAX_TEXT


def _name(user: dict[str, Any]) -> str:
    full = " ".join(str(user.get(key) or "").strip() for key in ("first_name", "last_name")).strip()
    return full or str(user.get("name") or user.get("username") or "").strip()


def _sender(update: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    kind = update.get("update_type")
    if kind == "bot_started":
        user = update.get("user")
        return (user, str(update.get("payload") or "")) if isinstance(user, dict) else None
    if kind == "message_created":
        message = update.get("message") if isinstance(update.get("message"), dict) else {}
        recipient = message.get("recipient") if isinstance(message.get("recipient"), dict) else {}
        if recipient.get("chat_type", DIALOG) != DIALOG:
            return None
        user, body = message.get("sender"), message.get("body")
        text = str(body.get("text") or "") if isinstance(body, dict) else ""
        return (user, text) if isinstance(user, dict) else None
    return None


def parse_senders(answer: Any) -> tuple[list[MaxSender], int | None]:
    """The people who wrote to the bot in a dialog (each once, their last text) and the next marker."""
    if not isinstance(answer, dict):
        return [], None
    found: dict[str, MaxSender] = {}
    for update in answer.get("updates") or []:
        if not isinstance(update, dict):
            continue
        got = _sender(update)
        if got is None:
            continue
        user, text = got
        user_id = str(user.get("user_id", ""))
        if not user_id.isdigit() or user.get("is_bot"):
            continue
        found.pop(user_id, None)  # keep the order of their last message
        found[user_id] = MaxSender(user_id, _name(user), " ".join(text.split())[:MAX_TEXT])
    marker = answer.get("marker")
    return list(found.values()), marker if isinstance(marker, int) else None


__all__ = ["MaxSender", "parse_senders", "UPDATE_TYPES"]
