"""The store under stress: review decisions written during a crawl, a full disk, a read-only file or database.

A store written by an older natmon is migrated in place: see
tests/crawler/test_store.py::test_store_from_an_older_natmon_is_migrated_in_place.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from contextlib import closing
from datetime import datetime, timezone

from sqlalchemy import create_engine, func, select, text
from typer.testing import CliRunner

from crawler import schema
from crawler.cli import EXIT_STORE, app
from crawler.job import crawl
from crawler.store import Store
from reports.review_store import Decision, save
from tests.faults.conftest import SimRegion

REVIEWS = 120
SPARE_PAGES = 6  # free pages left in the "disk" before the crawl: a few channels fit, then it is full


def _posts_by_channel(db: str) -> dict[int, int]:
    with closing(sqlite3.connect(db)) as conn:
        return dict(conn.execute("SELECT channel_id, count(*) FROM posts GROUP BY channel_id").fetchall())


def _run_cli(sim: SimRegion, db: str, monkeypatch) -> object:
    for name, value in sim.env().items():
        monkeypatch.setenv(name, value)
    return CliRunner().invoke(app, ["crawl", "--sources", str(sim.sources), "--db", db])


async def test_review_decisions_written_during_a_crawl_are_all_kept(sim, store):
    await crawl(store, sim.registry, sim.settings())
    with store.engine.connect() as conn:
        post_ids = [row[0] for row in conn.exec_driver_sql("SELECT id FROM posts ORDER BY id")]
    added: list[int] = []
    errors: list[BaseException] = []

    def reviewer() -> None:
        other = Store.open(str(sim.db))  # the web app's own engine, as in production
        try:
            for number in range(REVIEWS):
                decision = Decision(post_ids[number % len(post_ids)], ("confirmed", "rejected")[number % 2],
                                    f"решение {number}")
                added.append(save(other.engine, [decision], [], "оператор", datetime.now(timezone.utc))[0])
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            other.close()

    sim.advance()
    thread = threading.Thread(target=reviewer)
    thread.start()
    summary = await crawl(store, sim.registry, sim.settings())
    await asyncio.to_thread(thread.join)
    assert not errors and sum(added) == REVIEWS
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM reviews").scalar() == REVIEWS
    assert summary.new_posts > 0 and sim.check() == ""


def test_a_full_disk_stops_the_crawl_with_exit_3_and_nothing_half_written(sim, monkeypatch):
    db = str(sim.db)
    opened = Store.open(db)
    opened.sync_registry(sim.registry)
    opened.close()
    with closing(sqlite3.connect(db)) as conn:
        limit = conn.execute("PRAGMA page_count").fetchone()[0] + SPARE_PAGES
    enable_wal = schema.enable_wal

    def small_disk(dbapi_connection: object) -> None:
        enable_wal(dbapi_connection)
        dbapi_connection.execute(f"PRAGMA max_page_count={limit}")  # type: ignore[attr-defined]

    monkeypatch.setattr(schema, "enable_wal", small_disk)
    result = _run_cli(sim, db, monkeypatch)
    assert result.exit_code == EXIT_STORE, result.output
    assert "переполнено" in result.output and "Traceback" not in result.output
    expected = sim.region.expected()
    with closing(sqlite3.connect(db)) as conn:
        channels = {cid: (kind, address, cursor) for cid, kind, address, cursor in
                    conn.execute("SELECT id, kind, address, cursor FROM channels")}
    stored = _posts_by_channel(db)
    assert stored, "the disk filled before any channel was stored: give it more spare pages"
    for cid, (kind, address, cursor) in channels.items():
        key = (kind, address.split("//")[-1].split(":")[0] if kind == "website" else address)
        count = stored.get(cid, 0)
        assert count in (0, len(expected.get(key, ()))), f"{key}: {count} posts, a channel half-written"
        assert cursor is None or count or not expected.get(key), f"{key}: cursor moved without its posts"
    monkeypatch.setattr(schema, "enable_wal", enable_wal)
    again = _run_cli(sim, db, monkeypatch)
    assert again.exit_code == 0, again.output
    assert sim.check() == ""


def test_a_read_only_store_gives_exit_3_and_stays_untouched(sim, monkeypatch):
    first = _run_cli(sim, str(sim.db), monkeypatch)
    assert first.exit_code == 0, first.output
    before = sim.db.read_bytes()
    sim.advance()  # there is something new to write
    result = _run_cli(sim, f"sqlite:///file:{sim.db}?mode=ro&uri=true", monkeypatch)
    assert result.exit_code == EXIT_STORE, result.output
    assert "только для чтения" in result.output and "Traceback" not in result.output
    assert sim.db.read_bytes() == before


def _table_counts(db: str) -> dict[str, int]:
    store = Store.open(db)
    try:
        with store.engine.connect() as conn:
            return {table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                    for table in schema.metadata.sorted_tables}
    finally:
        store.close()


def test_a_read_only_postgresql_store_gives_exit_3_and_stays_untouched(sim, monkeypatch, pg_database):
    # a standby replica, or a database an administrator switched to read-only, named by mistake as --db
    sim.db = pg_database
    first = _run_cli(sim, pg_database, monkeypatch)
    assert first.exit_code == 0, first.output
    before = _table_counts(pg_database)
    engine = create_engine(pg_database)
    try:
        with engine.begin() as conn:
            name = conn.execute(text("SELECT current_database()")).scalar_one()
            conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    finally:
        engine.dispose()
    sim.advance()  # there is something new to write
    with_password = pg_database.replace("natmon@", "natmon:tainy-parol@")  # the test server trusts any password
    result = _run_cli(sim, with_password, monkeypatch)
    assert result.exit_code == EXIT_STORE, result.output
    assert "только для чтения" in result.output and "Traceback" not in result.output
    assert "tainy-parol" not in result.output and "natmon:***@" in result.output
    assert _table_counts(pg_database) == before
