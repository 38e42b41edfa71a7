"""`natmon store copy`: move a region's store into another one (SQLite to the federal PostgreSQL)."""

from __future__ import annotations

from typing import Annotated

import typer

from crawler.cli import EXIT_CONFIG, EXIT_STORE, fail


def register(app: typer.Typer) -> None:
    store = typer.Typer(help="Хранилище: перенос данных региона в другую базу (например, в PostgreSQL).",
                        no_args_is_help=True)
    app.add_typer(store, name="store")

    @store.command("copy")
    def copy(
        source: Annotated[str, typer.Argument(help="Откуда: путь к файлу SQLite или URL базы.")],
        target: Annotated[str, typer.Argument(help="Куда: URL пустой базы (или путь к новому файлу SQLite).")],
    ) -> None:
        """Скопировать все таблицы хранилища в пустую базу, с теми же номерами записей.

        Копирование идёт одной транзакцией: при любой ошибке цель остаётся нетронутой. База-цель должна
        быть пустой. На время копирования остановите обход и веб-приложение. Пароль лучше задать в
        ~/.pgpass или PGPASSWORD, а не в URL; в сообщениях пароль из URL не показывается.

        Пример:

          natmon store copy /var/lib/natmon/natmon.db postgresql+psycopg://natmon@db.example/natmon
        """
        from crawler.db_errors import db_label
        from crawler.store import StoreError
        from crawler.store_copy import CopyRefused, copy_store

        typer.echo(f"Копирование {db_label(source)} → {db_label(target)}", err=True)
        try:
            result = copy_store(source, target, progress=lambda line: typer.echo(f"  {line}", err=True))
        except CopyRefused as exc:
            raise fail(str(exc), EXIT_CONFIG) from None
        except StoreError as exc:
            raise fail(str(exc), EXIT_STORE) from None
        if result.migrated_from is not None:
            typer.echo(f"Источник был обновлён со схемы {result.migrated_from} до текущей перед копированием.")
        total = sum(result.rows.values())
        typer.echo(f"Скопировано: {len(result.rows)} таблиц, {total} строк; число строк в каждой таблице "
                   f"совпадает с источником. Теперь укажите новую базу в --db (NATMON_DB) на всех машинах.")
