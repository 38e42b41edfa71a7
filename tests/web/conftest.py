"""The web app over a small real store: two municipalities, an operator, two coordinators, a disabled user."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from starlette.applications import Starlette

from crawler import schema as t
from crawler.registry import Registry, load
from crawler.store import Store
from reports.users import add_user, disable_user
from reports.web import WebConfig, create_app
from tests.reports.conftest import REGISTRY_YAML, fill

ANGARSK = "г. Ангарск"
SHELEKHOV = "Шелеховский район"
PASSWORD = "Пароль-для-тестов-1"
TODAY = date(2025, 1, 22)  # inside the period 14.01–24.01.2025
PERIOD = "2025-01-24"
SECRET = "test-secret-key-not-for-production"
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with small costs: the same code path, a fraction of the time."""
    monkeypatch.setattr("reports.users._HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@dataclass(slots=True)
class Region:
    store: Store
    registry: Registry
    posts: dict[str, int]
    municipalities: dict[str, int]  # name -> store id


def municipality_ids(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {row.name: row.id for row in conn.execute(select(t.municipalities.c.id, t.municipalities.c.name))}


def build_region(tmp_path: Path, db: str | None = None) -> Region:
    """The registry of tests/reports, its posts, and four users (one disabled), in `db` (default: a SQLite file)."""
    path = tmp_path / "sources.yaml"
    path.write_text(REGISTRY_YAML, encoding="utf-8")
    registry = load(path)
    store = Store.open(db or str(tmp_path / "natmon.db"))
    store.sync_registry(registry)
    posts = fill(store)
    add_user(store, "operator", PASSWORD, "operator", full_name="Петрова Е. В.")
    add_user(store, "angarsk", PASSWORD, "coordinator", ANGARSK, full_name="Иванова А. П.", telegram_chat_id="1001")
    add_user(store, "shelekhov", PASSWORD, "coordinator", SHELEKHOV, telegram_chat_id="1002")
    add_user(store, "gone", PASSWORD, "coordinator", ANGARSK)
    disable_user(store, "gone")
    return Region(store, registry, posts, municipality_ids(store))


@pytest.fixture
def region(tmp_path: Path, db: str) -> Iterator[Region]:
    built = build_region(tmp_path, db)
    yield built
    built.store.close()


def make_app(region: Region) -> Starlette:
    return create_app(region.store, region.registry, WebConfig(secret_key=SECRET, today=lambda: TODAY))


@pytest.fixture
def app(region: Region) -> Starlette:
    return make_app(region)


def make_client(app: Starlette, address: str = "127.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver", follow_redirects=False)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(app) as test_client:
        yield test_client


def csrf_token(html: str) -> str:
    found = TOKEN_RE.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


async def log_in(client: httpx.AsyncClient, login: str, password: str = PASSWORD) -> int:
    """Log in through the form; returns the response status (303 on success)."""
    token = csrf_token((await client.get("/login")).text)
    response = await client.post("/login", data={"login": login, "password": password, "csrf_token": token})
    return response.status_code


async def token_of(client: httpx.AsyncClient, path: str = "/audit") -> str:
    """The session's CSRF token, read from a page the user may open."""
    return csrf_token((await client.get(path)).text)
