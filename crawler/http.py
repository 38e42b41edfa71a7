"""The HTTP policy, in one place.

Every request a channel adapter makes goes through `PoliteClient`, whose parts run in a
fixed order: robots.txt -> per-host limiter -> retry honouring Retry-After -> total deadline ->
address check at connect time (crawler/http_guard.py) -> size cap on decoded bytes
(crawler/http_body.py) -> user agent. Channel code never sleeps or retries on its own.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import ssl
import time
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from channels.base import HttpError
from crawler.http_body import ACCEPT_ENCODING, BodyTooLarge, BodyUndecodable, read_capped
from crawler.http_guard import ForbiddenAddress, guarded_transport
from crawler.http_pools import PerOriginTransport
from crawler.settings import HttpPolicy

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ROBOTS_KEPT = 1024  # robots.txt parsers kept (least recently used dropped): memory stays flat in N
SLOWDOWN_STATUS = 429  # "too many requests": the host is asked less often for the rest of the run
SLOWED_MIN_DELAY = 1.0  # a host that said 429 waits at least this long, and twice its usual delay


class _Retryable(Exception):
    """An attempt that may succeed if repeated; carries the server's Retry-After."""

    def __init__(self, error: HttpError) -> None:
        super().__init__(error.message)
        self.error = error


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass(slots=True)
class _Host:
    semaphore: asyncio.Semaphore
    lock: asyncio.Lock
    next_start: float = 0.0
    users: int = 0  # requests holding or waiting for a slot


class _HostLimiter:
    """At most `concurrency` requests at once and `delay` seconds between starts, per host.

    A host that answers 429 gets twice its delay, and at least a second, for the rest of the run
    (once: random 429s do not push it ever higher; Retry-After is honoured besides). Hosts with
    nobody waiting and their delay over are forgotten now and then, so memory stays flat.
    """

    FORGET_EVERY = 500  # acquisitions between sweeps

    def __init__(self, concurrency: int, delay: float, delays: Mapping[str, float] | None = None) -> None:
        self._concurrency = concurrency
        self._delay = delay
        self._delays = dict(delays or {})  # host name (no port) -> its own delay
        self._slowed: dict[str, float] = {}  # host name -> delay after it answered 429
        self._hosts: dict[str, _Host] = {}
        self._since_sweep = 0

    def delay(self, host: str) -> float:
        name = host.rpartition(":")[0] or host
        if self._slowed and name in self._slowed:
            return self._slowed[name]
        return self._delays.get(name, self._delay) if self._delays else self._delay

    async def acquire(self, host: str) -> None:
        self._since_sweep += 1
        if self._since_sweep >= self.FORGET_EVERY:
            self._since_sweep = 0
            now = time.monotonic()
            for name in [n for n, h in self._hosts.items() if h.users == 0 and h.next_start <= now]:
                del self._hosts[name]
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _Host(asyncio.Semaphore(self._concurrency), asyncio.Lock())
        state.users += 1
        try:
            await state.semaphore.acquire()
        except BaseException:
            state.users -= 1
            raise
        try:
            async with state.lock:
                wait = state.next_start - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                state.next_start = time.monotonic() + self.delay(host)
        except BaseException:  # cancelled while waiting for its turn
            self.release(host)
            raise

    def release(self, host: str) -> None:
        state = self._hosts[host]
        state.semaphore.release()
        state.users -= 1

    def slow_down(self, host: str) -> None:
        name = host.rpartition(":")[0] or host
        if name not in self._slowed:
            self._slowed[name] = max(SLOWED_MIN_DELAY, 2 * self.delay(host))
            log.info("host %s answered 429: %.1f s between requests from now on", name, self._slowed[name])
        state = self._hosts.get(host)
        if state is not None:  # the very next request waits too
            state.next_start = max(state.next_start, time.monotonic() + self._slowed[name])


@dataclass(slots=True)
class HttpStats:
    """Where a crawl's HTTP time went (request-seconds, summed over concurrent requests)."""

    requests: int = 0
    retries: int = 0
    host_wait: float = 0.0  # waiting for a per-host slot: politeness
    wire: float = 0.0  # connecting, sending and reading the body

    def as_dict(self) -> dict[str, float]:
        return {"requests": self.requests, "retries": self.retries, "host_wait_s": round(self.host_wait, 1),
                "wire_s": round(self.wire, 1)}


def load_ca_bundle(tls: ssl.SSLContext, path: str) -> None:
    """Trust the roots of a PEM file besides the usual ones; a Russian error naming the variable otherwise."""
    try:
        tls.load_verify_locations(cafile=path)
    except (OSError, ssl.SSLError) as exc:
        raise HttpError(f"NATMON_CA_BUNDLE: не удалось прочитать файл корневых сертификатов «{path}» "
                        f"({getattr(exc, 'strerror', None) or exc}). Укажите PEM-файл с корневым сертификатом "
                        "Минцифры (например, /usr/local/share/ca-certificates/russian_trusted_root_ca.crt) "
                        "или уберите переменную.", permanent=True) from exc


class PoliteClient:
    """An httpx.AsyncClient wrapped in natmon's crawl policy (implements channels.HttpGetter)."""

    def __init__(self, policy: HttpPolicy, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.policy = policy
        if transport is None:
            keepalive = httpx.Limits(max_connections=None, max_keepalive_connections=policy.per_host_concurrency)
            tls = httpx.create_ssl_context()  # one for all pools: loading the CA bundle is costly
            if policy.ca_bundle:  # extra trusted roots (the Russian root MAX uses), added to the usual ones
                load_ca_bundle(tls, policy.ca_bundle)
            if policy.allow_private_addresses:
                transport = PerOriginTransport(lambda: httpx.AsyncHTTPTransport(verify=tls, limits=keepalive))
            else:  # every connection's address checked after resolution (crawler/http_guard.py)
                transport = PerOriginTransport(lambda: guarded_transport(verify=tls, limits=keepalive))
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(policy.timeout, connect=policy.connect_timeout),
            follow_redirects=True,
            max_redirects=policy.max_redirects,
            headers={"User-Agent": policy.user_agent(), "Accept-Encoding": ACCEPT_ENCODING},
        )
        self._limiter = _HostLimiter(policy.per_host_concurrency, policy.per_host_delay, policy.delays())
        self._robots: OrderedDict[str, RobotFileParser | None] = OrderedDict()
        self._robots_locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.requests_made = 0
        self.stats = HttpStats()

    async def __aenter__(self) -> PoliteClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(self, url: str, *, params: Mapping[str, Any] | None = None,
                  headers: Mapping[str, str] | None = None, robots: bool = True) -> httpx.Response:
        if robots and self.policy.obey_robots and not await self._allowed(url):
            raise HttpError(f"Адрес запрещён для обхода файлом robots.txt сайта: {url}", url=url,
                            permanent=True)
        return await self._with_retries("GET", url, params=params, headers=headers)

    async def post(self, url: str, *, data: Mapping[str, Any] | None = None,
                   headers: Mapping[str, str] | None = None) -> httpx.Response:
        return await self._with_retries("POST", url, data=data, headers=headers)

    async def _with_retries(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.policy.attempts),
            wait=self._wait,
            retry=retry_if_exception(lambda exc: isinstance(exc, _Retryable)),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._once(method, url, **kwargs)
        except _Retryable as exc:
            raise exc.error from exc
        raise AssertionError("unreachable")  # pragma: no cover - tenacity either returns or raises

    def _wait(self, state: RetryCallState) -> float:
        """Exponential backoff with jitter, or the server's Retry-After when it asks for longer."""
        self.stats.retries += 1
        backoff = self.policy.backoff(state.attempt_number)
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable) and exc.error.retry_after is not None:
            return max(backoff, exc.error.retry_after)
        return backoff

    async def _once(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        host = urlsplit(url).netloc
        asked = time.monotonic()
        await self._limiter.acquire(host)
        started = time.monotonic()
        self.stats.host_wait += started - asked
        try:
            self.requests_made += 1
            self.stats.requests += 1
            async with asyncio.timeout(self.policy.request_deadline):
                async with self._client.stream(method, url, **kwargs) as response:
                    response._content = await read_capped(response, self.policy.max_bytes)  # what aread() sets
        except TimeoutError as exc:  # the whole exchange, a trickling body included
            raise HttpError(f"Сайт не отдал ответ за {self.policy.request_deadline:g} с (слишком медленно); "
                            f"запрос прерван, канал будет обойдён в следующий раз: {url}", url=url) from exc
        except BodyTooLarge as exc:
            size = f"{exc.declared} байт > {exc.cap}" if exc.declared else f"{exc.cap} байт"
            raise HttpError(f"Ответ больше допустимого размера ({size}, считая после распаковки; "
                            f"настройка max_bytes): {url}", url=url, permanent=True) from exc
        except BodyUndecodable as exc:
            raise HttpError(f"Ответ сайта повреждён: заявлено сжатие {exc.encoding}, но он не распаковывается: "
                            f"{url}", url=url) from exc
        except ForbiddenAddress as exc:
            raise HttpError(f"Запрос отклонён: {exc}: {url}", url=url, permanent=True) from exc
        except httpx.TooManyRedirects as exc:
            raise HttpError(f"Слишком много перенаправлений (возможно, зацикливание): {url}", url=url,
                            permanent=True) from exc
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise _Retryable(HttpError(f"Сайт не ответил ({type(exc).__name__}): {url}", url=url)) from exc
        except httpx.InvalidURL as exc:
            raise HttpError(f"Неверный адрес: {url}", url=url, permanent=True) from exc
        finally:
            self._limiter.release(host)
            self.stats.wire += time.monotonic() - started
        if response.status_code == SLOWDOWN_STATUS:
            self._limiter.slow_down(host)
        if response.status_code in RETRY_STATUSES:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            error = HttpError(f"Сервер ответил {response.status_code}: {url}", url=url,
                              status=response.status_code, retry_after=retry_after)
            if retry_after is not None and retry_after > self.policy.max_retry_after:
                raise error  # the server asks for longer than a crawl can wait: try next night
            raise _Retryable(error)
        if response.status_code >= 400:
            raise HttpError(f"Сервер ответил {response.status_code}: {url}", url=url,
                            status=response.status_code, permanent=response.status_code in (404, 410))
        return response

    async def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        async with self._robots_locks[origin]:
            if origin not in self._robots:
                self._robots[origin] = await self._load_robots(origin)
                if len(self._robots) > ROBOTS_KEPT:
                    dropped, _ = self._robots.popitem(last=False)
                    self._robots_locks.pop(dropped, None)
            self._robots.move_to_end(origin)
            parser = self._robots[origin]
        return parser is None or parser.can_fetch(self.policy.robots_agent, url)

    async def _load_robots(self, origin: str) -> RobotFileParser | None:
        """robots.txt of a site; a missing or broken one allows everything, as crawlers agree."""
        try:
            response = await self._with_retries("GET", f"{origin}/robots.txt")
        except HttpError as exc:
            if exc.status in (401, 403):
                parser = RobotFileParser()
                parser.disallow_all = True
                return parser
            return None
        parser = RobotFileParser()
        parser.parse(response.text.splitlines())
        return parser
