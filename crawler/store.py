"""The store: one SQLAlchemy Core engine over SQLite (default) or PostgreSQL.

Every write is a short transaction, so a crawl killed at any point leaves the store
consistent: posts are upserted on (channel_id, external_id) before the channel's cursor
moves, and re-running a crawl adds nothing it already has.
"""

from __future__ import annotations

import os
import socket
import weakref
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from types import MappingProxyType
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from sqlalchemy import Connection, Engine, Integer, and_, bindparam, create_engine, event, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from channels.base import ChannelRef, Post
from crawler import schema as t
from crawler.db_errors import db_detail, db_label
from crawler.registry import Registry
from crawler.settings import db_url


SQL_CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit
REGISTRY_LOCK = t.MIGRATION_LOCK + 1  # PostgreSQL advisory lock key held while the registry is mirrored


class StoreError(Exception):
    """The store cannot be opened or written; the message is Russian."""


_NO_OPTIONS: Mapping[str, Any] = MappingProxyType({})


@dataclass(slots=True, frozen=True)
class CrawlTarget:
    """A channel to crawl, with the names a person reads in progress and summaries.

    Its cursor is read just before the channel is crawled (`Store.cursor`): a region's
    cursors together are tens of megabytes that need not sit in memory all night."""

    ref: ChannelRef
    municipality: str
    institution: str


@dataclass(slots=True, frozen=True)
class SaveResult:
    new: tuple[int, ...]
    changed: tuple[int, ...]
    unchanged: int


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Store:
    def __init__(self, engine: Engine, name: str | None = None) -> None:
        self.engine = engine
        self.name = db_label(name) if name else engine.url.render_as_string(hide_password=True)  # said in messages
        # A store dropped without close() (a command that returned early) still closes its
        # connections: a PostgreSQL server counts them, and psycopg warns about each one left open.
        self._closer = weakref.finalize(self, engine.dispose)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A short transaction; a failure rolls it back whole and becomes a Russian StoreError."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(explain(exc, self.name)) from exc

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(explain(exc, self.name)) from exc

    @classmethod
    def open(cls, db: str) -> Store:
        """Open (creating or migrating) the store at a path or a SQLAlchemy URL."""
        engine = open_engine(db)
        try:
            with engine.begin() as conn:
                t.migrate(conn)  # one process at a time (schema.migrate takes the lock)
        except (SQLAlchemyError, RuntimeError, OSError) as exc:
            raise StoreError(f"Хранилище {db_label(db)} недоступно или повреждено: {db_detail(exc)}. "
                             "Проверьте путь (--db или NATMON_DB) и права на запись.") from exc
        return cls(engine, db)

    def close(self) -> None:
        self._closer()

    # -- registry ---------------------------------------------------------------------------

    def sync_registry(self, registry: Registry) -> None:
        """Mirror sources.yaml into the store, keeping cursors and health of known channels.

        One read per table and writes only for what changed, so a night's mirror of an unchanged
        national registry is three reads, also over a network to PostgreSQL. Crawls of several shares
        starting together mirror it one after the other (a write lock taken first)."""
        m, i, c = t.municipalities, t.institutions, t.channels
        with self._write() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(select(func.pg_advisory_xact_lock(REGISTRY_LOCK)))
            elif conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # read and write in one snapshot
            known_m = {row.name: (row.id, row.authority) for row in conn.execute(select(m.c.id, m.c.name, m.c.authority))}
            m_ids = _mirror(conn, m, known_m, {entry.name: {"authority": entry.authority}
                                              for entry in registry.municipalities}, ("name",))
            known_i = {(row.municipality_id, row.name): (row.id, row.kind)
                       for row in conn.execute(select(i.c.id, i.c.municipality_id, i.c.name, i.c.kind))}
            i_ids = _mirror(conn, i, known_i, {(m_ids[entry.name], inst.name): {"kind": inst.kind}
                                              for entry in registry.municipalities for inst in entry.institutions},
                            ("municipality_id", "name"))
            known_c = {(row.kind, row.address): (row.id, row.institution_id, row.enabled, row.in_registry, row.options)
                       for row in conn.execute(select(c.c.id, c.c.kind, c.c.address, c.c.institution_id, c.c.enabled,
                                                      c.c.in_registry, c.c.options))}
            wanted = {(channel.kind, channel.address): {"institution_id": i_ids[(m_ids[entry.name], inst.name)],
                                                        "enabled": channel.enabled, "in_registry": True,
                                                        "options": channel.options}
                      for entry in registry.municipalities for inst in entry.institutions
                      for channel in inst.channels}
            _mirror(conn, c, known_c, wanted, ("kind", "address"))
            gone = [row[0] for key, row in known_c.items() if row[3] and key not in wanted]
            for start in range(0, len(gone), SQL_CHUNK):
                conn.execute(update(c).where(c.c.id.in_(gone[start:start + SQL_CHUNK])).values(in_registry=False))

    def crawl_targets(self, municipality: str | None = None, kind: str | None = None) -> list[CrawlTarget]:
        c, i, m = t.channels, t.institutions, t.municipalities
        query = (select(c.c.id, c.c.kind, c.c.address, c.c.options, c.c.resolved, i.c.name.label("institution"),
                        m.c.name.label("municipality"))
                 .join(i, c.c.institution_id == i.c.id).join(m, i.c.municipality_id == m.c.id)
                 .where(c.c.enabled, c.c.in_registry).order_by(c.c.id))
        if kind:
            query = query.where(c.c.kind == kind)
        with self._read() as conn:
            if municipality:  # SQLite's lower() knows only ASCII, so Cyrillic names are compared here
                names = [name for name in conn.execute(select(m.c.name)).scalars()
                         if name.casefold() == municipality.strip().casefold()]
                query = query.where(m.c.name.in_(names))
            rows = conn.execute(query).mappings().all()
        shared: dict[str, str] = {}  # one string per name, however many channels carry it
        return [CrawlTarget(ChannelRef(row["id"], shared.setdefault(row["kind"], row["kind"]), row["address"],
                                       row["options"] or _NO_OPTIONS, row["resolved"]),
                            shared.setdefault(row["municipality"], row["municipality"]),
                            shared.setdefault(row["institution"], row["institution"]))
                for row in rows]

    # -- posts ------------------------------------------------------------------------------

    def save_posts(self, channel_id: int, posts: Sequence[Post], now: datetime | None = None) -> SaveResult:
        """Upsert posts on (channel, external id): new ones inserted, edits update text and metrics.

        One transaction and a handful of statements per channel, however many posts.
        """
        now = now or utcnow()
        unique = _unique(posts)
        if not unique:
            return SaveResult((), (), 0)
        p = t.posts
        with self._write() as conn:
            known: dict[str, Any] = {}
            ids = [post.external_id for post in unique]
            for start in range(0, len(ids), SQL_CHUNK):
                known.update((row.external_id, row) for row in conn.execute(
                    select(p.c.id, p.c.external_id, p.c.content_hash).where(
                        p.c.channel_id == channel_id, p.c.external_id.in_(ids[start:start + SQL_CHUNK]))))
            fresh: list[dict[str, Any]] = []
            edits: list[dict[str, Any]] = []
            seen: list[dict[str, Any]] = []
            for post in unique:
                digest = post.content_hash()
                metrics = {"b_views": post.views, "b_likes": post.likes, "b_reposts": post.reposts,
                           "b_comments": post.comments}
                row = known.get(post.external_id)
                if row is None:
                    fresh.append({"channel_id": channel_id, "external_id": post.external_id, "url": post.url,
                                  "published_at": post.published_at, "title": post.title, "text": post.text,
                                  "media": list(post.media), "repost_of": post.repost_of, "found_by": post.found_by,
                                  "first_seen": now, "last_seen": now, "content_hash": digest, "edited": False,
                                  "deleted": False, "views": post.views, "likes": post.likes,
                                  "reposts": post.reposts, "comments": post.comments})
                elif row.content_hash != digest:
                    edits.append({"b_id": row.id, **metrics, "b_title": post.title, "b_text": post.text,
                                  "b_media": list(post.media), "b_url": post.url, "b_hash": digest})
                else:
                    seen.append({"b_id": row.id, **metrics})
            new: list[int] = []
            if fresh:
                inserted = conn.execute(p.insert().returning(p.c.id, sort_by_parameter_order=True), fresh)
                new = [int(row[0]) for row in inserted]
            if seen:
                conn.execute(update(p).where(p.c.id == bindparam("b_id")).values(**_touch(now)), seen)
            if edits:
                conn.execute(update(p).where(p.c.id == bindparam("b_id")).values(
                    **_touch(now), title=bindparam("b_title"), text=bindparam("b_text"),
                    media=bindparam("b_media", type_=t.JsonText), url=bindparam("b_url"),
                    content_hash=bindparam("b_hash"), edited=True), edits)
        return SaveResult(tuple(new), tuple(edit["b_id"] for edit in edits), len(seen))

    def posts_to_match(self, version: str, post_ids: Iterable[int] | None = None, *, after: int = 0,
                       limit: int | None = None) -> list[dict[str, Any]]:
        """Posts without a current match (new, edited, or matched by another matcher version).

        `after` and `limit` read them in batches by id (the nightly job never holds them all).
        """
        p, mt = t.posts, t.matches
        query = (select(p.c.id, p.c.channel_id, p.c.title, p.c.text, p.c.content_hash, p.c.published_at).outerjoin(mt, mt.c.post_id == p.c.id)
                 .where(or_(mt.c.post_id.is_(None), mt.c.version != version, mt.c.content_hash != p.c.content_hash)))
        if post_ids is not None:
            query = query.where(p.c.id.in_(list(post_ids)))
        if after or limit is not None:
            query = query.where(p.c.id > after).limit(limit)
        query = query.order_by(p.c.id)  # PostgreSQL returns rows in no set order without it
        with self._read() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def save_matches(self, rows: Sequence[dict[str, Any]], now: datetime | None = None) -> None:
        """Replace matches (reviews live in their own table and are never touched here)."""
        if not rows:
            return
        now = now or utcnow()
        with self._write() as conn:
            ids = [row["post_id"] for row in rows]
            conn.execute(t.matches.delete().where(t.matches.c.post_id.in_(ids)))
            conn.execute(t.matches.insert(), [{**row, "matched_at": now} for row in rows])

    def count_by_municipality(self, by_channel: dict[int, int]) -> dict[str, int]:
        """Counts per channel id summed by the channels' municipality."""
        c, i, m = t.channels, t.institutions, t.municipalities
        ids = list(by_channel)
        result: dict[str, int] = {}
        with self._read() as conn:
            for start in range(0, len(ids), SQL_CHUNK):
                for channel_id, name in conn.execute(
                        select(c.c.id, m.c.name).join(i, c.c.institution_id == i.c.id)
                        .join(m, i.c.municipality_id == m.c.id).where(c.c.id.in_(ids[start:start + SQL_CHUNK]))):
                    result[name] = result.get(name, 0) + by_channel[channel_id]
        return result

    # -- channel health and cursors ---------------------------------------------------------

    def cursor(self, channel_id: int) -> str | None:
        """Where the channel's last successful crawl stopped (None before the first)."""
        with self._read() as conn:
            return conn.execute(select(t.channels.c.cursor).where(t.channels.c.id == channel_id)).scalar()

    def channel_succeeded(self, channel_id: int, cursor: str | None, resolved: str | None,
                          now: datetime | None = None, warning: str | None = None) -> None:
        """Record a successful crawl; `warning` («страница не разобрана: …») is kept until a crawl without one."""
        now = now or utcnow()
        values: dict[str, Any] = {"last_attempt": now, "last_success": now, "last_error": None,
                                  "consecutive_failures": 0, "last_warning": warning}
        if cursor is not None:
            values["cursor"] = cursor
        if resolved is not None:
            values["resolved"] = resolved
        with self._write() as conn:
            conn.execute(update(t.channels).where(t.channels.c.id == channel_id).values(**values))

    def channel_failed(self, channel_id: int, reason: str, now: datetime | None = None) -> None:
        c = t.channels
        with self._write() as conn:
            conn.execute(update(c).where(c.c.id == channel_id).values(
                last_attempt=now or utcnow(), last_error=reason, consecutive_failures=c.c.consecutive_failures + 1))

    # -- small state kept between runs ----------------------------------------------------------

    def get_state(self, key: str, default: Any = None) -> Any:
        with self._read() as conn:
            value = conn.execute(select(t.state.c.value).where(t.state.c.key == key)).scalar()
        return default if value is None else value

    def set_state(self, key: str, value: Any) -> None:
        with self._write() as conn:
            conn.execute(upsert(conn, t.state, {"key": key}, {"value": value, "updated_at": utcnow()}))

    # -- crawl runs and the lock ------------------------------------------------------------

    def interrupt_dead_runs(self, now: datetime | None = None) -> list[int]:
        """Mark every `running` crawl run `interrupted` (at `now`); call only while holding the crawl lock
        of the whole registry, when no other crawl can be running (see `interrupt_dead_runs_of`)."""
        return self.interrupt_dead_runs_of(lambda share: True, now)

    def start_run(self, now: datetime | None = None, share: str | None = None) -> int:
        """A `running` crawl-run record; `share` is the registry share it crawls ("2/4"; None: all)."""
        with self._write() as conn:
            result = conn.execute(t.crawl_runs.insert().values(started_at=now or utcnow(), status="running",
                                                               errors={}, share=share))
            return int(result.inserted_primary_key[0])

    def finish_run(self, run_id: int, *, ok: int, failed: int, new: int, changed: int, flagged: int,
                   errors: dict[str, str], status: str = "finished") -> None:
        with self._write() as conn:
            conn.execute(update(t.crawl_runs).where(t.crawl_runs.c.id == run_id).values(
                finished_at=utcnow(), status=status, channels_ok=ok, channels_failed=failed, posts_new=new,
                posts_changed=changed, posts_flagged=flagged, errors=errors))

    def acquire_lock(self, name: str, stale_after: float, owner: str | None = None) -> str | None:
        """Take the named lock; returns the holder's description when someone else has it.

        A lock whose holder stopped sending heartbeats for `stale_after` seconds, or whose
        process on this host is gone (a crawl killed with -9), is taken over.
        """
        return self.acquire_lock_unless(name, stale_after, lambda other: False, owner)

    def heartbeat(self, name: str, owner: str | None = None) -> None:
        owner = owner or this_process()
        with self._write() as conn:
            conn.execute(update(t.locks).where(and_(t.locks.c.name == name, t.locks.c.owner == owner))
                         .values(heartbeat=utcnow()))

    def release_lock(self, name: str, owner: str | None = None) -> None:
        owner = owner or this_process()
        with self._write() as conn:
            conn.execute(t.locks.delete().where(and_(t.locks.c.name == name, t.locks.c.owner == owner)))

    # -- shares of the registry (crawler/shares.py, crawler/locks.py) and revisits (crawler/revisit.py) --

    def acquire_lock_unless(self, name: str, stale_after: float, conflicts: Callable[[str], bool],
                            owner: str | None = None) -> str | None:
        """Take the named lock row unless it, or a live row `conflicts` names, is held by another process;
        returns that holder's description. A row whose holder stopped sending heartbeats for `stale_after`
        seconds, or whose process on this host is gone (a crawl killed with -9), is abandoned."""
        owner = owner or this_process()
        now = utcnow()
        lk = t.locks
        with self._write() as conn:
            if conn.dialect.name == "sqlite":  # look and insert in one write lock: two crawls starting together
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # would each see no row and insert different ones
            own = None
            for row in conn.execute(select(lk)).mappings().all():
                if row["name"] == name:
                    own = row
                if row["owner"] == owner or not (row["name"] == name or conflicts(row["name"])):
                    continue
                if not _lock_abandoned(row, now, stale_after):
                    return _holder(row)
            if own is not None:  # only the row judged above: one another process took meanwhile stays
                conn.execute(lk.delete().where(lk.c.name == name, lk.c.owner == own["owner"],
                                               lk.c.heartbeat == own["heartbeat"]))
            try:
                with conn.begin_nested():  # a savepoint: PostgreSQL's transaction survives the conflict
                    conn.execute(lk.insert().values(name=name, owner=owner, acquired_at=now, heartbeat=now))
            except IntegrityError:  # another process took the lock between our look and our insert
                return "другой процесс"
        return None

    def lock_holders(self, names: Callable[[str], bool]) -> list[str]:
        """Descriptions of the lock rows `names` selects (who holds what, for a message)."""
        with self._read() as conn:
            rows = conn.execute(select(t.locks)).mappings().all()
        return [_holder(row) for row in rows if names(row["name"])]

    def interrupt_dead_runs_of(self, may_close: Callable[[str | None], bool],
                               now: datetime | None = None) -> list[int]:
        """Mark `interrupted` the `running` runs whose share `may_close` accepts: call only holding the
        crawl lock that excludes those shares, so each such row belongs to a crawl that died (kill -9)."""
        runs = t.crawl_runs
        with self._write() as conn:
            ids = [int(row.id) for row in conn.execute(select(runs.c.id, runs.c.share)
                                                       .where(runs.c.status == "running").order_by(runs.c.id))
                   if may_close(row.share)]
            if ids:
                conn.execute(update(runs).where(runs.c.id.in_(ids)).values(status="interrupted",
                                                                             finished_at=now or utcnow()))
        return ids

    def revisit_history(self, kinds: Sequence[str],
                        posted_since: datetime) -> dict[int, tuple[datetime | None, bool, int]]:
        """Channel id -> (last successful crawl, whether the last crawl failed, posts published since
        `posted_since`) for the channels of `kinds`."""
        c, p = t.channels, t.posts
        with self._read() as conn:
            result = {int(row.id): (row.last_success, row.last_error is not None, 0) for row in conn.execute(
                select(c.c.id, c.c.last_success, c.c.last_error).where(c.c.kind.in_(list(kinds))))}
            for channel_id, count in conn.execute(
                    select(p.c.channel_id, func.count()).join(c, c.c.id == p.c.channel_id)
                    .where(c.c.kind.in_(list(kinds)), p.c.published_at >= posted_since)
                    .group_by(p.c.channel_id)):
                last, failed, _ = result[int(channel_id)]
                result[int(channel_id)] = (last, failed, int(count))
        return result


def open_engine(db: str) -> Engine:
    """The engine of the store at a path or a SQLAlchemy URL (SQLite switched to WAL on each connection),
    without touching its schema; a missing driver or a bad URL becomes a Russian StoreError."""
    try:
        engine = create_engine(db_url(db), future=True)
    except (SQLAlchemyError, ImportError) as exc:
        raise StoreError(f"Не удалось открыть хранилище {db_label(db)}: {db_detail(exc)}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda conn, _record: t.enable_wal(conn))
    return engine


def this_process() -> str:
    """Who holds a lock row: this host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _holder(row: Mapping[str, Any]) -> str:
    """A lock row as a message says who holds it."""
    return f"{row['name']}: {row['owner']} с {row['acquired_at']:%Y-%m-%d %H:%M} UTC"


def _lock_abandoned(row: Any, now: datetime, stale_after: float) -> bool:
    if now - row["heartbeat"] > timedelta(seconds=stale_after):
        return True
    host, _, pid = str(row["owner"]).rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
    return False


def _touch(now: datetime) -> dict[str, Any]:
    """What every re-seen post gets: last seen now, not deleted, metrics kept when the source gives none."""
    p = t.posts
    return {"last_seen": now, "deleted": False,
            **{name: func.coalesce(bindparam(f"b_{name}", type_=Integer), p.c[name])
               for name in ("views", "likes", "reposts", "comments")}}


def explain(exc: SQLAlchemyError, name: str) -> str:
    """A Russian message for a failed store operation, saying what to do."""
    lowered = str(getattr(exc, "orig", None) or exc).lower()
    if "full" in lowered or "no space left" in lowered:
        return (f"Хранилище {name} переполнено: на диске не осталось места (или достигнут предел размера базы). "
                "Освободите место и запустите обход снова — уже записанное сохранено, незаконченная запись "
                "отменена целиком.")
    if "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
        return (f"Хранилище {name} открыто только для чтения: записать в него нельзя. Проверьте права на файл "
                "и его папку или путь в --db (NATMON_DB).")
    return f"Ошибка хранилища {name}: {db_detail(exc)}. Проверьте путь (--db или NATMON_DB), место на диске и права на запись."


def upsert(conn: Connection, table: Any, key: dict[str, Any], values: dict[str, Any],
           update_with: dict[str, Any] | None = None) -> Any:
    """INSERT … ON CONFLICT (key) DO UPDATE: one statement, the same on SQLite and PostgreSQL, right
    even when several processes (crawl hosts, the web app) write the same row at once. An existing
    row gets `update_with` (SQL expressions over its columns) or else `values`."""
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)
    return insert.values(**key, **values).on_conflict_do_update(index_elements=list(key),
                                                                set_=update_with or values)


def _mirror(conn: Any, table: Any, known: dict[Any, tuple[Any, ...]], wanted: dict[Any, dict[str, Any]],
            key_names: tuple[str, ...]) -> dict[Any, int]:
    """Make `table` hold the `wanted` rows (key -> values): insert the missing, update those whose values
    differ from `known` (key -> (id, *values in the order of the wanted values)); returns key -> id."""
    ids = {key: int(row[0]) for key, row in known.items()}
    fresh, changed = [], []
    for key, values in wanted.items():
        keys = key if isinstance(key, tuple) else (key,)
        row = known.get(key)
        if row is None:
            fresh.append((key, {**dict(zip(key_names, keys)), **values}))
        elif tuple(row[1:1 + len(values)]) != tuple(values.values()):
            changed.append({"b_id": row[0], **{f"b_{name}": value for name, value in values.items()}})
    if fresh:
        inserted = conn.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True),
                                [values for _, values in fresh])
        ids.update((key, int(row[0])) for (key, _), row in zip(fresh, inserted))
    if changed:
        names = [name[2:] for name in changed[0] if name != "b_id"]
        conn.execute(update(table).where(table.c.id == bindparam("b_id")).values(
            **{name: bindparam(f"b_{name}", type_=table.c[name].type) for name in names}), changed)
    return ids


def _unique(posts: Sequence[Post]) -> list[Post]:
    """One post per external id (an adapter may see the same post on two pages)."""
    return list({post.external_id: post for post in posts}.values())


__all__ = ["Store", "StoreError", "CrawlTarget", "SaveResult", "utcnow"]
