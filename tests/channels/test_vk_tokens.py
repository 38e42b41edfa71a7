"""The VK token pool: batching, execute fallback, token errors, quota, retries, secrecy.

A scripted transport stands in for vk_api here, so each rule is checked in isolation;
tests/channels/test_vk_fetch.py runs the whole path over HTTP against the stand-in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from channels.base import ChannelError, ChannelSettings
from channels.vk_errors import VkChannelError
from channels.vk_parse import call_error
from channels.vk_tokens import RateLimiter, TokenPool, execute_code
from channels.vk_transport import VkTransportError
from crawler.demo.vk_standin import parse_execute_code

SECRETS = ("vk1.a.SECRET-ONE", "vk1.a.SECRET-TWO")
Script = Callable[[int, str, dict[str, Any]], dict[str, Any]]


def error(code: int, message: str = "test") -> dict[str, Any]:
    return {"error": {"error_code": code, "error_msg": message, "request_params": [{"key": "v", "value": "5.199"}]}}


def wall(owner: int) -> dict[str, Any]:
    return {"count": 1, "items": [{"id": 1, "owner_id": owner, "date": 1_726_000_000, "text": "Урок"}]}


class ScriptedTransport:
    """Answers each call with `script(token_number, method, values)`; logs the calls."""

    def __init__(self, number: int, script: Script, log: list[tuple[int, str, dict[str, Any]]]) -> None:
        self.number, self.script, self.log = number, script, log

    async def call(self, method: str, values: dict[str, Any]) -> dict[str, Any]:
        self.log.append((self.number, method, values))
        await asyncio.sleep(0)
        return self.script(self.number, method, values)


def answer_all(number: int, method: str, values: dict[str, Any]) -> dict[str, Any]:
    """A healthy API: wall.get answers, execute answers each inner call."""
    if method == "execute":
        calls = parse_execute_code(values["code"]) or []
        return {"response": [wall(int(p["owner_id"])) for _, p in calls]}
    return {"response": wall(int(values["owner_id"]))}


def make_pool(script: Script, tokens: tuple[str, ...] = SECRETS, quota: int = 5000,
              ) -> tuple[TokenPool, list[tuple[int, str, dict[str, Any]]]]:
    settings = ChannelSettings(vk_tokens=tokens, vk_requests_per_second=200.0, vk_daily_wall_get_quota=quota)
    pool = TokenPool(settings)
    pool.retry_wait = 0.001
    log: list[tuple[int, str, dict[str, Any]]] = []
    for token in pool.tokens:
        token.transport = ScriptedTransport(token.number, script, log)  # type: ignore[assignment]
    return pool, log


async def walls(pool: TokenPool, owners: range, notes: list[str] | None = None) -> list[Any]:
    notes = [] if notes is None else notes
    return await asyncio.gather(*(pool.request("wall.get", {"owner_id": -o, "offset": 0, "count": 100}, notes)
                                  for o in owners))


async def test_concurrent_calls_leave_together_in_execute_batches_of_25() -> None:
    pool, log = make_pool(answer_all, tokens=SECRETS[:1])
    answers = await walls(pool, range(1, 31))
    assert [a["items"][0]["owner_id"] for a in answers] == [-o for o in range(1, 31)]
    sizes = [len(parse_execute_code(v["code"]) or []) if m == "execute" else 1 for _, m, v in log]
    assert sizes == [25, 5]
    assert pool.tokens[0].wall_get_used == 30  # an execute with k wall.get calls counts k


async def test_service_token_sends_calls_one_by_one() -> None:
    pool, log = make_pool(answer_all, tokens=("service:" + SECRETS[0],))
    await walls(pool, range(1, 4))
    assert [m for _, m, _ in log] == ["wall.get"] * 3


async def test_execute_refused_falls_back_to_single_calls_and_is_remembered() -> None:
    def script(number: int, method: str, values: dict[str, Any]) -> dict[str, Any]:
        return error(28, "Application authorization failed") if method == "execute" else answer_all(number, method,
                                                                                                   values)
    pool, log = make_pool(script, tokens=SECRETS[:1])
    notes: list[str] = []
    await walls(pool, range(1, 4), notes)
    await walls(pool, range(4, 7))
    assert [m for _, m, _ in log] == ["execute"] + ["wall.get"] * 6
    assert pool.tokens[0].can_execute is False and pool.tokens[0].wall_get_used == 6
    assert notes == ["токен №1: не может вызывать execute (ошибка 28); дальше запросы по одному"]


async def test_bad_token_is_disabled_named_by_number_and_the_next_one_serves() -> None:
    def script(number: int, method: str, values: dict[str, Any]) -> dict[str, Any]:
        return error(5, "User authorization failed: invalid access_token (4).") if number == 1 \
            else answer_all(number, method, values)
    pool, log = make_pool(script)
    notes: list[str] = []
    answers = await walls(pool, range(1, 3), notes)
    assert len(answers) == 2
    assert pool.tokens[0].disabled and pool.tokens[1].disabled is None
    assert len(notes) == 1 and notes[0].startswith("токен №1: ВКонтакте отклонил токен (ошибка 5")
    assert "NATMON_VK_TOKENS" in notes[0]
    shown = " ".join([*notes, *pool.events, repr(pool), repr(pool.tokens)])
    assert not any(secret in shown for secret in SECRETS)


async def test_all_tokens_refused_is_a_channel_error_that_names_the_variable() -> None:
    pool, _ = make_pool(lambda n, m, v: error(5))
    with pytest.raises(ChannelError, match="все токены ВКонтакте из NATMON_VK_TOKENS отключены") as caught:
        await walls(pool, range(1, 2))
    assert "токен №1" in caught.value.message and "токен №2" in caught.value.message
    assert not any(secret in caught.value.message for secret in SECRETS)


async def test_error_29_moves_to_the_next_token_and_all_spent_stops_wall_get() -> None:
    def script(number: int, method: str, values: dict[str, Any]) -> dict[str, Any]:
        return error(29, "Rate limit reached") if number == 1 else answer_all(number, method, values)
    pool, log = make_pool(script)
    await walls(pool, range(1, 2))
    assert [n for n, _, _ in log] == [1, 2] and pool.tokens[0].exhausted
    pool.tokens[1].exhausted = True
    with pytest.raises(ChannelError, match="дневная квота wall.get .* исчерпана у всех токенов"):
        await walls(pool, range(1, 2))


async def test_daily_quota_is_counted_and_spread_over_tokens() -> None:
    pool, log = make_pool(answer_all, quota=3)
    for owner in range(1, 6):  # one at a time: single calls
        await walls(pool, range(owner, owner + 1))
    assert [n for n, _, _ in log].count(1) == 3 and [n for n, _, _ in log].count(2) == 2
    assert [t.wall_get_used for t in pool.tokens] == [3, 2]


async def test_quota_limits_the_size_of_an_execute() -> None:
    pool, log = make_pool(answer_all, tokens=SECRETS[:1], quota=4)
    with pytest.raises(ChannelError, match="квота"):
        await walls(pool, range(1, 7))
    assert len(parse_execute_code(log[0][2]["code"]) or []) == 4


async def test_error_6_and_10_are_retried_after_a_wait() -> None:
    failures = {"wall.get": [6, 10, 1]}

    def script(number: int, method: str, values: dict[str, Any]) -> dict[str, Any]:
        codes = failures["wall.get"]
        return error(codes.pop(0)) if codes else answer_all(number, method, values)
    pool, log = make_pool(script, tokens=SECRETS[:1])
    assert (await walls(pool, range(1, 2)))[0]["count"] == 1
    assert len(log) == 4


async def test_error_10_gives_up_after_a_couple_of_retries() -> None:
    pool, log = make_pool(lambda n, m, v: error(10, "Internal server error"), tokens=SECRETS[:1])
    with pytest.raises(VkChannelError, match="несколько раз подряд ответил ошибкой 10") as caught:
        await walls(pool, range(1, 2))
    assert len(log) == 3 and caught.value.permanent is False


@pytest.mark.parametrize(("code", "permanent", "words"), [
    (15, True, "нет доступа к стене"), (18, True, "удалена или заблокирована"), (30, True, "профиль закрыт"),
    (100, True, "не принял адрес"), (113, True, "неверный идентификатор"), (9999, False, "повторим"),
])
async def test_wall_errors_become_russian_channel_errors(code: int, permanent: bool, words: str) -> None:
    pool, _ = make_pool(lambda n, m, v: error(code, "Something"), tokens=SECRETS[:1])
    with pytest.raises(VkChannelError, match=words) as caught:
        await walls(pool, range(1, 2))
    assert (caught.value.code, caught.value.permanent) == (code, permanent)


async def test_inner_execute_errors_fail_only_their_own_call() -> None:
    def script(number: int, method: str, values: dict[str, Any]) -> dict[str, Any]:
        calls = parse_execute_code(values["code"]) or []
        results = [False if p["owner_id"] == -2 else wall(int(p["owner_id"])) for _, p in calls]
        return {"response": results,
                "execute_errors": [{"method": "wall.get", "error_code": 15, "error_msg": "Access denied"}]}
    pool, _ = make_pool(script, tokens=SECRETS[:1])
    answers = await asyncio.gather(*(pool.request("wall.get", {"owner_id": -o}, []) for o in (1, 2, 3)),
                                   return_exceptions=True)
    assert isinstance(answers[1], VkChannelError) and answers[1].code == 15
    assert answers[0]["count"] == 1 and answers[2]["count"] == 1


async def test_network_errors_are_retried_then_reported() -> None:
    def script(number: int, method: str, values: dict[str, Any]) -> dict[str, Any]:
        raise VkTransportError("API ВКонтакте недоступен (ConnectionError) при вызове wall.get; повторим позже")
    pool, log = make_pool(script, tokens=SECRETS[:1])
    with pytest.raises(VkTransportError, match="недоступен"):
        await walls(pool, range(1, 2))
    assert len(log) == 3


async def test_a_cancelled_caller_does_not_block_the_others() -> None:
    pool, log = make_pool(answer_all, tokens=SECRETS[:1])
    waiting = asyncio.ensure_future(pool.request("wall.get", {"owner_id": -1}, []))
    other = asyncio.ensure_future(pool.request("wall.get", {"owner_id": -2}, []))
    waiting.cancel()
    assert (await other)["items"][0]["owner_id"] == -2


async def test_no_tokens_names_the_variable() -> None:
    pool = TokenPool(ChannelSettings(vk_tokens=()))
    with pytest.raises(ChannelError, match="NATMON_VK_TOKENS"):
        await pool.request("wall.get", {"owner_id": -1}, [])


def test_rate_limiter_spaces_requests() -> None:
    limiter = RateLimiter(3.0)
    waits = [limiter.reserve(10.0) for _ in range(4)]
    assert waits[0] == 0.0
    assert all(b - a == pytest.approx(1.05 / 3) for a, b in zip(waits, waits[1:]))
    limiter.rest(10.0, 5.0)
    assert limiter.reserve(10.0) == pytest.approx(5.0)


def test_execute_code_is_the_plain_list_form() -> None:
    code = execute_code([("wall.get", {"owner_id": -1, "offset": 0, "count": 100}),
                         ("utils.resolveScreenName", {"screen_name": "школа"})])
    assert code == ('return [API.wall.get({"owner_id":-1,"offset":0,"count":100}),'
                    'API.utils.resolveScreenName({"screen_name":"школа"})];')
    assert parse_execute_code(code) == [("wall.get", {"owner_id": -1, "offset": 0, "count": 100}),
                                        ("utils.resolveScreenName", {"screen_name": "школа"})]


def test_error_objects_read_as_the_api_sends_them() -> None:
    assert call_error(error(6)["error"]).code == 6
