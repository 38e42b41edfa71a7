"""The `natmon` command. The one place that turns errors into Russian messages and exit codes."""

from __future__ import annotations

import asyncio
import importlib
import logging
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from channels.base import ChannelError
from crawler import settings as config
from crawler.job import CrawlLocked, CrawlOptions, CrawlSummary, crawl
from crawler.progress import CrawlProgress, print_summary
from crawler.registry import SourcesError, load
from crawler.store import Store, StoreError

EXIT_CONFIG = 2
EXIT_STORE = 3
EXIT_LOCKED = 4

app = typer.Typer(
    help="natmon — мониторинг публикаций образовательных организаций о национальных проектах.\n\n"
         "Примеры:\n\n  natmon demo\n\n  natmon crawl --sources sources.yaml --db natmon.db",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None,
)
sources_app = typer.Typer(help="Реестр источников (sources.yaml): проверка и импорт списков учреждений.",
                          no_args_is_help=True)
parse_app = typer.Typer(help="Диагностика: что natmon находит в странице, файле или ответе API.",
                        no_args_is_help=True)
app.add_typer(sources_app, name="sources")
app.add_typer(parse_app, name="parse")

# Command modules, each with register(app); `parse_*` ones are registered on the `parse` group.
COMMAND_MODULES = ("match", "report", "sources_import", "sources_discover", "serve", "users", "bot")
PARSE_MODULES = ("parse_website", "parse_vk", "parse_telegram", "parse_ok", "parse_max")

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
) -> None:
    """Ночной обход: собрать новые публикации всех каналов, сохранить и разметить их.

    Код выхода 0, даже если часть каналов не ответила (причины — в итоговой сводке);
    2 — ошибка в sources.yaml или параметрах, 3 — хранилище недоступно, 4 — уже идёт другой обход.

    Примеры:

      natmon crawl

      natmon crawl --municipality "г. Иркутск" --channel-kind vk --since 2025-01-10
    """
    if channel_kind and channel_kind not in ("website", "vk", "telegram", "ok", "max"):
        raise fail(f"Неизвестный тип канала «{channel_kind}»; допустимы: website, vk, telegram, ok, max.",
                   EXIT_CONFIG)
    run_crawl(resolve_settings(sources, db), CrawlOptions(municipality, channel_kind, _parse_date(since, "--since"),
                                                          campaign))


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


def _register_command_modules() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"crawler.commands.{name}").register(app)
    for name in PARSE_MODULES:
        importlib.import_module(f"crawler.commands.{name}").register(parse_app)


_register_command_modules()


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
