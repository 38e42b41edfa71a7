"""A stand-in for the MAX Bot API, for the demo and the tests.

`MaxStandin.handle(method, path, params, headers)` answers one request as
`platform-api2.max.ru` does: `(status, JSON)`, errors as `{"code", "message"}`. It checks
the bot token in `Authorization` (401), resolves `GET /chats/<name>` for public channels
(404 for an unknown one), and serves `GET /messages?chat_id=…&count=…&from=…&to=…` newest
first, `from` and `to` being inclusive epoch-millisecond bounds; a channel the bot was not
added to answers 403. `throttle` makes the next requests answer 429 with `Retry-After`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

MAX_COUNT = 100


@dataclass(slots=True)
class MaxChannel:
    chat_id: int
    name: str  # public name in https://max.ru/<name>
    title: str
    messages: list[dict[str, Any]]  # Message objects, newest first
    bot_added: bool = True


@dataclass
class MaxStandin:
    token: str
    channels: dict[int, MaxChannel]
    calls: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    throttled: int = 0  # requests still to answer 429
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def throttle(self, requests: int) -> None:
        self.throttled += requests

    def handle(self, method: str, path: str, params: dict[str, str],
               headers: dict[str, str]) -> tuple[int, dict[str, Any], dict[str, str]]:
        """(status, body, extra headers) of one request."""
        with self._lock:
            self.calls.append((path, dict(params)))
            auth = {k.lower(): v for k, v in headers.items()}.get("authorization")
            if auth != self.token:
                return HTTPStatus.UNAUTHORIZED, _error("verify.token", "Invalid access_token"), {}
            if self.throttled:
                self.throttled -= 1
                return HTTPStatus.TOO_MANY_REQUESTS, _error("too.many.requests", "Too many requests"), \
                    {"Retry-After": "0"}
            if method != "GET":
                return HTTPStatus.METHOD_NOT_ALLOWED, _error("method.not.allowed", "Method is not allowed"), {}
            if path.startswith("/chats/"):
                return self._chat(path[len("/chats/"):])
            if path == "/messages":
                return self._messages(params)
            return HTTPStatus.NOT_FOUND, _error("not.found", "Path not found"), {}

    def _chat(self, link: str) -> tuple[int, dict[str, Any], dict[str, str]]:
        name = link.lstrip("@").lower()
        for channel in self.channels.values():
            if channel.name.lower() == name:
                return HTTPStatus.OK, {
                    "chat_id": channel.chat_id, "type": "channel", "status": "active" if channel.bot_added else
                    "left", "title": channel.title, "icon": None, "last_event_time": 0,
                    "participants_count": 100, "owner_id": 1, "participants": None, "is_public": True,
                    "link": f"https://max.ru/{channel.name}", "description": None}, {}
        return HTTPStatus.NOT_FOUND, _error("chat.not.found", f"Chat {link} not found"), {}

    def _messages(self, params: dict[str, str]) -> tuple[int, dict[str, Any], dict[str, str]]:
        try:
            channel = self.channels.get(int(params.get("chat_id", "")))
        except ValueError:
            return HTTPStatus.BAD_REQUEST, _error("proto.payload", "chat_id is not a number"), {}
        if channel is None:
            return HTTPStatus.NOT_FOUND, _error("chat.not.found", "Chat not found"), {}
        if not channel.bot_added:
            return HTTPStatus.FORBIDDEN, _error("chat.denied", "Bot is not a member of the chat"), {}
        upper = int(params["from"]) if params.get("from") else None
        lower = int(params["to"]) if params.get("to") else None
        count = min(int(params.get("count") or 50), MAX_COUNT)
        chosen = [m for m in channel.messages if (upper is None or m["timestamp"] <= upper)
                  and (lower is None or m["timestamp"] >= lower)]
        return HTTPStatus.OK, {"messages": chosen[:count]}, {}


def _error(code: str, message: str) -> dict[str, Any]:
    return {"code": code, "message": message}
