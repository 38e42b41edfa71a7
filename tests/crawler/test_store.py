"""The store on a real SQLite file: idempotent upserts, edits, registry sync, the lock, versions."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text

from channels.base import Post
from crawler import schema as t
from crawler.registry import load
from crawler.store import Store, StoreError
from tests.conftest import at_once

DATA = Path(__file__).parent.parent / "data" / "registry"
T0 = datetime(2025, 1, 15, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(db) -> Store:
    store = Store.open(db)
    store.sync_registry(load(DATA / "good.yaml"))
    yield store
    store.close()


def first_channel(store: Store, kind: str = "telegram") -> int:
    return next(target.ref.id for target in store.crawl_targets(kind=kind))


def post(external_id: str, text_: str = "Текст", views: int | None = 10) -> Post:
    return Post(external_id=external_id, url=f"https://t.me/sosh1_zima/{external_id}", published_at=T0,
                text=text_, views=views, media=("photo",), found_by="t.me/s")


def test_saving_twice_adds_nothing(store):
    channel = first_channel(store)
    first = store.save_posts(channel, [post("1"), post("2")])
    second = store.save_posts(channel, [post("1"), post("2")])
    assert len(first.new) == 2 and first.changed == ()
    assert second.new == () and second.changed == () and second.unchanged == 2
    with store.engine.connect() as conn:
        assert conn.execute(select(t.posts)).all().__len__() == 2


def test_edit_updates_text_and_metrics_keeps_first_seen_and_marks_edited(store):
    channel = first_channel(store)
    store.save_posts(channel, [post("1", "Было")], now=T0)
    later = T0 + timedelta(days=1)
    result = store.save_posts(channel, [post("1", "Стало", views=99)], now=later)
    assert len(result.changed) == 1
    with store.engine.connect() as conn:
        row = conn.execute(select(t.posts)).mappings().one()
    assert row["text"] == "Стало" and row["views"] == 99 and row["edited"] is True
    assert row["first_seen"] == T0 and row["last_seen"] == later
    assert row["published_at"] == T0 and row["published_at"].tzinfo is not None


def test_a_post_with_nul_characters_is_kept_without_them(store):
    # a source may serve U+0000 inside a text (SQLite stores it, PostgreSQL refuses the whole channel's posts)
    channel = first_channel(store)
    broken = replace(post("1", "Нац\x00проект «Образование»"), title="Заго\x00ловок")
    result = store.save_posts(channel, [broken, post("2")])
    assert len(result.new) == 2
    again = store.save_posts(channel, [replace(post("1", "Нац\x00проект «Образование» и «Семья»"), title="Заголовок")])
    assert len(again.changed) == 1
    with store.engine.connect() as conn:
        row = conn.execute(select(t.posts).where(t.posts.c.external_id == "1")).mappings().one()
    assert row["text"] == "Нацпроект «Образование» и «Семья»" and row["title"] == "Заголовок"


def test_metrics_only_change_is_not_an_edit(store):
    channel = first_channel(store)
    store.save_posts(channel, [post("1", views=1)])
    result = store.save_posts(channel, [post("1", views=500)])
    assert result.changed == ()
    with store.engine.connect() as conn:
        row = conn.execute(select(t.posts)).mappings().one()
    assert row["views"] == 500 and row["edited"] is False


def test_same_external_id_on_two_channels_are_two_posts(store):
    a, b = first_channel(store, "telegram"), first_channel(store, "vk")
    store.save_posts(a, [post("1")])
    assert len(store.save_posts(b, [post("1")]).new) == 1


def test_registry_sync_keeps_cursor_and_health_and_respects_enabled(store):
    channel = first_channel(store)
    store.channel_succeeded(channel, cursor="42", resolved=None)
    store.sync_registry(load(DATA / "good.yaml"))
    assert channel in {t_.ref.id for t_ in store.crawl_targets()}
    assert store.cursor(channel) == "42"
    addresses = {t_.ref.address for t_ in store.crawl_targets(kind="vk")}
    assert "club456" not in addresses  # enabled: false
    assert {t_.municipality for t_ in store.crawl_targets(municipality="Г. ЗИМА")} == {"г. Зима"}


def test_failure_counts_and_success_resets(store):
    channel = first_channel(store)
    store.channel_failed(channel, "Сайт не ответил")
    store.channel_failed(channel, "Сайт не ответил")
    with store.engine.connect() as conn:
        row = conn.execute(select(t.channels).where(t.channels.c.id == channel)).mappings().one()
    assert row["consecutive_failures"] == 2 and row["last_error"] == "Сайт не ответил"
    store.channel_succeeded(channel, cursor=None, resolved="-123")
    with store.engine.connect() as conn:
        row = conn.execute(select(t.channels).where(t.channels.c.id == channel)).mappings().one()
    assert row["consecutive_failures"] == 0 and row["last_error"] is None and row["resolved"] == "-123"


def test_reopening_keeps_data_and_uses_wal(tmp_path):
    path = tmp_path / "natmon.db"
    store = Store.open(str(path))
    store.sync_registry(load(DATA / "good.yaml"))
    store.close()
    store = Store.open(str(path))
    assert len(store.crawl_targets()) == 6
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(select(t.schema_version.c.version)).scalar() == t.SCHEMA_VERSION
    store.close()


def test_store_from_a_newer_natmon_is_refused_clearly(tmp_path):
    path = tmp_path / "natmon.db"
    Store.open(str(path)).close()
    store = Store.open(str(path))
    with store.engine.begin() as conn:
        conn.execute(t.schema_version.insert().values(version=t.SCHEMA_VERSION + 1,
                                                      applied_at=datetime.now(timezone.utc)))
    store.close()
    with pytest.raises(StoreError, match="недоступно или повреждено"):
        Store.open(str(path))


def test_unusable_path_is_a_clear_error(tmp_path):
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StoreError, match="NATMON_DB"):
        Store.open(str(tmp_path / "dir.db"))


def test_lock_excludes_a_second_holder_and_is_released(store):
    assert store.acquire_lock("crawl", 3600, owner="host:1") is None
    holder = store.acquire_lock("crawl", 3600, owner="other-host:2")
    assert holder is not None and "host:1" in holder
    store.release_lock("crawl", owner="host:1")
    assert store.acquire_lock("crawl", 3600, owner="other-host:2") is None


def test_lock_of_a_dead_process_on_this_host_is_taken_over(store):
    import socket

    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True)
    dead_owner = f"{socket.gethostname()}:{finished.stdout.strip()}"
    assert store.acquire_lock("crawl", 3600, owner=dead_owner) is None
    assert store.acquire_lock("crawl", 3600) is None


def test_lock_with_stale_heartbeat_is_taken_over(store):
    assert store.acquire_lock("crawl", 3600, owner="far-host:1") is None
    with store.engine.begin() as conn:
        conn.execute(t.locks.update().values(heartbeat=datetime.now(timezone.utc) - timedelta(hours=2)))
    assert store.acquire_lock("crawl", 3600, owner="far-host:2") is None


def test_naive_datetime_is_refused(store):
    channel = first_channel(store)
    with pytest.raises(Exception):
        store.save_posts(channel, [replace(post("1"), published_at=datetime(2025, 1, 1))])


def test_store_from_an_older_natmon_is_migrated_in_place(tmp_path):
    import shutil

    path = tmp_path / "natmon.db"
    shutil.copy(Path(__file__).parent.parent / "data" / "store" / "natmon-v1.db", path)
    store = Store.open(str(path))
    with store.engine.connect() as conn:
        versions = conn.execute(select(t.schema_version.c.version).order_by(t.schema_version.c.version)).scalars()
        assert list(versions) == list(range(1, t.SCHEMA_VERSION + 1))
        assert len(conn.execute(select(t.posts)).all()) == 5
    assert [store.cursor(target.ref.id) for target in store.crawl_targets(kind="telegram")].count("5") == 1
    store.set_state("bot_offset", 17)  # a table that version 1 did not have
    assert store.get_state("bot_offset") == 17
    store.close()
    assert Store.open(str(path)).get_state("bot_offset") == 17


def test_an_older_store_gains_the_channel_warning_column(tmp_path):
    import shutil

    path = tmp_path / "natmon.db"
    shutil.copy(Path(__file__).parent.parent / "data" / "store" / "natmon-v1.db", path)
    store = Store.open(str(path))
    target = store.crawl_targets(kind="telegram")[0]
    store.channel_succeeded(target.ref.id, None, None, warning="страница не разобрана: t.me/s/x")
    with store.engine.connect() as conn:
        assert conn.execute(select(t.channels.c.last_warning).where(t.channels.c.id == target.ref.id)).scalar() \
            == "страница не разобрана: t.me/s/x"
    store.channel_succeeded(target.ref.id, None, None)  # a crawl without a warning clears it
    with store.engine.connect() as conn:
        assert conn.execute(select(t.channels.c.last_warning).where(t.channels.c.id == target.ref.id)).scalar() is None
    store.close()


def test_running_crawl_runs_are_marked_interrupted_with_the_time(store):
    dead = store.start_run()
    when = datetime(2026, 1, 5, 3, 0, tzinfo=timezone.utc)
    assert store.interrupt_dead_runs(when) == [dead]
    with store.engine.connect() as conn:
        row = conn.execute(select(t.crawl_runs).where(t.crawl_runs.c.id == dead)).mappings().one()
    assert row["status"] == "interrupted" and row["finished_at"] == when
    assert store.interrupt_dead_runs() == []  # finished and interrupted rows are left alone


def test_connections_opening_a_new_sqlite_file_together_all_switch_to_wal(tmp_path):
    """SQLite refuses a WAL switch at once (no busy wait) while another connection makes the same new
    file: hosts and the web app started together must all still open the store."""
    for round_ in range(60):
        path = tmp_path / f"new-{round_}.db"

        def connect(_worker: int) -> None:
            with closing(sqlite3.connect(path)) as conn:
                t.enable_wal(conn)
                assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

        assert at_once(6, connect) == []
