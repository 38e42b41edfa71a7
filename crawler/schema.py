"""The store's tables (SQLAlchemy Core) and their migrations.

The schema is versioned in `schema_version`; `migrate()` brings any older file up to
`SCHEMA_VERSION` step by step, so a store written by an older natmon keeps working.
Timestamps are stored as UTC ISO-8601 text and read back as aware datetimes.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timezone
from typing import Any, Callable

from sqlalchemy import (Boolean, Column, Connection, ForeignKey, Index, Integer, MetaData, String, Table, Text,
                        TypeDecorator, UniqueConstraint, inspect, select, text)


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime kept as UTC ISO text, identical on SQLite and PostgreSQL."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(timezone.utc).isoformat(timespec="seconds")

    def process_result_value(self, value: str | None, dialect: Any) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)


class PlainText(TypeDecorator[str]):
    """Text kept without U+0000: PostgreSQL refuses it (and with it the whole statement), SQLite would keep it."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return value.replace("\x00", "") if value is not None and "\x00" in value else value


class PlainString(PlainText):
    """A length-limited PlainText (VARCHAR(n))."""

    impl = String
    cache_ok = True


class JsonText(TypeDecorator[Any]):
    """JSON kept as text (portable; natmon never queries inside it)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        return None if value is None else json.loads(value)


metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", UtcDateTime, nullable=False),
)

municipalities = Table(
    "municipalities", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", PlainString(200), nullable=False, unique=True),
    Column("authority", PlainText, nullable=False, default=""),
)

institutions = Table(
    "institutions", metadata,
    Column("id", Integer, primary_key=True),
    Column("municipality_id", ForeignKey("municipalities.id"), nullable=False),
    Column("name", PlainText, nullable=False),
    Column("kind", PlainString(20), nullable=False),
    UniqueConstraint("municipality_id", "name"),
)

channels = Table(
    "channels", metadata,
    Column("id", Integer, primary_key=True),
    Column("institution_id", ForeignKey("institutions.id"), nullable=False),
    Column("kind", PlainString(20), nullable=False),
    Column("address", PlainText, nullable=False),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("in_registry", Boolean, nullable=False, default=True),  # false once removed from sources.yaml
    Column("options", JsonText, nullable=False, default=dict),
    Column("cursor", PlainText),
    Column("resolved", PlainText),
    Column("last_attempt", UtcDateTime),
    Column("last_success", UtcDateTime),
    Column("last_error", PlainText),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("last_warning", PlainText),  # version 3: the last crawl succeeded but read nothing it should have
    UniqueConstraint("kind", "address"),
)

posts = Table(
    "posts", metadata,
    Column("id", Integer, primary_key=True),
    Column("channel_id", ForeignKey("channels.id"), nullable=False),
    Column("external_id", PlainText, nullable=False),
    Column("url", PlainText, nullable=False),
    Column("published_at", UtcDateTime, nullable=False),
    Column("title", PlainText, nullable=False, default=""),
    Column("text", PlainText, nullable=False, default=""),
    Column("media", JsonText, nullable=False, default=list),
    Column("views", Integer),
    Column("likes", Integer),
    Column("reposts", Integer),
    Column("comments", Integer),
    Column("repost_of", PlainText),
    Column("found_by", PlainString(40), nullable=False, default=""),
    Column("first_seen", UtcDateTime, nullable=False),
    Column("last_seen", UtcDateTime, nullable=False),
    Column("content_hash", PlainString(64), nullable=False),
    Column("edited", Boolean, nullable=False, default=False),
    Column("deleted", Boolean, nullable=False, default=False),
    UniqueConstraint("channel_id", "external_id"),
    Index("ix_posts_published_at", "published_at"),
)

matches = Table(
    "matches", metadata,
    Column("post_id", ForeignKey("posts.id"), primary_key=True),
    Column("version", PlainString(40), nullable=False),
    Column("label", PlainString(10), nullable=False),
    Column("projects", JsonText, nullable=False, default=list),
    Column("federal_projects", JsonText, nullable=False, default=list),
    Column("campaign", Boolean, nullable=False, default=False),
    Column("formats", JsonText, nullable=False, default=list),
    Column("evidence", JsonText, nullable=False, default=list),
    Column("content_hash", PlainString(64), nullable=False),  # the post text this match was computed on
    Column("matched_at", UtcDateTime, nullable=False),
    Index("ix_matches_label", "label"),
)

reviews = Table(
    "reviews", metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", ForeignKey("posts.id"), nullable=False),
    Column("decision", PlainString(10), nullable=False),  # confirmed | rejected
    Column("who", PlainText, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("comment", PlainText, nullable=False, default=""),
    Index("ix_reviews_post", "post_id"),
)

manual_entries = Table(
    "manual_entries", metadata,
    Column("id", Integer, primary_key=True),
    Column("municipality_id", ForeignKey("municipalities.id"), nullable=False),
    Column("institution_id", ForeignKey("institutions.id")),
    Column("channel", PlainText, nullable=False),  # Одноклассники, газета, ТВ, стенд …
    Column("url", PlainText, nullable=False, default=""),
    Column("description", PlainText, nullable=False, default=""),
    Column("published_on", PlainString(10)),  # ISO date
    Column("who", PlainText, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

crawl_runs = Table(
    "crawl_runs", metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime),
    Column("status", PlainString(20), nullable=False),  # running | finished | interrupted
    Column("channels_ok", Integer, nullable=False, default=0),
    Column("channels_failed", Integer, nullable=False, default=0),
    Column("posts_new", Integer, nullable=False, default=0),
    Column("posts_changed", Integer, nullable=False, default=0),
    Column("posts_flagged", Integer, nullable=False, default=0),
    Column("errors", JsonText, nullable=False, default=dict),  # channel id -> Russian reason
    Column("share", PlainString(20)),  # version 6: the registry share crawled ("2/4"); NULL: the whole registry
)

locks = Table(
    "locks", metadata,
    Column("name", PlainString(40), primary_key=True),
    Column("owner", PlainText, nullable=False),  # host:pid
    Column("acquired_at", UtcDateTime, nullable=False),
    Column("heartbeat", UtcDateTime, nullable=False),
)

# -- version 2: people, their decisions' audit trail, report sendings, small run state --------

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("login", PlainString(100), nullable=False, unique=True),
    Column("password_hash", PlainText, nullable=False),
    Column("role", PlainString(20), nullable=False),  # operator (whole region) | coordinator (one municipality)
    Column("municipality_id", ForeignKey("municipalities.id")),
    Column("full_name", PlainText, nullable=False, default=""),
    Column("telegram_chat_id", PlainString(40)),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime, nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    Column("who", PlainText, nullable=False),
    Column("action", PlainString(40), nullable=False),  # review, manual_entry, import, send, login …
    Column("municipality_id", ForeignKey("municipalities.id")),
    Column("post_id", ForeignKey("posts.id")),
    Column("details", JsonText, nullable=False, default=dict),
    Index("ix_audit_at", "at"),
)

sendings = Table(
    "sendings", metadata,
    Column("id", Integer, primary_key=True),
    Column("campaign", PlainString(60), nullable=False),
    Column("deadline", PlainString(10), nullable=False),  # ISO date of the period's deadline
    Column("municipality_id", ForeignKey("municipalities.id")),  # NULL for the regional report
    Column("who", PlainText, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("recipient", PlainText, nullable=False),
    Column("status", PlainString(10), nullable=False),  # sent | failed
    Column("smtp_response", PlainText, nullable=False, default=""),
    Column("file_name", PlainText, nullable=False, default=""),
    Column("checksum", PlainString(64), nullable=False, default=""),  # sha256 of the attached file
)

state = Table(
    "state", metadata,  # small run state kept between runs (bot update offset, VK quota use …)
    Column("key", PlainString(100), primary_key=True),
    Column("value", JsonText),
    Column("updated_at", UtcDateTime, nullable=False),
)


def _add_version_2_tables(conn: Connection) -> None:
    metadata.create_all(conn, tables=[users, audit_log, sendings, state])


# -- version 3 (web sessions): server-side sessions and the login throttle ---------------------

sessions = Table(
    "sessions", metadata,  # a web session; the cookie carries only the random id, the store its hash
    Column("id_hash", PlainString(64), primary_key=True),  # sha256 of the session id
    Column("user_id", ForeignKey("users.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("address", PlainText, nullable=False, default=""),
    Column("user_agent", PlainText, nullable=False, default=""),
    Column("csrf_token", PlainString(64), nullable=False),
    Column("flashes", JsonText, nullable=False, default=list),  # [[kind, text], …], the last few only
    Index("ix_sessions_user", "user_id"),
)

login_failures = Table(
    "login_failures", metadata,  # failed logins per account ("login:…") and per address ("ip:…")
    Column("key", PlainString(200), primary_key=True),
    Column("failures", Integer, nullable=False, default=0),
    Column("last_failure", UtcDateTime, nullable=False),
)


def _add_web_session_tables(conn: Connection) -> None:
    metadata.create_all(conn, tables=[sessions, login_failures])


def _add_channel_warning(conn: Connection) -> None:
    """Version 4: `channels.last_warning`, a page that has posts but yielded none («страница не разобрана»)."""
    if "last_warning" not in {column["name"] for column in inspect(conn).get_columns("channels")}:
        conn.exec_driver_sql("ALTER TABLE channels ADD COLUMN last_warning TEXT")


# -- version 5 (issue 16, notifications through MAX): which messenger gets a user's notifications ----

USER_MESSENGER_COLUMNS = (
    # telegram (the default: users.telegram_chat_id) | max (users.max_user_id, the region's MAX bot)
    Column("notify_via", PlainString(10), nullable=False, server_default="telegram"),
    Column("max_user_id", PlainString(40)),  # the coordinator's MAX user id, for POST /messages?user_id=…
)
for _column in USER_MESSENGER_COLUMNS:
    users.append_column(_column)


def _add_user_messenger(conn: Connection) -> None:
    """Version 5: `users.notify_via` and `users.max_user_id`; existing users keep Telegram."""
    present = {column["name"] for column in inspect(conn).get_columns("users")}
    if "notify_via" not in present:
        conn.exec_driver_sql("ALTER TABLE users ADD COLUMN notify_via VARCHAR(10) NOT NULL DEFAULT 'telegram'")
    if "max_user_id" not in present:
        conn.exec_driver_sql("ALTER TABLE users ADD COLUMN max_user_id VARCHAR(40)")


def _add_crawl_run_share(conn: Connection) -> None:
    """Version 6 (issue 18): `crawl_runs.share`, the registry share a run crawled (`natmon crawl --share`)."""
    if "share" not in {column["name"] for column in inspect(conn).get_columns("crawl_runs")}:
        conn.exec_driver_sql("ALTER TABLE crawl_runs ADD COLUMN share VARCHAR(20)")


# version -> step bringing a store from version-1 to version. Version 1 is the first schema.
# A later change appends a step here (ALTER TABLE …) and bumps SCHEMA_VERSION.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    2: _add_version_2_tables, 3: _add_web_session_tables, 4: _add_channel_warning, 5: _add_user_messenger,
    6: _add_crawl_run_share}
SCHEMA_VERSION = 6


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(select(schema_version.c.version).order_by(schema_version.c.version.desc())).scalar() or 0


MIGRATION_LOCK = 0x6E61746D6F6E  # "natmon": PostgreSQL advisory lock key held while the schema is checked


def migrate(conn: Connection) -> int:
    """Create or upgrade the schema in place; returns the version reached.

    Several processes (crawl hosts, the web app) may open an empty or older store at once: one
    migrates while the others wait, then find it done. PostgreSQL: a transaction-scoped advisory lock.
    SQLite: the write lock taken first (Python's sqlite3 would otherwise run the DDL outside any
    transaction, and two processes would both create the tables).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    elif conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    version = current_version(conn)
    if version > SCHEMA_VERSION:
        raise RuntimeError(f"store schema {version} is newer than this natmon ({SCHEMA_VERSION})")
    now = datetime.now(timezone.utc)
    if version == 0:
        metadata.create_all(conn)
        conn.execute(schema_version.insert().values(version=SCHEMA_VERSION, applied_at=now))
        return SCHEMA_VERSION
    for step in range(version + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[step](conn)
        conn.execute(schema_version.insert().values(version=step, applied_at=now))
    metadata.create_all(conn)  # tables added by later versions
    return SCHEMA_VERSION


def enable_wal(dbapi_connection: Any) -> None:
    """SQLite: WAL so the web app reads while the crawl writes; wait instead of failing when busy."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    _switch_to_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _switch_to_wal(cursor: Any, attempts: int = 100, pause: float = 0.05) -> None:
    """`PRAGMA journal_mode=WAL`, again while the file is busy: SQLite answers «database is locked» at
    once, without waiting out busy_timeout, when several processes open a new store together (hosts
    and the web app started at the same moment)."""
    for attempt in range(attempts):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(pause)
