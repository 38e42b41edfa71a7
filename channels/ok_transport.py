"""The one place natmon calls the Одноклассники REST API: signing, the run-wide session, errors.

Every method is a POST to `fb.do` (the form keeps the token out of URLs and logs) with
`application_key`, `format=json`, `method`, the method's parameters, `access_token` and `sig`.
The signature, as apiok.ru documents it: sort the parameters except `access_token` and
`session_key`, join them as `key=value` without separators, append the session secret
`md5(access_token + application_secret_key)` (lower-case hex), take the MD5 of the whole, in
lower-case hex.

`OkSession` lives for one crawl (in `FetchContext.state`): the first call of the run is
`auth.touchSession`, which renews the service account's 30-day token explicitly; an error no
OK channel can get past (expired token, missing permission) is remembered and every later
call fails at once with the same Russian reason; "too many calls" makes every OK call of the
run wait before asking again.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from typing import Any, Mapping

from channels.base import ChannelError, FetchContext
from channels.ok_errors import KEY_ENV, SECRET_ENV, TOKEN_ENV, Action, OkChannelError, action, channel_error, \
    missing_credentials
from channels.ok_parse import call_error

STATE_KEY = "ok"
TOUCH_METHOD = "auth.touchSession"
UNSIGNED = frozenset({"access_token", "session_key", "sig"})
BACK_OFF_ATTEMPTS = 3  # "too many calls" answers waited out per call before the channel gives up
RETRY_PAUSE = 1.0  # seconds before repeating a call that failed on OK's side
TOKEN_CODES = frozenset({101, 102, 103, 104})  # a failed touchSession with these ends the run's OK calls

_sleep = asyncio.sleep  # the one pause of the OK adapter; tests replace it


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest().lower()


def signature(params: Mapping[str, Any], secret_key: str, access_token: str | None) -> str:
    """`sig` of a request: MD5 of the sorted `key=value` pairs plus the session secret."""
    session_secret = md5_hex(access_token + secret_key) if access_token else secret_key
    joined = "".join(f"{key}={params[key]}" for key in sorted(params) if key not in UNSIGNED)
    return md5_hex(joined + session_secret)


def signed(method: str, values: Mapping[str, Any], application_key: str, secret_key: str,
           access_token: str | None) -> dict[str, str]:
    """The whole form of one call, signature and token included."""
    form = {"application_key": application_key, "format": "json", "method": method,
            **{key: str(value) for key, value in values.items()}}
    form["sig"] = signature(form, secret_key, access_token)
    if access_token:
        form["access_token"] = access_token
    return form


class OkSession:
    """Run-wide OK API access (kept in `ctx.state["ok"]`); the secrets stay inside, out of every repr."""

    def __init__(self, ctx: FetchContext) -> None:
        settings = ctx.settings
        self._http = ctx.http
        self._url = settings.ok_api_url
        self._key = settings.ok_application_key or ""
        self._secret = settings.ok_secret_key or ""
        self._token = settings.ok_access_token or ""
        self._wait = settings.ok_rate_limit_wait
        self._touch_lock = asyncio.Lock()
        self._touched = False
        self._resume_at = 0.0  # monotonic time before which no call is made (after "too many calls")
        self.broken: OkChannelError | None = None
        self.calls = 0
        missing = [name for name, value in ((KEY_ENV, self._key), (SECRET_ENV, self._secret),
                                            (TOKEN_ENV, self._token)) if not value]
        if missing:
            self.broken = missing_credentials(missing)

    def __repr__(self) -> str:
        return f"<OkSession calls={self.calls} broken={self.broken is not None}>"

    @classmethod
    def of(cls, ctx: FetchContext) -> OkSession:
        session = ctx.state.get(STATE_KEY)
        if session is None:
            session = ctx.state[STATE_KEY] = cls(ctx)
        return session

    async def call(self, method: str, values: Mapping[str, Any], notes: list[str]) -> Any:
        """The answer of one method; a Russian `OkChannelError` when it fails."""
        await self._touch(notes)
        back_offs = retries = 0
        while True:
            self._raise_if_broken()
            answer = await self._post(method, values)
            error = call_error(answer)
            if error is None:
                return answer
            reaction = action(error)
            if reaction is Action.BACK_OFF and back_offs < BACK_OFF_ATTEMPTS:
                back_offs += 1
                self._back_off(back_offs, error.code, notes)
                continue
            if reaction is Action.RETRY and retries < 1:
                retries += 1
                await _sleep(RETRY_PAUSE)
                continue
            failure = channel_error(error)
            if reaction is Action.RUN:
                self.broken = failure
            raise failure

    async def _touch(self, notes: list[str]) -> None:
        """Renew the token once per run; an expired or wrong token stops every OK call of the run."""
        if self._touched:
            return
        async with self._touch_lock:
            if self._touched:
                return
            self._raise_if_broken()
            answer = await self._post(TOUCH_METHOD, {})
            error = call_error(answer)
            self._touched = True
            if error is None:
                return
            if error.code in TOKEN_CODES:
                self.broken = channel_error(error)
                raise self.broken
            notes.append(f"Одноклассники: продлить токен методом {TOUCH_METHOD} не удалось (ошибка {error.code}: "
                         f"{error.message}); токен продлевается и сам при каждом обходе")

    async def _post(self, method: str, values: Mapping[str, Any]) -> Any:
        pause = self._resume_at - time.monotonic()
        if pause > 0:
            await _sleep(pause)
        self.calls += 1
        form = signed(method, values, self._key, self._secret, self._token)
        try:
            response = await self._http.post(self._url, data=form)
        except ChannelError as exc:
            raise OkChannelError(f"API Одноклассников недоступен при вызове {method} ({exc.message}); повторим "
                                 "при следующем обходе", retry_after=exc.retry_after) from exc
        try:
            return json.loads(response.content)
        except ValueError as exc:
            raise OkChannelError(f"API Одноклассников ответил не JSON на {method}; повторим при следующем "
                                 "обходе") from exc

    def _back_off(self, attempt: int, code: int, notes: list[str]) -> None:
        """Hold every OK call of the run (the next `_post` waits), longer at each attempt."""
        seconds = self._wait * attempt
        self._resume_at = max(self._resume_at, time.monotonic() + seconds)
        notes.append(f"Одноклассники попросили реже обращаться к API (ошибка {code}); пауза {seconds:.0f} с")

    def _raise_if_broken(self) -> None:
        if self.broken is not None:
            raise OkChannelError(self.broken.message, code=self.broken.code, run_wide=True)
