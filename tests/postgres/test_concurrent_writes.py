"""Several crawl hosts writing one store at once: the shared rows (registry, run state) stay whole."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler import schema as t
from crawler.registry import load
from crawler.store import Store
from tests.conftest import at_once

REGISTRY = Path(__file__).parent.parent / "data" / "registry" / "good.yaml"
HOSTS = 4
ROUNDS = 15
pytestmark = pytest.mark.both_stores


def on_hosts(db: str, work: Callable[[Store, int], None]) -> list[BaseException]:
    """Run `work(store, host)` ROUNDS times on HOSTS threads at once, each with its own engine."""
    stores = [Store.open(db) for _ in range(HOSTS)]

    def host(number: int) -> None:
        for _ in range(ROUNDS):
            work(stores[number], number)

    try:
        return at_once(HOSTS, host)
    finally:
        for store in stores:
            store.close()


def test_hosts_writing_the_same_state_at_once_all_succeed(db):
    assert on_hosts(db, lambda store, host: store.set_state("vk_quota", {"host": host})) == []
    store = Store.open(db)
    try:
        assert store.get_state("vk_quota")["host"] in range(HOSTS)
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(t.state)).scalar() == 1
    finally:
        store.close()


def test_hosts_mirroring_the_registry_at_once_keep_one_row_per_channel(db):
    registry = load(REGISTRY)
    assert on_hosts(db, lambda store, host: store.sync_registry(registry)) == []
    store = Store.open(db)
    try:
        with store.engine.connect() as conn:
            channels = conn.execute(select(func.count()).select_from(t.channels)).scalar()
            municipalities = conn.execute(select(func.count()).select_from(t.municipalities)).scalar()
        assert channels == sum(len(i.channels) for m in registry.municipalities for i in m.institutions)
        assert municipalities == len(registry.municipalities)
        assert len(store.crawl_targets()) == 6  # the enabled ones, as a single sync gives
    finally:
        store.close()


def test_hosts_taking_the_crawl_lock_at_once_get_it_one_at_a_time(db):
    results: list[str | None] = []
    holders: list[int] = []
    overlaps: list[list[int]] = []
    lock = threading.Lock()

    def take(store: Store, host: int) -> None:
        held = store.acquire_lock("crawl-race", 3600, owner=f"far-host-{host}:1")
        with lock:
            results.append(held)
            if held is None:
                if holders:
                    overlaps.append([*holders, host])
                holders.append(host)
        if held is None:
            time.sleep(0.005)
            with lock:
                holders.remove(host)
            store.release_lock("crawl-race", owner=f"far-host-{host}:1")

    assert on_hosts(db, take) == []
    assert overlaps == []  # never two holders at once
    assert len(results) == HOSTS * ROUNDS and None in results
    assert all(held is None or "far-host-" in held or held == "другой процесс" for held in results)
