"""`natmon notify` (after each nightly crawl, through Telegram or MAX) and `natmon bot` (the Telegram bot's
long polling)."""

from __future__ import annotations

import asyncio
import os
from datetime import date, datetime
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from crawler.registry import Registry, SourcesError, load
from crawler.settings import DEFAULT_DB, DEFAULT_SOURCES, Settings, from_env
from crawler.store import Store, StoreError
from reports import ReportError
from reports.bot import DEFAULT_DAYS_BEFORE, PUBLIC_URL_ENV, TOKEN_ENV

if TYPE_CHECKING:
    from reports.notify import Messenger

EXIT_BAD_INPUT = 2
EXIT_PARTIAL = 1

Sources = Annotated[str, typer.Option("--sources", envvar="NATMON_SOURCES", help="Реестр источников (sources.yaml).")]
Db = Annotated[str, typer.Option("--db", envvar="NATMON_DB", help="Хранилище: путь к SQLite или URL.")]


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(EXIT_BAD_INPUT)


def _open(sources: str, db: str) -> tuple[Registry, Store, str, str | None]:
    """Registry, store, the bot token and the Bot API base URL (from the environment only)."""
    channels = from_env(Settings()).channels
    if not channels.telegram_bot_token:
        raise _fail(f"Не задана переменная окружения {TOKEN_ENV} (токен бота natmon).")
    registry, store = _open_store(sources, db)
    return registry, store, channels.telegram_bot_token, channels.telegram_bot_api_url or None


def _open_store(sources: str, db: str) -> tuple[Registry, Store]:
    try:
        registry = load(sources)
        store = Store.open(db)
    except SourcesError as exc:
        raise _fail(exc.render()) from None
    except StoreError as exc:
        raise _fail(str(exc)) from None
    return registry, store


def register(app: typer.Typer) -> None:
    @app.command("notify")
    def notify_command(
        days_before: Annotated[int, typer.Option("--days-before", min=0, help="За сколько дней до срока "
                                                 "прислать черновик отчёта.")] = DEFAULT_DAYS_BEFORE,
        campaign: Annotated[Optional[str], typer.Option("--campaign", help="ID кампании; по умолчанию — "
                                                        "текущая.")] = None,
        today: Annotated[Optional[str], typer.Option("--today", help="Считать сегодняшним днём (ГГГГ-ММ-ДД), "
                                                     "для проверки.")] = None,
        sources: Sources = DEFAULT_SOURCES,
        db: Db = DEFAULT_DB,
    ) -> None:
        """Разослать координаторам в Telegram или MAX сводку после ночного обхода и черновики перед сроком.

        Сводка: новые публикации с прошлого уведомления, учреждения без публикаций, каналы с
        ошибками. За --days-before дней до срока — файл черновика и ссылка на страницу проверки
        (адрес сайта — из NATMON_PUBLIC_URL). Повторный запуск ничего не присылает дважды.
        Каждому — в мессенджер, выбранный для него (natmon users messenger): Telegram-бот
        (NATMON_TELEGRAM_BOT_TOKEN) или бот региона в MAX (NATMON_MAX_BOT_TOKEN).

        Примеры:

          natmon crawl && natmon notify

          natmon notify --days-before 3
        """
        from reports.bot.client import BotError, TelegramClient
        from reports.bot.max_client import MaxClient
        from reports.notify import NotifyResult, notify

        settings = from_env(Settings())
        channels = settings.channels
        if not channels.telegram_bot_token and not channels.max_bot_token:
            raise _fail(f"Не задан ни токен Telegram-бота ({TOKEN_ENV}), ни токен бота MAX (NATMON_MAX_BOT_TOKEN): "
                        "задайте переменную окружения того мессенджера, в который идут уведомления.")
        registry, store = _open_store(sources, db)
        day = _date(today) if today else datetime.now(registry.timezone).date()

        async def send() -> NotifyResult:
            async with AsyncExitStack() as stack:
                messengers: dict[str, Messenger] = {}
                if channels.telegram_bot_token:
                    messengers["telegram"] = await stack.enter_async_context(
                        TelegramClient(channels.telegram_bot_token, channels.telegram_bot_api_url or None))
                if channels.max_bot_token:
                    messengers["max"] = await stack.enter_async_context(
                        MaxClient(channels.max_bot_token, channels.max_api_url, ca_bundle=settings.http.ca_bundle))
                return await notify(store, registry, messengers, today=day, days_before=days_before,
                                    public_url=os.environ.get(PUBLIC_URL_ENV) or None, campaign=campaign)

        try:
            result = asyncio.run(send())
        except BotError as exc:
            raise _fail(exc.message) from None
        except (ReportError, SourcesError) as exc:
            raise _fail(exc.message if isinstance(exc, ReportError) else exc.render()) from None
        finally:
            store.close()
        typer.echo(f"Сводок отправлено: {result.summaries}, черновиков: {result.drafts}, "
                   f"уже отправлено раньше: {result.skipped}.")
        for problem in result.problems:
            typer.echo(f"  не доставлено: {problem}", err=True)
        for warning in result.warnings:
            typer.echo(f"  внимание: {warning}", err=True)
        if result.problems:
            raise typer.Exit(EXIT_PARTIAL)

    @app.command("bot")
    def bot_command(sources: Sources = DEFAULT_SOURCES, db: Db = DEFAULT_DB) -> None:
        """Запустить Telegram-бота: отвечает координаторам на /status и /report и сохраняет посты каналов.

        Бот узнаёт координатора по номеру чата (natmon users add … --telegram-chat). Пока он
        работает, посты каналов, где бот — администратор, сохраняются сразу. Остановить: Ctrl+C.

        Пример:

          NATMON_TELEGRAM_BOT_TOKEN=… NATMON_PUBLIC_URL=https://natmon.example.ru natmon bot
        """
        from reports.bot.client import BotError, TelegramClient, quiet_loggers
        from reports.bot.polling import run

        registry, store, token, base_url = _open(sources, db)
        quiet_loggers()

        async def poll() -> None:
            async with TelegramClient(token, base_url) as client:
                await run(store, registry, client, public_url=os.environ.get(PUBLIC_URL_ENV) or None,
                          report=lambda line: typer.echo(line, err=True))

        typer.echo("natmon bot: жду команд (остановить: Ctrl+C)", err=True)
        try:
            asyncio.run(poll())
        except KeyboardInterrupt:
            typer.echo("natmon bot: остановлен", err=True)
        except BotError as exc:
            raise _fail(f"Telegram: {exc.message}") from None
        finally:
            store.close()


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(f"--today: ожидается дата в виде ГГГГ-ММ-ДД, получено «{value}»") from None


__all__ = ["register"]
