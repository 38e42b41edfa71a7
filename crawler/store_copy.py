"""Copy a whole store into an empty one (`natmon store copy`): a region moving to the federal PostgreSQL.

Every table is copied with its ids, in foreign-key order, inside one transaction on the target
(PostgreSQL creates tables transactionally too), so a failure at any point leaves the target as it
was. The source is read in one snapshot, its row counts are compared with the target's before the
commit, and PostgreSQL's id sequences are moved past the copied ids so new rows never collide.
Messages name the stores without the passwords of their URLs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, Integer, Table, func, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from crawler import schema as t
from crawler.db_errors import db_detail, db_label
from crawler.settings import db_url
from crawler.store import Store, StoreError, open_engine

BATCH = 2000  # rows read and written at a time: memory stays flat however large the store

Progress = Callable[[str], None]


class CopyRefused(Exception):
    """The copy cannot start (a wrong source or target); the message is Russian and says what to do."""


@dataclass(slots=True, frozen=True)
class CopyResult:
    rows: dict[str, int]  # table -> rows copied, in the order copied
    migrated_from: int | None  # the source's schema version when it had to be migrated first


def copy_store(source: str, target: str, progress: Progress = lambda line: None) -> CopyResult:
    """Copy every table of `source` (a SQLite path or a URL) into the empty store `target`."""
    source_name, target_name = db_label(source), db_label(target)
    if _same_store(source, target):
        raise CopyRefused(f"Источник и цель — одно и то же хранилище ({source_name}); укажите другую цель.")
    migrated_from = _prepare_source(source)
    reader, writer = open_engine(source), open_engine(target)
    try:
        with _guarded(source_name, target_name), _snapshot(reader) as src, writer.begin() as dst:
            _migrate_target(dst, target_name)
            _refuse_unless_empty(dst, target_name)
            dst.execute(t.schema_version.delete())  # replaced by the source's own history below
            expected: dict[str, int] = {}  # rows in the source's snapshot
            rows: dict[str, int] = {}
            for table in t.metadata.sorted_tables:
                expected[table.name] = src.execute(select(func.count()).select_from(table)).scalar_one()
                rows[table.name] = _copy_table(src, dst, table, expected[table.name], progress)
            _reset_sequences(dst)
            _check_counts(dst, expected, rows, source_name, target_name)
    finally:
        reader.dispose()
        writer.dispose()
    return CopyResult(rows, migrated_from)


def _same_store(source: str, target: str) -> bool:
    if "://" not in source and "://" not in target:
        return Path(source).expanduser().resolve() == Path(target).expanduser().resolve()
    return db_url(source) == db_url(target)


@contextmanager
def _guarded(source: str, target: str | None) -> Iterator[None]:
    """A database error becomes a Russian StoreError naming the stores (their passwords hidden)."""
    try:
        yield
    except SQLAlchemyError as exc:
        if target is None:
            raise StoreError(f"Хранилище-источник {source} не читается: {db_detail(exc)}.") from exc
        raise StoreError(f"Копирование {source} → {target} прервано: {db_detail(exc)}. Хранилище-цель не "
                         "изменено; устраните причину и запустите копирование снова.") from exc


def _prepare_source(source: str) -> int | None:
    """Refuse a source that is not a natmon store; migrate an older one (as any natmon command would).
    Returns the version migrated from, None when it was current."""
    name = db_label(source)
    path = Path(source).expanduser()
    if "://" not in source and not path.is_file():
        what = "это не файл (папка или особый файл)" if path.exists() else "нет такого файла"
        raise CopyRefused(f"Хранилище-источник {name} не открыть: {what}. Проверьте путь к файлу natmon.db.")
    engine = open_engine(source)
    try:
        with _guarded(name, None), engine.connect() as conn:
            version = t.current_version(conn)
    finally:
        engine.dispose()
    if version == 0:
        raise CopyRefused(f"{name} — не хранилище natmon (в нём нет таблицы schema_version); проверьте, что "
                          "указан файл или база, куда писал natmon crawl.")
    if version > t.SCHEMA_VERSION:
        raise CopyRefused(f"Хранилище-источник {name} записано более новой версией natmon (схема {version}, "
                          f"эта natmon знает схему {t.SCHEMA_VERSION}); обновите natmon и повторите.")
    if version == t.SCHEMA_VERSION:
        return None
    Store.open(source).close()  # migrates it in place, as the next crawl would
    return version


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection reading one consistent state of the source, even if a crawl writes meanwhile."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            conn.execute(text("SET TRANSACTION READ ONLY"))
        elif conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")  # a read transaction: one WAL snapshot from the first read on
        yield conn
        conn.rollback()


def _migrate_target(conn: Connection, name: str) -> None:
    try:
        t.migrate(conn)
    except RuntimeError as exc:  # its schema is newer than this natmon's
        raise CopyRefused(f"Хранилище-цель {name} записано более новой версией natmon ({exc}); обновите natmon.") \
            from exc


def _refuse_unless_empty(conn: Connection, name: str) -> None:
    filled = [(table.name, count) for table in t.metadata.sorted_tables if table is not t.schema_version
              for count in [conn.execute(select(func.count()).select_from(table)).scalar_one()] if count]
    if filled:
        listed = ", ".join(f"{table} — {count}" for table, count in filled[:5])
        raise CopyRefused(f"В хранилище-цели {name} уже есть данные (строк: {listed}). Копирование идёт только в "
                          "пустую базу, чтобы не смешать регионы и не задеть чужие записи: укажите новую базу "
                          "(PostgreSQL: createdb -O пользователь имя) или новый файл SQLite.")


def _copy_table(src: Connection, dst: Connection, table: Table, expected: int, progress: Progress) -> int:
    present = {column["name"] for column in inspect(src).get_columns(table.name)}
    columns = [column for column in table.columns if column.name in present]
    missing = [column.name for column in table.columns if column.name not in present]
    unknown = sorted(present - {column.name for column in table.columns})
    if unknown:  # nowhere to put them: copying without them would lose data
        raise CopyRefused(f"В таблице {table.name} источника есть столбцы, которых эта версия natmon не знает "
                          f"({', '.join(unknown)}): хранилище записано другой версией natmon. Копируйте той же "
                          "версией natmon, что писала в него; цель не изменена.")
    if missing:  # a store written by a development build between two migrations
        progress(f"{table.name}: в источнике нет столбцов {', '.join(missing)} — в цели у них значения по умолчанию")
    order = list(table.primary_key.columns) or columns
    result = src.execution_options(stream_results=True, yield_per=BATCH).execute(select(*columns).order_by(*order))
    copied = 0
    for batch in result.mappings().partitions(BATCH):
        dst.execute(table.insert(), [dict(row) for row in batch])
        copied += len(batch)
        if copied < expected:
            progress(f"{table.name} — строк: {copied:,} из {expected:,}…".replace(",", " "))
    progress(f"{table.name} — строк: {copied:,}".replace(",", " "))
    return copied


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL: each serial id continues after the largest copied id (SQLite needs nothing)."""
    if conn.dialect.name != "postgresql":
        return
    for table in t.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                          f"COALESCE(MAX({keys[0].name}), 1), MAX({keys[0].name}) IS NOT NULL) FROM {table.name}"),
                     {"table": table.name, "column": keys[0].name})


def _check_counts(dst: Connection, expected: dict[str, int], copied: dict[str, int], source_name: str,
                  target_name: str) -> None:
    """Every table holds as many rows in the target as in the source's snapshot, before the commit."""
    differing = []
    for table in t.metadata.sorted_tables:
        there = expected[table.name]
        here = dst.execute(select(func.count()).select_from(table)).scalar_one()
        if not there == here == copied[table.name]:
            differing.append(f"{table.name}: в источнике {there}, в цели {here}")
    if differing:
        raise StoreError(f"Число строк после копирования {source_name} → {target_name} не сошлось "
                         f"({'; '.join(differing)}); копирование отменено, цель не изменена.")


__all__ = ["copy_store", "CopyRefused", "CopyResult"]
