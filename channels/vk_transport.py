"""The one place natmon calls vk_api: base URL override, threads, exception translation.

vk_api 11.x hard-codes `https://api.vk.ru/method/{method}` in `VkApi.method` and posts
through its `requests.Session`. `BaseUrlSession` rewrites that prefix to the configured
`vk_api_url` (a loopback stand-in in tests and the demo) and adds a timeout vk_api never
sets. vk_api's own rate limiting sleeps a worker thread while holding a lock, and its
error-6 handler sleeps and retries without bound; both are switched off here because the
token pool spaces requests with an asyncio limiter and decides about retries itself.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import requests
import vk_api
from jconfig.memory import MemoryConfig
from vk_api.exceptions import ApiError, ApiHttpError, VkApiError

from channels.base import ChannelError

VK_BUILTIN_URL = "https://api.vk.ru/method/"
HTTP_TIMEOUT = (10.0, 60.0)  # connect, read seconds
USER_AGENT = "natmon/0.1 (+https://github.com/natmon)"
DEFAULT_MAX_BYTES = 32 * 1024 * 1024  # as ChannelSettings.api_max_bytes
READ_CHUNK = 64 * 1024


class VkTransportError(ChannelError):
    """The VK API could not be reached or answered garbage (network, HTTP status, JSON)."""


class VkAnswerTooLarge(VkTransportError):
    """An API answer over the size cap (counted after decompression)."""


class BaseUrlSession(requests.Session):
    """A requests session that sends vk_api's built-in API URL to another base URL and caps answers."""

    def __init__(self, base_url: str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        super().__init__()
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.max_bytes = max_bytes
        self.headers["User-Agent"] = USER_AGENT

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        url = str(url.decode() if isinstance(url, bytes) else url)
        if url.startswith(VK_BUILTIN_URL):
            url = self.base_url + url[len(VK_BUILTIN_URL):]
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        kwargs["stream"] = True  # the body is read here, within the cap
        response = super().request(method, url, *args, **kwargs)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(READ_CHUNK):  # decoded bytes; urllib3 bounds each decompression step
            size += len(chunk)
            if size > self.max_bytes:
                response.close()
                raise VkAnswerTooLarge(f"Ответ API ВКонтакте больше допустимого размера ({self.max_bytes} байт "
                                       "после распаковки; настройка api_max_bytes); запрос не повторяется",
                                       permanent=True)
            chunks.append(chunk)
        response._content = b"".join(chunks)  # what requests itself does when not streaming
        response._content_consumed = True
        return response


class QuietVkApi(vk_api.VkApi):
    """VkApi without client-side sleeping and without built-in error handlers."""

    RPS_DELAY = 0.0  # the token pool's asyncio limiter spaces the requests

    def __repr__(self) -> str:
        return "<QuietVkApi>"


@dataclass(slots=True)
class VkTransport:
    """One token's vk_api session; the token stays inside and out of every repr."""

    number: int
    base_url: str
    api_version: str
    _api: QuietVkApi = field(init=False, repr=False)

    @classmethod
    def create(cls, number: int, secret: str, base_url: str, api_version: str,
               max_bytes: int = DEFAULT_MAX_BYTES) -> VkTransport:
        transport = cls(number, base_url, api_version)
        transport._api = QuietVkApi(token=secret, api_version=api_version,
                                    session=BaseUrlSession(base_url, max_bytes), config=MemoryConfig)
        transport._api.error_handlers = {}  # errors come back to the pool as envelopes
        return transport

    async def call(self, method: str, values: dict[str, Any]) -> dict[str, Any]:
        """Call `method` in a worker thread; return the whole JSON envelope, errors included."""
        return await asyncio.to_thread(self._call_sync, method, values)

    def _call_sync(self, method: str, values: dict[str, Any]) -> dict[str, Any]:
        try:
            envelope = self._api.method(method, values, raw=True)
        except ApiError as exc:  # an API error envelope: hand it back as data, drop the exception
            return {"error": _scrub_error(exc.error)}
        except ApiHttpError as exc:
            status = exc.response.status_code
            _scrub(exc)
            raise VkTransportError(f"API ВКонтакте ответил HTTP {status} на {method}; повторим позже",
                                   status=status) from exc
        except (requests.RequestException, ValueError, VkApiError) as exc:
            _scrub(exc)
            raise VkTransportError(f"API ВКонтакте недоступен ({type(exc).__name__}) при вызове {method}; "
                                   "повторим позже") from exc
        if not isinstance(envelope, dict):
            raise VkTransportError(f"API ВКонтакте вернул не JSON-объект на {method}")
        return envelope


def _scrub_error(error: dict[str, Any]) -> dict[str, Any]:
    """An error object without echoed secrets (`request_params` may carry access_token)."""
    clean = dict(error)
    params = clean.get("request_params")
    if isinstance(params, list):
        clean["request_params"] = [p for p in params if not (isinstance(p, dict) and p.get("key") == "access_token")]
    return clean


def _scrub(exc: BaseException) -> None:
    """Drop references through which a chained exception could reveal the token."""
    for name in ("vk", "values", "request"):
        if hasattr(exc, name):
            setattr(exc, name, None)
    response = getattr(exc, "response", None)
    if response is not None and getattr(response, "request", None) is not None:
        response.request = None
