"""A stand-in for the Одноклассники REST API (`fb.do`), for the demo and the tests.

`OkStandin.handle(form)` answers one call the way the real API does (HTTP 200 either way):
the method's JSON, or `{"error_code", "error_msg", "error_data"}`. It checks the application
key (101), the signature (104) and the token (102 expired, 103 unknown) before anything
else, and knows `auth.touchSession`, `url.getInfo` and `mediatopic.getTopics` (newest first,
`count` per page, `anchor` and `has_more` to page back; 160 for a group it does not know,
50 for a closed one). `inject` makes the next calls of a method fail with given codes.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from channels.ok_transport import signature

MESSAGES = {
    2: "SERVICE : Service is temporary unavailable",
    3: "METHOD : Method does not exist",
    8: "FLOOD_BLOCKED : Too many calls",
    10: "PERMISSION_DENIED : Permission denied",
    50: "NOT_ADMIN : Group is closed",
    101: "PARAM_API_KEY : Application key is invalid",
    102: "PARAM_SESSION_EXPIRED : Session expired",
    103: "PARAM_SESSION_KEY : Invalid session key",
    104: "PARAM_SIGNATURE : Invalid signature",
    160: "PARAM_GROUP_ID : Invalid group id",
    300: "NOT_FOUND : Object not found",
}
MAX_COUNT = 100


@dataclass(slots=True)
class OkGroup:
    gid: str
    name: str  # the short name in https://ok.ru/<name>
    topics: list[dict[str, Any]]  # API topic objects, newest first
    closed: bool = False


@dataclass
class OkStandin:
    application_key: str
    secret_key: str
    access_token: str
    groups: dict[str, OkGroup]  # by group id
    profiles: dict[str, str] = field(default_factory=dict)  # short name -> user id
    expired_tokens: frozenset[str] = frozenset()
    calls: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    faults: dict[str, deque[int]] = field(default_factory=lambda: defaultdict(deque))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def inject(self, method: str, *codes: int) -> None:
        """Make the next calls of `method` fail with these error codes, one each."""
        self.faults[method].extend(codes)

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]

    def handle(self, form: dict[str, str]) -> dict[str, Any]:
        with self._lock:
            method = form.get("method", "")
            self.calls.append((method, {k: v for k, v in form.items() if k not in ("access_token", "sig")}))
            if form.get("application_key") != self.application_key:
                return error(101)
            token = form.get("access_token")
            if form.get("sig") != signature(form, self.secret_key, token):
                return error(104)
            if token in self.expired_tokens:
                return error(102)
            if token != self.access_token:
                return error(103)
            if self.faults.get(method):
                return error(self.faults[method].popleft())
            if method == "auth.touchSession":
                return {"success": True}
            if method == "url.getInfo":
                return self._url_info(form.get("url", ""))
            if method == "mediatopic.getTopics":
                return self._topics(form)
            return error(3)

    def _url_info(self, url: str) -> dict[str, Any]:
        name = url.rstrip("/").rsplit("/", 1)[-1].lower()
        for group in self.groups.values():
            if group.name.lower() == name:
                return {"objectId": int(group.gid), "objectIdStr": group.gid, "type": "GROUP"}
        if name in self.profiles:
            return {"objectId": int(self.profiles[name]), "objectIdStr": self.profiles[name], "type": "PROFILE"}
        return error(300)

    def _topics(self, form: dict[str, str]) -> dict[str, Any]:
        group = self.groups.get(form.get("gid", ""))
        if group is None:
            return error(160)
        if group.closed:
            return error(50)
        count = min(int(form.get("count") or 20), MAX_COUNT)
        start = int(form["anchor"]) if form.get("anchor", "").isdigit() else 0
        chunk = group.topics[start:start + count]
        more = start + count < len(group.topics)
        answer: dict[str, Any] = {"media_topics": chunk, "entities": {}, "has_more": more}
        if more:
            answer["anchor"] = str(start + count)
        return answer


def error(code: int) -> dict[str, Any]:
    return {"error_code": code, "error_msg": MESSAGES.get(code, "UNKNOWN : Unknown error"), "error_data": None}
