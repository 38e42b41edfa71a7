"""The store's schema on PostgreSQL as on SQLite: from an empty database, from each older version, and
several processes opening one new database at once."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, func, inspect, select, text

from channels.base import Post
from crawler import schema as t
from crawler.registry import load
from crawler.settings import db_url
from crawler.store import Store
from tests.conftest import at_once

DATA = Path(__file__).parent.parent / "data"
V1 = DATA / "store" / "natmon-v1.db"  # written by natmon at commit 40fdbf7 (see tests/data/store/README.md)
pytestmark = pytest.mark.both_stores


def emptied(db: str) -> str:
    """The test's database without any table (a PostgreSQL test database starts as a migrated store)."""
    if "://" in db:
        engine = create_engine(db)
        try:
            with engine.begin() as conn:
                t.metadata.drop_all(conn)
                assert inspect(conn).get_table_names() == []
        finally:
            engine.dispose()
    return db


def store_of_version(db: str, version: int) -> None:
    """Put the real version-1 store at `db` and bring it to `version` with the migration steps of that time."""
    emptied(db)
    if "://" not in db:
        shutil.copy(V1, db)
    else:  # the same tables and rows, copied into the PostgreSQL database
        source = create_engine(f"sqlite:///{V1}")
        old = MetaData()
        old.reflect(source)
        target = create_engine(db)
        try:
            with source.connect() as read, target.begin() as write:
                old.create_all(write)
                for table in old.sorted_tables:
                    rows = [dict(row) for row in read.execute(select(table)).mappings()]
                    if rows:
                        write.execute(table.insert(), rows)
                for table in old.sorted_tables:  # rows came with their ids: the sequences continue after them
                    if "id" in table.c:
                        write.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                           f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"))
        finally:
            source.dispose()
            target.dispose()
    engine = create_engine(db_url(db))
    try:
        with engine.begin() as conn:
            for step in range(2, version + 1):
                t.MIGRATIONS[step](conn)
                conn.execute(t.schema_version.insert().values(version=step, applied_at=datetime.now(timezone.utc)))
    finally:
        engine.dispose()


def test_an_empty_database_becomes_a_store_that_works(db):
    store = Store.open(emptied(db))
    try:
        with store.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) == set(t.metadata.tables)
            assert conn.execute(select(func.max(t.schema_version.c.version))).scalar() == t.SCHEMA_VERSION
        store.sync_registry(load(DATA / "registry" / "good.yaml"))
        channel = store.crawl_targets(kind="telegram")[0].ref.id
        saved = store.save_posts(channel, [Post("1", "https://t.me/s/x/1", datetime(2025, 1, 15, tzinfo=timezone.utc),
                                                "Первый пост в новой базе")])
        assert len(saved.new) == 1
    finally:
        store.close()


@pytest.mark.parametrize("version", range(1, t.SCHEMA_VERSION))
def test_a_store_of_each_older_version_is_migrated_in_place_and_keeps_its_data(db, version):
    store_of_version(db, version)
    store = Store.open(db)
    try:
        with store.engine.connect() as conn:
            versions = conn.execute(select(t.schema_version.c.version).order_by(t.schema_version.c.version))
            assert list(versions.scalars()) == list(range(1, t.SCHEMA_VERSION + 1))
            assert conn.execute(select(func.count()).select_from(t.posts)).scalar() == 5
            assert set(inspect(conn).get_table_names()) == set(t.metadata.tables)
        telegram = store.crawl_targets(kind="telegram")
        assert [store.cursor(target.ref.id) for target in telegram].count("5") == 1
        store.set_state("bot_offset", 17)  # a table that version 1 did not have
        store.channel_succeeded(telegram[0].ref.id, None, None, warning="страница не разобрана")  # version 4
        new = store.save_posts(telegram[0].ref.id, [Post("после-миграции", "https://t.me/s/x/99",
                                                         datetime(2025, 2, 1, tzinfo=timezone.utc), "Новый пост")])
        assert len(new.new) == 1
    finally:
        store.close()
    reopened = Store.open(db)
    try:
        assert reopened.get_state("bot_offset") == 17
        with reopened.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(t.posts)).scalar() == 6
    finally:
        reopened.close()


def test_several_processes_opening_one_new_store_at_once_all_succeed(db):
    """Crawl hosts and the web app started together: one creates the tables, the others find them."""
    emptied(db)
    assert at_once(4, lambda _host: Store.open(db).close()) == []
    store = Store.open(db)
    try:
        with store.engine.connect() as conn:
            assert list(conn.execute(select(t.schema_version.c.version)).scalars()) == [t.SCHEMA_VERSION]
    finally:
        store.close()
