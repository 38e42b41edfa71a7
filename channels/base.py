"""Records and errors shared by every channel adapter.

An adapter is a module with the same inner shape: pure parsers (bytes or JSON in,
`Post` records and the next cursor out) and one thin `fetch` coroutine that only
builds URLs, asks the injected `HttpGetter` for them and follows pagination.
Adapters never open the store and never decide relevance.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Mapping, Protocol

if TYPE_CHECKING:  # annotations only: importing httpx here made every `natmon` start load the HTTP stack
    import httpx

CHANNEL_KINDS = ("website", "vk", "telegram", "ok", "max")

MEDIA_KINDS = ("photo", "video", "link", "document", "audio", "poll")


@dataclass(slots=True, frozen=True)
class ChannelRef:
    """What an adapter is told about the channel it crawls."""

    id: int
    kind: str
    address: str  # normalised: website "https://host/path", vk "club123" or a screen name, telegram "name"
    options: Mapping[str, Any] = field(default_factory=dict)  # per-channel overrides from sources.yaml
    resolved: str | None = None  # adapter-specific resolution kept by the store (a VK owner id, a moved site)


@dataclass(slots=True)
class Post:
    """One publication as a source serves it."""

    external_id: str  # unique within its channel
    url: str
    published_at: datetime  # timezone-aware
    text: str
    title: str = ""
    media: tuple[str, ...] = ()  # subset of MEDIA_KINDS
    views: int | None = None
    likes: int | None = None
    reposts: int | None = None
    comments: int | None = None
    repost_of: str | None = None  # URL or id of the original when this is a repost/forward
    found_by: str = ""  # how the adapter found it: "feed", "listing", "sitemap", "wall.get", "t.me/s" …

    def content_hash(self) -> str:
        """Hash of what a person reads; a change marks the stored post as edited."""
        digest = hashlib.sha256()
        for part in (self.title, self.text, ",".join(self.media)):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
        return digest.hexdigest()[:32]


@dataclass(slots=True)
class FetchResult:
    """What one crawl of one channel produced.

    `cursor` is stored only after `posts` are stored, so a crawl killed in between
    repeats work instead of losing it. `notes` records what was skipped and why.
    """

    posts: list[Post]
    cursor: str | None
    resolved: str | None = None
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # «страница не разобрана: …»: a success that read nothing


class ChannelError(Exception):
    """Root error of every adapter; `message` is Russian and shown to users."""

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None,
                 retry_after: float | None = None, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.url = url
        self.status = status
        self.retry_after = retry_after
        self.permanent = permanent  # True when retrying tomorrow will not help (deleted, private …)


class HttpError(ChannelError):
    """A request failed after the HTTP policy's retries (raised by crawler.http)."""


class HttpGetter(Protocol):
    """The polite HTTP client adapters receive (crawler.http.PoliteClient implements it)."""

    async def get(self, url: str, *, params: Mapping[str, Any] | None = None,
                  headers: Mapping[str, str] | None = None, robots: bool = True) -> httpx.Response: ...

    async def post(self, url: str, *, data: Mapping[str, Any] | None = None,
                   headers: Mapping[str, str] | None = None) -> httpx.Response: ...


@dataclass(slots=True, frozen=True)
class ChannelSettings:
    """The part of natmon's settings adapters read (built by crawler.settings)."""

    telegram_url: str = "https://t.me"
    vk_api_url: str = "https://api.vk.ru/method/"
    vk_api_version: str = "5.199"
    vk_tokens: tuple[str, ...] = ()  # secrets: from NATMON_VK_TOKENS only, never logged
    vk_requests_per_second: float = 3.0
    vk_daily_wall_get_quota: int = 5000
    telegram_bot_token: str | None = None  # secret: NATMON_TELEGRAM_BOT_TOKEN
    telegram_bot_api_url: str = "https://api.telegram.org/bot"  # NATMON_TELEGRAM_BOT_API_URL (tests)
    page_delay: float = 1.0  # seconds between pages of one channel
    max_pages: int = 50  # per channel per crawl, a guard against endless pagination
    api_max_bytes: int = 32 * 1024 * 1024  # an API answer (VK, Bot API) after decompression; 25 walls of 100 fit
    ok_api_url: str = "https://api.ok.ru/fb.do"  # NATMON_OK_API_URL (a loopback stand-in in tests and the demo)
    ok_application_key: str | None = None  # NATMON_OK_APPLICATION_KEY: the application's public key
    ok_secret_key: str | None = None  # secret: NATMON_OK_SECRET_KEY, the application's secret key
    ok_access_token: str | None = None  # secret: NATMON_OK_ACCESS_TOKEN, the service account's long token
    ok_rate_limit_wait: float = 30.0  # seconds to wait after OK says "too many calls" before asking again
    max_api_url: str = "https://platform-api2.max.ru"  # NATMON_MAX_API_URL
    max_bot_token: str | None = None  # secret: NATMON_MAX_BOT_TOKEN, the region's natmon bot in MAX


@dataclass(slots=True)
class FetchContext:
    """Everything a `fetch` coroutine may use; built once per crawl run."""

    http: HttpGetter
    since: datetime  # never go further back than this (campaign start or --since)
    settings: ChannelSettings
    state: dict[str, Any] = field(default_factory=dict)  # run-wide adapter state by kind (e.g. VK token pool)
