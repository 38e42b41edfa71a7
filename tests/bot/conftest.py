"""The Bot API faked with respx: canned getUpdates, and every sendMessage/sendDocument recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from sqlalchemy import update

from crawler import schema as t
from tests.web.conftest import Region, build_region, quick_hashes  # noqa: F401 - quick_hashes is a fixture

TOKEN = "123456:TEST-token-never-logged"
API = "https://bot-api.test/bot"  # NATMON_TELEGRAM_BOT_API_URL in the tests
DAY = 1737504000  # 2025-01-22 00:00 UTC


@dataclass(slots=True)
class Sent:
    method: str
    chat_id: str
    text: str  # message text or document caption
    file_name: str = ""
    file: bytes = b""


@dataclass(slots=True)
class FakeBotApi:
    router: respx.MockRouter
    sent: list[Sent] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    offsets: list[str | None] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)

    def url(self, method: str) -> str:
        return f"{API}{TOKEN}/{method}"


def _fields(request: httpx.Request) -> dict[str, str]:
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        return {k: str(v) for k, v in json.loads(request.content).items()}
    if kind.startswith("multipart/form-data"):
        fields: dict[str, str] = {}
        boundary = kind.split("boundary=", 1)[1].encode()
        for part in request.content.split(b"--" + boundary):
            head, _, body = part.partition(b"\r\n\r\n")
            if b'name="' not in head:
                continue
            name = head.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
            body = body.removesuffix(b"\r\n")
            if b'filename="' in head:
                fields["__file_name"] = head.split(b'filename="', 1)[1].split(b'"', 1)[0].decode()
                fields["__file"] = body.decode("latin-1")
            else:
                fields[name] = body.decode()
        return fields
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def _message(chat_id: str, text: str) -> dict[str, Any]:
    return {"message_id": 1, "date": DAY, "chat": {"id": int(chat_id), "type": "private"}, "text": text}


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    with respx.mock(assert_all_called=False) as router:
        api = FakeBotApi(router)

        def send(method: str):
            def handler(request: httpx.Request) -> httpx.Response:
                fields = _fields(request)
                chat = fields.get("chat_id", "")
                if chat in api.blocked:
                    return httpx.Response(403, json={"ok": False, "error_code": 403,
                                                     "description": "Forbidden: bot was blocked by the user"})
                api.sent.append(Sent(method, chat, fields.get("text") or fields.get("caption", ""),
                                     fields.get("__file_name", ""), fields.get("__file", "").encode("latin-1")))
                return httpx.Response(200, json={"ok": True, "result": _message(chat, "ok")})
            return handler

        def get_updates(request: httpx.Request) -> httpx.Response:
            api.offsets.append(_fields(request).get("offset"))
            updates, api.updates = api.updates, []
            return httpx.Response(200, json={"ok": True, "result": updates})

        router.post(api.url("sendMessage")).mock(side_effect=send("sendMessage"))
        router.post(api.url("sendDocument")).mock(side_effect=send("sendDocument"))
        router.post(api.url("getUpdates")).mock(side_effect=get_updates)
        yield api


FIRST_SEEN = datetime(2025, 1, 19, 20, 0, tzinfo=timezone.utc)


def seen_at(region: Region, post_ids: list[int], moment: datetime) -> None:
    """Pretend the crawl found these posts at `moment` (the store stamps the real time)."""
    with region.store.engine.begin() as conn:
        conn.execute(update(t.posts).where(t.posts.c.id.in_(post_ids)).values(first_seen=moment))


@pytest.fixture
def region(tmp_path: Path) -> Iterator[Region]:
    built = build_region(tmp_path)
    seen_at(built, list(built.posts.values()), FIRST_SEEN)
    yield built
    built.store.close()


# -- the MAX Bot API faked with respx: POST /messages, POST /uploads and the upload URL -----------

MAX_TOKEN = "max-TEST-token-never-logged"
MAX_API = "https://max-api.test"  # NATMON_MAX_API_URL in the tests
MAX_UPLOAD = "https://max-upload.test/upload/7"


@dataclass(slots=True)
class MaxSent:
    recipient: str  # "user_id=…" or "chat_id=…"
    text: str
    file_token: str = ""


@dataclass(slots=True)
class FakeMaxApi:
    sent: list[MaxSent] = field(default_factory=list)
    uploads: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, content) posted as `data`
    blocked: set[str] = field(default_factory=set)  # user ids that blocked the bot (403)
    unknown: set[str] = field(default_factory=set)  # user ids MAX does not know (404)
    throttled: int = 0  # the next requests answer 429
    not_ready: int = 0  # the next messages with an attachment answer attachment.not.ready
    calls: int = 0
    upload_throttled: int = 0  # the next posts to the upload URL answer 429
    updates: list[dict[str, Any]] = field(default_factory=list)  # served once by GET /updates
    markers: list[str | None] = field(default_factory=list)  # the marker each GET /updates passed


def _max_error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"code": code, "message": message}, headers=headers)


@pytest.fixture
def max_api(bot_api: FakeBotApi) -> FakeMaxApi:
    api = FakeMaxApi()

    def guard(request: httpx.Request) -> httpx.Response | None:
        api.calls += 1
        if request.headers.get("authorization") != MAX_TOKEN:
            return _max_error(401, "verify.token", "Invalid access_token")
        if api.throttled:
            api.throttled -= 1
            return _max_error(429, "too.many.requests", "Too many requests", {"Retry-After": "0"})
        return None

    def messages(request: httpx.Request) -> httpx.Response:
        refused = guard(request)
        if refused is not None:
            return refused
        params = dict(request.url.params)
        recipient = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
        user = params.get("user_id", "")
        if user in api.blocked:
            return _max_error(403, "chat.denied", "Bot is blocked by the user")
        if user in api.unknown:
            return _max_error(404, "not.found", "User not found")
        body = json.loads(request.content)
        attachments = body.get("attachments") or []
        if attachments and api.not_ready:
            api.not_ready -= 1
            return _max_error(400, "attachment.not.ready", "Key: errors.process.attachment.file.not.processed")
        token = attachments[0]["payload"]["token"] if attachments else ""
        api.sent.append(MaxSent(recipient, body["text"], token))
        return httpx.Response(200, json={"message": {"body": {"mid": f"mid.{len(api.sent)}", "text": body["text"]}}})

    def uploads(request: httpx.Request) -> httpx.Response:
        refused = guard(request)
        if refused is not None:
            return refused
        assert request.url.params.get("type") == "file"
        return httpx.Response(200, json={"url": MAX_UPLOAD})

    def upload(request: httpx.Request) -> httpx.Response:
        if api.upload_throttled:
            api.upload_throttled -= 1
            return _max_error(429, "too.many.requests", "Too many requests", {"Retry-After": "0"})
        fields = _fields(request)
        assert "__file_name" in fields and b'name="data"' in request.content
        api.uploads.append((fields["__file_name"], fields["__file"].encode("latin-1")))
        return httpx.Response(200, json={"fileId": 7, "token": f"file-token-{len(api.uploads)}"})

    def updates(request: httpx.Request) -> httpx.Response:
        refused = guard(request)
        if refused is not None:
            return refused
        api.markers.append(request.url.params.get("marker"))
        served, api.updates = api.updates, []
        return httpx.Response(200, json={"updates": served, "marker": 500 + len(api.markers)})

    bot_api.router.get(f"{MAX_API}/updates").mock(side_effect=updates)
    bot_api.router.post(f"{MAX_API}/messages").mock(side_effect=messages)
    bot_api.router.post(f"{MAX_API}/uploads").mock(side_effect=uploads)
    bot_api.router.post(MAX_UPLOAD).mock(side_effect=upload)
    return api
