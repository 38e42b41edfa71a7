"""The run-wide pool of VK tokens: rate limits, daily quota, batching through `execute`.

Every VK call of a crawl run goes through one `TokenPool` (kept in `ctx.state["vk"]`).
Callers `await pool.request(method, params, notes)`; a single dispatcher task hands the
queued calls to the token whose next request slot comes first. While it waits for that
slot, calls from other channels pile up, and up to 25 of them leave together in one
`execute` — so batching happens across channels without any channel waiting on purpose.
All bookkeeping runs on the event loop without awaits in between, which is what makes
it safe for many channels fetched concurrently; only the HTTP call runs in a thread.

Tokens come from `NATMON_VK_TOKENS`; one written as `service:<token>` is a service key,
which cannot call `execute`, so its calls go one by one. Tokens are named in messages
only by number («токен №2»).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Mapping

from channels.base import ChannelError, ChannelSettings
from channels.vk_errors import EXECUTE_REFUSED, TOKEN_ENV, Action, action, channel_error, retry_exhausted, \
    token_reason
from channels.vk_parse import VkCallError, VkParseError, call_error, split_execute
from channels.vk_transport import VkTransport, VkTransportError

log = logging.getLogger(__name__)

EXECUTE_MAX_CALLS = 25
MAX_ATTEMPTS = 3  # a call failing with error 1, 10 or a network error: first try + 2 retries
MAX_RPS_ATTEMPTS = 6  # error 6 (too many requests per second): retried after a rest
RETRY_WAIT = 1.0  # seconds a token rests after error 6, 1, 10 or a network error
RATE_SAFETY = 1.05  # space requests 5 % wider than the limit, as vk_api's 0.34 s does for 3/s
SERVICE_PREFIX = "service:"
WALL_GET = "wall.get"


class RateLimiter:
    """Start times of one token's requests, at most `per_second` a second (asyncio time)."""

    __slots__ = ("interval", "next_free")

    def __init__(self, per_second: float) -> None:
        self.interval = RATE_SAFETY / per_second if per_second > 0 else 0.0
        self.next_free = 0.0

    def reserve(self, now: float) -> float:
        """Book the next slot; return how long to wait for it."""
        start = max(now, self.next_free)
        self.next_free = start + self.interval
        return start - now

    def rest(self, now: float, seconds: float) -> None:
        """Keep the token quiet for `seconds` (after error 6 and transient failures)."""
        self.next_free = max(self.next_free, now + seconds)


@dataclass(slots=True)
class VkToken:
    """One token's state for this run; its value lives only inside `transport`."""

    number: int
    service: bool
    fingerprint: str  # a non-reversible id of the token, to carry its quota use across runs
    transport: VkTransport = field(repr=False)
    limiter: RateLimiter = field(repr=False)
    can_execute: bool = True
    wall_get_used: int = 0
    exhausted: bool = False
    disabled: str | None = None

    @property
    def label(self) -> str:
        return f"токен №{self.number}"


@dataclass(slots=True)
class _Call:
    method: str
    params: dict[str, Any]
    future: asyncio.Future[Any]
    notes: list[str]
    attempts: int = 0  # failures with error 1, 10 or a network error
    rps_attempts: int = 0  # failures with error 6 or 9, counted apart: they say "slower", not "broken"

    @property
    def cost(self) -> int:
        return 1 if self.method == WALL_GET else 0


def token_fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:16]


def execute_code(calls: list[tuple[str, dict[str, Any]]]) -> str:
    """VKScript in the plain list form: `return [API.m({...}),API.m({...})];`."""
    parts = (f"API.{m}({json.dumps(p, ensure_ascii=False, separators=(',', ':'))})" for m, p in calls)
    return "return [" + ",".join(parts) + "];"


def no_tokens_error() -> ChannelError:
    return ChannelError(f"не задан ни один токен ВКонтакте: укажите их через запятую в переменной окружения "
                        f"{TOKEN_ENV} (сервисный ключ — с приставкой «{SERVICE_PREFIX}»)")


class TokenPool:
    """All tokens of a run, their limits and the queue of calls waiting for them."""

    def __init__(self, settings: ChannelSettings, used_today: Mapping[str, int] | None = None) -> None:
        """`used_today`: wall.get calls already spent today per token fingerprint (from earlier runs)."""
        used_today = used_today or {}
        self.quota = settings.vk_daily_wall_get_quota
        self.retry_wait = RETRY_WAIT
        self.events: list[str] = []  # token problems of this run, for the run summary
        self.tokens: list[VkToken] = []
        for number, raw in enumerate(settings.vk_tokens, start=1):
            service = raw.startswith(SERVICE_PREFIX)
            secret = raw[len(SERVICE_PREFIX):] if service else raw
            transport = VkTransport.create(number, secret, settings.vk_api_url, settings.vk_api_version,
                                           settings.api_max_bytes)
            fingerprint = token_fingerprint(secret)
            self.tokens.append(VkToken(number, service, fingerprint, transport,
                                       RateLimiter(settings.vk_requests_per_second), can_execute=not service,
                                       wall_get_used=int(used_today.get(fingerprint, 0))))
        self._pending: deque[_Call] = deque()
        self._dispatcher: asyncio.Task[None] | None = None
        self._inflight: set[asyncio.Task[None]] = set()

    def __repr__(self) -> str:
        return f"<TokenPool tokens={len(self.tokens)} pending={len(self._pending)}>"

    def used_today(self) -> dict[str, int]:
        """wall.get calls spent per token fingerprint, for the next run of the same day."""
        return {token.fingerprint: token.wall_get_used for token in self.tokens}

    async def request(self, method: str, params: dict[str, Any], notes: list[str]) -> Any:
        """Call one API method through the pool; return its `response` or raise `ChannelError`."""
        if not self.tokens:
            raise no_tokens_error()
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending.append(_Call(method, dict(params), future, notes))
        self._wake()
        return await future

    # -- dispatching -------------------------------------------------------------------

    def _wake(self) -> None:
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = asyncio.create_task(self._dispatch())

    async def _dispatch(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._drop_done():
                token = self._choose(self._pending[0].cost)
                if token is None:
                    self._fail_unservable()
                    continue
                delay = token.limiter.reserve(loop.time())
                if delay > 0:
                    await asyncio.sleep(delay)
                batch = self._take(token)
                if batch:
                    task = asyncio.create_task(self._send(token, batch))
                    self._inflight.add(task)
                    task.add_done_callback(self._inflight.discard)
        except Exception as exc:  # never leave a caller waiting forever
            log.exception("VK dispatcher failed")
            while self._pending:
                self._fail(self._pending.popleft(), ChannelError(f"внутренняя ошибка очереди ВКонтакте: {exc!r}"))

    def _drop_done(self) -> bool:
        while self._pending and self._pending[0].future.done():
            self._pending.popleft()
        return bool(self._pending)

    def _choose(self, cost: int) -> VkToken | None:
        usable = [t for t in self.tokens if t.disabled is None
                  and (cost == 0 or (not t.exhausted and t.wall_get_used < self.quota))]
        return min(usable, key=lambda t: t.limiter.next_free, default=None)

    def _fail_unservable(self) -> None:
        if any(t.disabled is None for t in self.tokens):
            error = ChannelError(f"дневная квота wall.get ({self.quota} на токен) исчерпана у всех токенов "
                                 f"ВКонтакте; обход продолжится завтра, или добавьте токены в {TOKEN_ENV}")
            stuck = [c for c in self._pending if c.cost]
        else:
            error = ChannelError(f"все токены ВКонтакте из {TOKEN_ENV} отключены: " + "; ".join(self.events))
            stuck = list(self._pending)
        for call in stuck:
            self._pending.remove(call)
            self._fail(call, error)

    def _take(self, token: VkToken) -> list[_Call]:
        limit = EXECUTE_MAX_CALLS if token.can_execute else 1
        room = self.quota - token.wall_get_used
        batch: list[_Call] = []
        while self._pending and len(batch) < limit and token.disabled is None:
            call = self._pending[0]
            if call.future.done():
                self._pending.popleft()
                continue
            if call.cost > room or (call.cost and token.exhausted):
                if not batch:
                    self._exhaust(token, call.notes)
                break
            room -= call.cost
            batch.append(self._pending.popleft())
        token.wall_get_used += sum(c.cost for c in batch)
        return batch

    # -- sending and settling ----------------------------------------------------------

    async def _send(self, token: VkToken, batch: list[_Call]) -> None:
        try:
            if len(batch) == 1:
                call = batch[0]
                envelope = await token.transport.call(call.method, call.params)
                outcomes: list[Any] = [call_error(envelope["error"], call.method) if "error" in envelope
                                       else envelope.get("response")]
            else:
                code = execute_code([(c.method, c.params) for c in batch])
                envelope = await token.transport.call("execute", {"code": code})
                if self._execute_refused(token, envelope, batch):
                    return
                outcomes = ([call_error(envelope["error"], "execute")] * len(batch) if "error" in envelope
                            else split_execute(envelope, len(batch)))
        except VkTransportError as exc:
            token.limiter.rest(asyncio.get_running_loop().time(), self.retry_wait)
            for call in batch:
                call.attempts += 1
                self._fail(call, exc) if exc.permanent or call.attempts >= MAX_ATTEMPTS else self._requeue(call)
            return
        except VkParseError as exc:
            for call in batch:
                self._fail(call, exc)
            return
        for call, outcome in zip(batch, outcomes):
            self._settle(token, call, outcome)

    def _execute_refused(self, token: VkToken, envelope: dict[str, Any], batch: list[_Call]) -> bool:
        """An `execute` the token may not run: remember, refund the quota, resend one by one."""
        if "error" in envelope:
            errors = [call_error(envelope["error"], "execute")]
        elif envelope.get("response") is None:
            errors = [e for e in (call_error(x) for x in envelope.get("execute_errors") or []) if e.method == "execute"]
        else:
            return False
        if not errors or errors[0].code not in EXECUTE_REFUSED:
            return False
        token.can_execute = False
        token.wall_get_used -= sum(c.cost for c in batch)
        self._event(token, f"не может вызывать execute (ошибка {errors[0].code}); дальше запросы по одному",
                    batch[0].notes)
        for call in reversed(batch):
            self._requeue(call, front=True)
        return True

    def _settle(self, token: VkToken, call: _Call, outcome: Any) -> None:
        if not isinstance(outcome, VkCallError):
            if not call.future.done():
                call.future.set_result(outcome)
            return
        kind = action(outcome)
        if kind is Action.CHANNEL:
            self._fail(call, channel_error(outcome))
        elif kind is Action.DISABLE_TOKEN:
            if token.disabled is None:
                token.disabled = token_reason(outcome)
                self._event(token, token.disabled, call.notes)
            self._requeue(call, front=True)
        elif kind is Action.NEXT_TOKEN_QUOTA:
            self._exhaust(token, call.notes)
            self._requeue(call, front=True)
        else:
            if kind is Action.WAIT_RETRY:
                call.rps_attempts += 1
                spent = call.rps_attempts >= MAX_RPS_ATTEMPTS
            else:
                call.attempts += 1
                spent = call.attempts >= MAX_ATTEMPTS
            if spent:
                self._fail(call, retry_exhausted(outcome))
                return
            token.limiter.rest(asyncio.get_running_loop().time(), self.retry_wait)
            self._requeue(call)

    def _exhaust(self, token: VkToken, notes: list[str]) -> None:
        if not token.exhausted:
            token.exhausted = True
            self._event(token, f"дневная квота wall.get исчерпана (учтено {token.wall_get_used} из {self.quota}); "
                               "его запросы переходят к другим токенам", notes)

    def _event(self, token: VkToken, text: str, notes: list[str]) -> None:
        message = f"{token.label}: {text}"
        if message not in self.events:
            self.events.append(message)
            log.warning("VK %s", message)
        if message not in notes:
            notes.append(message)

    def _requeue(self, call: _Call, front: bool = False) -> None:
        if call.future.done():
            return
        if front:
            self._pending.appendleft(call)
        else:
            self._pending.append(call)
        self._wake()

    @staticmethod
    def _fail(call: _Call, error: BaseException) -> None:
        if not call.future.done():
            call.future.set_exception(error)
