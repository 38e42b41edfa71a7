"""The `natmon` command. The one place that turns errors into Russian messages and exit codes."""

from __future__ import annotations

import logging
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from channels.base import ChannelError
from crawler import settings as config
from crawler.cli_frame import use_russian_frame
from crawler.cli_lazy import lazy_group
from crawler.registry import SourcesError, load, warnings

if TYPE_CHECKING:
    from crawler.job import CrawlOptions, CrawlSummary
    from crawler.store import Store

EXIT_CONFIG = 2
EXIT_STORE = 3
EXIT_LOCKED = 4
EXIT_ALL_FAILED = 5  # natmon crawl: every channel failed (cron should notice)

# Command modules (crawler/commands/), each with register(app), imported only when used
# (crawler/cli_lazy.py): the root's by command name, with the one-line summary `natmon --help` shows.
COMMANDS = {
    "match": ("match", "Определить, упоминает ли пост национальные проекты."),
    "serve": ("serve", "Запустить веб-приложение: обзор региона, проверка публикаций, отчёты и их отправка."),
    "notify": ("bot", "Разослать координаторам в Telegram или MAX сводку после ночного обхода и черновики перед "
                      "сроком."),
    "bot": ("bot", "Запустить Telegram-бота: отвечает координаторам на /status и /report и сохраняет посты "
                   "каналов."),
    "report": ("report", "Отчёты о публикациях по нацпроектам: периоды, предпросмотр, черновик, подтверждение, "
                         "итоговый и сводный отчёты, отправка по почте."),
    "users": ("users", "Пользователи веб-приложения и бота: координаторы муниципалитетов и операторы."),
    "store": ("store_copy", "Хранилище: перенос данных региона в другую базу (например, в PostgreSQL)."),
}
SOURCES_MODULES = ("sources_import", "sources_discover")
PARSE_MODULES = ("parse_website", "parse_vk", "parse_telegram", "parse_ok", "parse_max")

app = typer.Typer(
    help="natmon — мониторинг публикаций образовательных организаций о национальных проектах.\n\n"
         "Примеры:\n\n  natmon demo\n\n  natmon crawl --sources sources.yaml --db natmon.db",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None, cls=lazy_group(lazy=COMMANDS),
)
sources_app = typer.Typer(help="Реестр источников (sources.yaml): проверка и импорт списков учреждений.",
                          no_args_is_help=True, cls=lazy_group(SOURCES_MODULES))
parse_app = typer.Typer(help="Диагностика: что natmon находит в странице, файле или ответе API.",
                        no_args_is_help=True, cls=lazy_group(PARSE_MODULES))
app.add_typer(sources_app, name="sources")
app.add_typer(parse_app, name="parse")

SourcesOption = Annotated[Optional[Path], typer.Option("--sources", help="Файл реестра (по умолчанию "
                                                       "sources.yaml или NATMON_SOURCES).")]
DbOption = Annotated[Optional[str], typer.Option("--db", help="Хранилище: путь к файлу SQLite или URL "
                                                 "базы (по умолчанию natmon.db или NATMON_DB).")]


def fail(message: str, code: int) -> typer.Exit:
    """Print a Russian message to stderr and return the exit to raise."""
    typer.echo(message, err=True)
    return typer.Exit(code)


def resolve_settings(sources: Path | None, db: str | None) -> config.Settings:
    """Defaults, then CLI flags, then the environment (the registry's own section comes later)."""
    base = config.with_values(config.Settings(), {("", "db"): db, ("", "sources"): str(sources) if sources else None})
    return config.from_env(base)


def open_registry_and_store(settings: config.Settings) -> tuple[config.Settings, object, Store]:
    from crawler.store import Store, StoreError

    try:
        registry = load(settings.sources)
    except SourcesError as exc:
        raise fail(exc.render(), EXIT_CONFIG) from None
    # sources.yaml settings sit between the defaults and the CLI/environment.
    merged = config.from_env(config.from_yaml(config.Settings(db=settings.db, sources=settings.sources),
                                              registry.settings))
    try:
        store = Store.open(merged.db)
    except StoreError as exc:
        raise fail(str(exc), EXIT_STORE) from None
    return merged, registry, store


def run_crawl(settings: config.Settings, options: CrawlOptions) -> CrawlSummary:
    """Read the registry, run a crawl with progress on a terminal (plain lines otherwise), print its summary.

    The crawl is the registry's only holder, so it can let the registry go once the store
    mirrors it (tens of megabytes for a national registry): nothing here keeps a reference."""
    import asyncio

    from crawler.job import CrawlLocked, crawl
    from crawler.progress import CrawlProgress, print_summary
    from crawler.store import StoreError

    settings, registry, store = open_registry_and_store(settings)
    try:
        if options.municipality:
            try:
                registry.municipality(options.municipality)  # type: ignore[attr-defined]
            except SourcesError as exc:
                raise fail(exc.render(), EXIT_CONFIG) from None
        progress = CrawlProgress(interactive=sys.stderr.isatty())
        job = crawl(store, registry, settings, options,  # type: ignore[arg-type]
                    on_start=progress.start, on_progress=progress.advance)
        del registry
        try:
            with progress:
                summary = asyncio.run(job)
        except CrawlLocked as exc:
            raise fail(str(exc), EXIT_LOCKED) from None
        except SourcesError as exc:
            raise fail(exc.render(), EXIT_CONFIG) from None
        except StoreError as exc:
            raise fail(str(exc), EXIT_STORE) from None
        except ChannelError as exc:  # a setting of the HTTP policy itself (NATMON_CA_BUNDLE)
            raise fail(exc.message, EXIT_CONFIG) from None
    finally:
        store.close()
    print_summary(summary)
    return summary


@app.command("crawl")
def crawl_command(
    sources: SourcesOption = None,
    db: DbOption = None,
    municipality: Annotated[Optional[str], typer.Option(help="Обойти только этот муниципалитет.")] = None,
    channel_kind: Annotated[Optional[str], typer.Option(help="Обойти только каналы одного типа: "
                                                        "website, vk, telegram, ok или max.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Не брать публикации раньше этой даты (ГГГГ-ММ-ДД); "
                                                 "по умолчанию — начало кампании.")] = None,
    campaign: Annotated[Optional[str], typer.Option(help="Кампания (id из sources.yaml); по умолчанию — "
                                                    "текущая.")] = None,
    share: Annotated[Optional[str], typer.Option(help="Обойти только долю K из N долей реестра (K/N, например "
                                                 "2/4): N машин с --share 1/N … N/N делят каналы между собой "
                                                 "и пишут в одно хранилище PostgreSQL.")] = None,
) -> None:
    """Ночной обход: собрать новые публикации всех каналов, сохранить и разметить их.

    Код выхода 0, даже если часть каналов не ответила (причины — в итоговой сводке);
    2 — ошибка в sources.yaml или параметрах, 3 — хранилище недоступно, 4 — уже идёт другой обход,
    5 — ошибкой завершились все каналы (скорее всего, нет сети или токенов).

    Примеры:

      natmon crawl

      natmon crawl --municipality "г. Иркутск" --channel-kind vk --since 2025-01-10

      natmon crawl --share 2/4 --db postgresql+psycopg://natmon@db.example/natmon
    """
    from crawler.job import CrawlOptions
    from crawler.shares import ShareError, parse_share

    if channel_kind and channel_kind not in ("website", "vk", "telegram", "ok", "max"):
        raise fail(f"Неизвестный тип канала «{channel_kind}»; допустимы: website, vk, telegram, ok, max.", EXIT_CONFIG)
    try:
        part = parse_share(share) if share is not None else None
    except ShareError as exc:
        raise fail(str(exc), EXIT_CONFIG) from None
    summary = run_crawl(resolve_settings(sources, db), CrawlOptions(municipality, channel_kind,
                                                                    _parse_date(since, "--since"), campaign, part))
    if summary.all_failed:
        raise typer.Exit(EXIT_ALL_FAILED)


@app.command("demo")
def demo_command(
    output_dir: Annotated[Path, typer.Option(help="Куда записать хранилище, предпросмотр и черновик отчёта.")]
    = Path("demo-output"),
    port: Annotated[int, typer.Option(help="Порт локального демо-сервера на 127.0.0.1.")] = 8738,
) -> None:
    """Запустить весь конвейер на демонстрационном регионе без интернета и токенов.

    Поднимает на 127.0.0.1 «маленький интернет» (сайты, заглушку API VK, страницы t.me/s),
    обходит его тем же кодом, что и в работе, и пишет предпросмотр (HTML) и черновик отчёта (xlsx).

    Пример:

      natmon demo --output-dir demo-output
    """
    from crawler.demo.run import DemoError, run_demo
    from crawler.job import CrawlLocked
    from crawler.store import StoreError

    try:
        run_demo(output_dir, port)
    except (SourcesError, StoreError, CrawlLocked, DemoError) as exc:
        raise fail(exc.render() if isinstance(exc, SourcesError) else str(exc), EXIT_CONFIG) from None


@sources_app.command("check")
def sources_check(sources: SourcesOption = None) -> None:
    """Проверить sources.yaml и вывести все найденные ошибки сразу (с номерами строк).

    Пример:

      natmon sources check --sources sources.yaml
    """
    settings = resolve_settings(sources, None)
    try:
        registry = load(settings.sources)
    except SourcesError as exc:
        raise fail(exc.render(), EXIT_CONFIG) from None
    channels = list(registry.channels())
    enabled = sum(channel.enabled for _, _, channel in channels)
    institutions = sum(len(m.institutions) for m in registry.municipalities)
    for warning in warnings(registry):
        typer.echo(f"Предупреждение: {warning}", err=True)
    typer.echo(f"{settings.sources}: ошибок нет. Муниципалитетов: {len(registry.municipalities)}, "
               f"учреждений: {institutions}, каналов: {len(channels)} (включено {enabled}), "
               f"кампаний: {len(registry.campaigns)}.")


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise fail(f"{option}: ожидается дата в виде ГГГГ-ММ-ДД, получено «{value}».", EXIT_CONFIG) from None


use_russian_frame(app)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
