"""The login throttle: per account and per address, in the store, a growing delay rather than a lock;
the client address is the forwarded one only behind a proxy named in the settings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from crawler import schema as t
from reports.web import WebConfig, create_app
from reports.web.throttle import ACCOUNT, ADDRESS, delay
from tests.conftest import at_once
from tests.web.conftest import SECRET, TODAY, csrf_token, log_in, make_client

START = datetime(2025, 1, 22, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(app) -> Clock:
    fake = Clock()
    app.state.web.throttle.clock = fake
    return fake


def test_the_delay_grows_and_stops_at_its_ceiling():
    assert [delay(ACCOUNT, n) for n in range(7)] == [0, 0, 0, 2, 4, 8, 16]
    assert delay(ACCOUNT, 1000) == ACCOUNT.ceiling == 60
    assert delay(ADDRESS, 1000) == ADDRESS.ceiling


async def test_failures_slow_the_login_down_even_with_the_right_password(region, app, clock):
    async with make_client(app) as client:
        for _ in range(3):
            assert await log_in(client, "angarsk", "неверный-пароль") == 401
        assert await log_in(client, "angarsk") == 429  # must wait 2 s now
    async with make_client(app, address="10.0.0.2") as elsewhere:  # the account waits from any address
        token = csrf_token((await elsewhere.get("/login")).text)
        refused = await elsewhere.post("/login", data={"login": "angarsk", "password": "x", "csrf_token": token})
        assert refused.status_code == 429 and "Подождите 2 секунды" in refused.text
        assert await log_in(elsewhere, "shelekhov") == 303  # other accounts from there are fine
    clock.advance(2)
    async with make_client(app) as client:
        assert await log_in(client, "angarsk") == 303


async def test_an_attacker_cannot_lock_a_known_login_out_for_long(region, app, clock):
    """Hundreds of guesses from many addresses: the owner waits at most the account's ceiling (a minute)."""
    for attempt in range(300):
        async with make_client(app, address=f"10.1.{attempt // 200}.{attempt % 200 + 1}") as attacker:
            await log_in(attacker, "angarsk", f"угадываю-{attempt}")
        clock.advance(1)
    async with make_client(app, address="192.168.5.5") as owner:
        token = csrf_token((await owner.get("/login")).text)
        waiting = await owner.post("/login", data={"login": "angarsk", "password": "x", "csrf_token": token})
        assert waiting.status_code == 429
        clock.advance(ACCOUNT.ceiling)
        assert await log_in(owner, "angarsk") == 303


async def test_many_logins_from_one_address_slow_that_address(region, app, clock):
    async with make_client(app, address="10.0.0.3") as client:
        for name in ("a1", "a2", "a3", "a4", "a5"):
            assert await log_in(client, name, "угадываю-пароль") == 401
        assert await log_in(client, "operator") == 429
    async with make_client(app, address="10.0.0.4") as other:
        assert await log_in(other, "operator") == 303


async def test_the_count_survives_a_restart(region, clock):
    first = create_app(region.store, region.registry, WebConfig(secret_key=SECRET, today=lambda: TODAY))
    first.state.web.throttle.clock = clock
    async with make_client(first) as client:
        for _ in range(3):
            await log_in(client, "angarsk", "неверный-пароль")
    restarted = create_app(region.store, region.registry, WebConfig(secret_key=SECRET, today=lambda: TODAY))
    restarted.state.web.throttle.clock = clock
    async with make_client(restarted) as client:
        assert await log_in(client, "angarsk") == 429
    with region.store.engine.connect() as conn:
        keys = {row.key: row.failures for row in conn.execute(select(t.login_failures))}
    assert keys == {"login:angarsk": 3, "ip:127.0.0.1": 3}


FORGED = {"X-Forwarded-For": "203.0.113.77"}


async def login_address(region, app, headers: dict[str, str], peer: str = "127.0.0.1") -> str:
    async with make_client(app, address=peer) as client:
        token = csrf_token((await client.get("/login")).text)
        await client.post("/login", headers=headers,
                          data={"login": "operator", "password": "Пароль-для-тестов-1", "csrf_token": token})
    with region.store.engine.connect() as conn:
        details = conn.execute(select(t.audit_log.c.details).order_by(t.audit_log.c.id.desc())).scalar()
    return details["address"]


async def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(region, app, clock):
    assert await login_address(region, app, FORGED) == "127.0.0.1"
    async with make_client(app) as client:  # forging a new address per guess does not escape the limit
        for n in range(5):
            token = csrf_token((await client.get("/login")).text)
            await client.post("/login", headers={"X-Forwarded-For": f"198.51.100.{n}"},
                              data={"login": f"guess{n}", "password": "x", "csrf_token": token})
        assert await log_in(client, "shelekhov") == 429


async def test_a_proxy_named_in_the_settings_is_believed(region):
    app = create_app(region.store, region.registry, WebConfig(secret_key=SECRET, today=lambda: TODAY,
                                                              trusted_proxies=("10.9.0.0/24",)))
    assert await login_address(region, app, FORGED, peer="10.9.0.5") == "203.0.113.77"
    assert await login_address(region, app, FORGED, peer="10.8.0.5") == "10.8.0.5"
    assert await login_address(region, app, {"X-Forwarded-For": "203.0.113.9, 10.9.0.7"},
                               peer="10.9.0.5") == "203.0.113.9"  # proxies of our own are skipped


def serve_and_log_in(region, monkeypatch, extra: list[str]) -> str:
    """Run `natmon serve` as configured (uvicorn for real, on 127.0.0.1), log in with a forged
    X-Forwarded-For, and return the address the audit log recorded."""
    import threading
    import time

    import httpx
    import uvicorn
    from typer.testing import CliRunner

    from tests.web.test_browser import free_port
    from tests.web.test_cli import cli, db_of

    captured: dict = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **kwargs: captured.update(app=app, **kwargs))
    port = free_port()
    result = CliRunner().invoke(cli(), ["serve", "--dev", "--port", str(port), "--db", db_of(region),
                                        "--sources", str(region.registry.path), *extra])
    assert result.exit_code == 0, result.output
    server = uvicorn.Server(uvicorn.Config(captured.pop("app"), **captured, lifespan="off", ws="none"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            token = csrf_token(client.get("/login").text)
            client.post("/login", headers=FORGED,
                        data={"login": "operator", "password": "Пароль-для-тестов-1", "csrf_token": token})
    finally:
        server.should_exit = True
        thread.join(10)
    with region.store.engine.connect() as conn:
        details = conn.execute(select(t.audit_log.c.details).order_by(t.audit_log.c.id.desc())).scalar()
    return details["address"]


def test_natmon_serve_believes_forwarded_headers_only_from_named_proxies(region, monkeypatch):
    assert serve_and_log_in(region, monkeypatch, []) == "127.0.0.1"
    assert serve_and_log_in(region, monkeypatch, ["--trusted-proxies", "127.0.0.1"]) == "203.0.113.77"


def test_a_wrong_proxy_setting_is_refused_in_russian(region, monkeypatch):
    from typer.testing import CliRunner

    from tests.web.test_cli import cli, db_of

    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: None)
    result = CliRunner().invoke(cli(), ["serve", "--dev", "--db", db_of(region), "--sources",
                                        str(region.registry.path)], env={"NATMON_TRUSTED_PROXIES": "proxy.local"})
    assert result.exit_code == 2 and "«proxy.local» — не IP-адрес и не сеть" in result.output


@pytest.mark.both_stores
def test_failed_logins_at_the_same_moment_all_count(db):
    """Web workers failing the same login at once (PostgreSQL serves several): none is lost, none errors."""
    from crawler.store import Store
    from reports.web.throttle import LoginThrottle

    store = Store.open(db)
    try:
        throttle = LoginThrottle(store, clock=lambda: START)

        def fail_often(_worker: int) -> None:
            for _ in range(10):
                throttle.failed("angarsk", "10.0.0.9")

        assert at_once(4, fail_often) == []
        with store.engine.connect() as conn:
            counts = dict(conn.execute(select(t.login_failures.c.key, t.login_failures.c.failures)).all())
        assert counts == {"login:angarsk": 40, "ip:10.0.0.9": 40}
        assert throttle.wait("angarsk", "10.0.0.9") == ADDRESS.ceiling  # 40 failures: the address's longest wait
    finally:
        store.close()
