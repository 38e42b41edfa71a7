"""`natmon report …`: periods, HTML preview, draft, import of a checked draft, final and region reports."""

from __future__ import annotations

import atexit
import gc
import getpass
import os
import sys
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Callable, Iterator, Optional

import typer

from crawler.registry import Registry, SourcesError, load
from crawler.settings import DEFAULT_DB, DEFAULT_SOURCES
from reports import ReportError
from reports.periods import DATE_FORMAT, BoundaryRule, open_period, periods

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from crawler.store import Store
    from reports.review_import import ImportResult

# The report machinery (pandas, openpyxl, jinja2: 60 MB) and the store (SQLAlchemy) are imported
# inside each command that needs them, so `report periods` and other commands do not load them.

DEFAULT_OUTPUT_DIR = "out"
EXIT_BAD_INPUT = 2
EXIT_PARTIAL = 1

Sources = Annotated[str, typer.Option("--sources", envvar="NATMON_SOURCES", help="Реестр источников (sources.yaml).")]
Db = Annotated[str, typer.Option("--db", envvar="NATMON_DB", help="Хранилище: путь к SQLite или URL.")]
CampaignOpt = Annotated[Optional[str], typer.Option("--campaign", help="ID кампании; по умолчанию — текущая.")]
PeriodOpt = Annotated[Optional[str], typer.Option(
    "--period", help="Срок отчёта (24.01.2025, 2025-01-24 или 24.01); по умолчанию — ближайший.")]
MunicipalityOpt = Annotated[Optional[str], typer.Option("--municipality", "-m", help="Муниципалитет, как в реестре.")]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Файл для записи.")]
OutputDirOpt = Annotated[Path, typer.Option("--output-dir", help="Папка для файлов (если не задан --output).")]
BoundaryOpt = Annotated[BoundaryRule, typer.Option(
    "--boundary", help="День срока: include — входит в период, который им заканчивается; next — в следующий.")]
TemplateOpt = Annotated[Optional[Path], typer.Option("--template", help="Свой шаблон xlsx с полями {{…}}.")]
WorkersOpt = Annotated[Optional[int], typer.Option(
    "--workers", envvar="NATMON_REPORT_WORKERS",
    help="Процессов для всех муниципалитетов (по умолчанию 2, не больше числа ядер; 1 — по одному).")]


def _fail_text(message: str) -> str:
    from crawler.cli_frame import library_text

    return library_text(message)


def _fail(message: str) -> typer.Exit:
    typer.echo(_fail_text(message), err=True)
    return typer.Exit(EXIT_BAD_INPUT)


def _raised(exc: BaseException, module: str, name: str) -> bool:
    """Whether `exc` is module.name, without importing the module (unimported, it raised nothing)."""
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(exc, getattr(loaded, name))


@contextmanager
def _errors() -> Iterator[ExitStack]:
    """One place turning natmon's errors into Russian messages and exit code 2 (1: a send to retry); what the
    command opens on the given stack (`_open`'s store) is closed when it ends, failed or not."""
    try:
        with ExitStack() as opened:
            yield opened
    except ReportError as exc:
        typer.echo(_fail_text(exc.message), err=True)
        for row in getattr(exc, "rows", None) or ():  # unreviewed rows of a refused final report or send
            typer.echo(f"  – {row}", err=True)
        failed_send = _raised(exc, "reports.mail", "SendFailed")  # recorded as failed; worth retrying later
        raise typer.Exit(EXIT_PARTIAL if failed_send else EXIT_BAD_INPUT) from None
    except SourcesError as exc:
        raise _fail(str(exc)) from None
    except Exception as exc:
        if _raised(exc, "crawler.store", "StoreError"):
            raise _fail(str(exc)) from None
        raise


@contextmanager
def _starting() -> Iterator[None]:
    """A report's start without Python's cyclic garbage collector: importing pandas, openpyxl and SQLAlchemy and
    reading the registry and the campaign make about a million objects that all stay, so the collector's passes
    over them find nothing (0.1–0.2 s). For the same reason the process leaves its objects to the system at
    exit (`gc.freeze`): a finishing interpreter's last collections took 0.3 s after the reports were written."""
    atexit.unregister(gc.freeze)  # once, however many reports a process (a test run) starts
    atexit.register(gc.freeze)
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


READ_AHEAD_BYTES = 128 * 1024  # a sources.yaml this large is read in a second process while this one imports


@contextmanager
def _reading_ahead(sources: str, workers: int | None) -> Iterator[Callable[[], Registry]]:
    """Gives `registry()`: the registry, packed, read and checked in a second process meanwhile when it is large
    and a second core may be used (a 2,000-institution one takes 0.2–0.3 s, importing the report machinery
    0.6 s). A registry the second process could not read is read here, where a broken file gets its message."""
    pool: ProcessPoolExecutor | None = None
    future: Future[Registry] | None = None
    if (workers is None or workers > 1) and (os.cpu_count() or 1) > 1 and _size(sources) >= READ_AHEAD_BYTES:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        future = pool.submit(load, sources, packed=True)

    def registry() -> Registry:
        if future is not None:
            try:
                return future.result()
            except Exception:  # noqa: BLE001 - read again below, which raises what the file has wrong
                pass
        return load(sources, packed=True)

    try:
        yield registry
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:  # told when it is read
        return 0


def _open(sources: str, db: str, opened: ExitStack, registry: Registry | None = None) -> tuple[Registry, Store]:
    """The registry (`registry`, or read here), packed (a report reads one municipality's records at a time), and
    the store, closed with `opened`."""
    from crawler.store import Store, StoreError

    registry = registry if registry is not None else load(sources, packed=True)
    if "://" not in db and not Path(db).exists():
        raise StoreError(f"Хранилище {db} не найдено: сначала выполните natmon crawl или укажите --db")
    store = Store.open(db)
    opened.callback(store.close)
    return registry, store


def _target(output: Path | None, output_dir: Path, name: str) -> Path:
    return output if output else output_dir / name


def register(app: typer.Typer) -> None:
    """Add the `report` command group to natmon's app."""
    report = typer.Typer(help="Отчёты о публикациях по нацпроектам: периоды, предпросмотр, черновик, "
                              "подтверждение, итоговый и сводный отчёты, отправка по почте.", no_args_is_help=True)
    app.add_typer(report, name="report")
    for command in (periods_command, preview_command, draft_command, import_command, final_command,
                    region_command, send_command, status_command):
        command(report)


def periods_command(report: typer.Typer) -> None:
    @report.command("periods")
    def periods_cmd(campaign: CampaignOpt = None, sources: Sources = DEFAULT_SOURCES,
                    boundary: BoundaryOpt = BoundaryRule.INCLUDE_DEADLINE) -> None:
        """Показать отчётные периоды кампании; текущий отмечен стрелкой.

        Примеры:

          natmon report periods

          natmon report periods --campaign itogi-np-2025 --boundary next
        """
        with _errors():
            registry = load(sources)
            today = datetime.now(registry.timezone).date()
            found = registry.campaign(campaign, today)
            current = open_period(found, today, boundary)
            all_periods = periods(found, boundary)
            typer.echo(f"{found.name} ({found.id}), {found.start:{DATE_FORMAT}} – {found.end:{DATE_FORMAT}}")
            for period in all_periods:
                mark = "  ← текущий" if period == current else ""
                typer.echo(f"{period.index:>3}. отчёт {period.label}: публикации {period.span}{mark}")
            if current is None:
                typer.echo(f"Текущего периода нет: последний закончился {all_periods[-1].end_date:{DATE_FORMAT}}, "
                           f"сегодня {today:{DATE_FORMAT}}. Отчёты за прошедшие сроки: --period ДАТА.")


def preview_command(report: typer.Typer) -> None:
    @report.command("preview")
    def preview_cmd(municipality: MunicipalityOpt = None,
                    region: Annotated[bool, typer.Option("--region", help="Страница региона со ссылками.")] = False,
                    period: PeriodOpt = None, campaign: CampaignOpt = None, output: OutputOpt = None,
                    output_dir: OutputDirOpt = Path(DEFAULT_OUTPUT_DIR), sources: Sources = DEFAULT_SOURCES,
                    db: Db = DEFAULT_DB, boundary: BoundaryOpt = BoundaryRule.INCLUDE_DEADLINE,
                    workers: WorkersOpt = None) -> None:
        """Записать HTML-предпросмотр отчёта (один файл, открывается из почты).

        Примеры:

          natmon report preview --municipality "г. Иркутск" --period 24.01.2025

          natmon report preview --region --output-dir out/
        """
        with _errors() as opened:
            if not municipality and not region:
                raise _fail("Укажите --municipality НАЗВАНИЕ или --region")
            with _starting(), _reading_ahead(sources, workers) as read_registry:
                from reports.api import file_name, resolve, write_preview, write_region_pages
                from reports.workers import workers_from

                processes = workers_from(workers)
                registry, store = _open(sources, db, opened, read_registry())
                found, chosen = resolve(registry, campaign, period, rule=boundary)
            if region:
                paths = write_region_pages(store, registry, found, chosen,
                                           _target(output, output_dir, file_name("preview", None, chosen, "html")),
                                           rule=boundary, workers=processes)
            else:
                assert municipality is not None
                name = registry.municipality(municipality).name
                paths = [write_preview(store, registry, found, name, chosen,
                                       _target(output, output_dir, file_name("preview", name, chosen, "html")),
                                       rule=boundary)]
            for path in paths:
                typer.echo(str(path))


def draft_command(report: typer.Typer) -> None:
    @report.command("draft")
    def draft_cmd(municipality: MunicipalityOpt = None,
                  all_: Annotated[bool, typer.Option("--all", help="Черновики для всех муниципалитетов.")] = False,
                  period: PeriodOpt = None, campaign: CampaignOpt = None, template: TemplateOpt = None,
                  output: OutputOpt = None, output_dir: OutputDirOpt = Path(DEFAULT_OUTPUT_DIR),
                  sources: Sources = DEFAULT_SOURCES, db: Db = DEFAULT_DB,
                  boundary: BoundaryOpt = BoundaryRule.INCLUDE_DEADLINE,
                  workers: WorkersOpt = None) -> None:
        """Записать черновик отчёта (xlsx) для проверки ответственным.

        В черновик попадают публикации, прямо называющие нацпроект; публикации под вопросом —
        на отдельном листе. Статус выберите из списка, затем: natmon report import ФАЙЛ.

        Примеры:

          natmon report draft --municipality "г. Иркутск" --period 24.01.2025

          natmon report draft --all --period 24.01 --template мой_шаблон.xlsx
        """
        with _errors() as opened:
            if bool(municipality) == all_:
                raise _fail("Укажите либо --municipality НАЗВАНИЕ, либо --all")
            with _starting(), _reading_ahead(sources, workers) as read_registry:
                from reports.api import file_name, resolve, write_draft
                from reports.data import load as load_data
                from reports.workers import workers_from, write_drafts

                processes = workers_from(workers)
                registry, store = _open(sources, db, opened, read_registry())
                found, chosen = resolve(registry, campaign, period, rule=boundary)
                data = load_data(store, registry, found, boundary)
            names = [registry.municipality(municipality).name] if municipality else data.municipality_names()

            def write(name: str) -> Path:
                path = output if (output and municipality) else output_dir / file_name("draft", name, chosen, "xlsx")
                return write_draft(store, registry, found, name, chosen, path, template, data=data, rule=boundary)

            failed = write_drafts(names, write, processes, lambda path: typer.echo(str(path)), store=store)
            if failed:
                raise ReportError("Не все черновики записаны (остальные готовы):\n" + "\n".join(failed))


def import_command(report: typer.Typer) -> None:
    @report.command("import")
    def import_cmd(file: Annotated[Path, typer.Argument(help="Проверенный черновик .xlsx.")],
                   who: Annotated[Optional[str], typer.Option("--who", help="Кто проверял (ФИО).")] = None,
                   municipality: MunicipalityOpt = None, period: PeriodOpt = None,
                   sources: Sources = DEFAULT_SOURCES, db: Db = DEFAULT_DB) -> None:
        """Загрузить решения из проверенного черновика и добавленные строки других каналов.

        Файл чужого муниципалитета или периода (или без служебного листа) не загружается.
        Повторная загрузка того же файла ничего не добавляет.

        Примеры:

          natmon report import out/draft-g-irkutsk-2025-01-24.xlsx --who "Иванова А. П."

          natmon report import черновик.xlsx --municipality "г. Иркутск" --period 24.01.2025
        """
        from reports.review_import import import_file

        with _errors() as opened:
            registry, store = _open(sources, db, opened)
            result = import_file(store, registry, file, who or os.environ.get("NATMON_USER") or getpass.getuser(),
                                 municipality=municipality, deadline=period)
            _print_import(result)
            if result.problems:
                raise typer.Exit(EXIT_PARTIAL)


def _print_import(result: ImportResult) -> None:
    typer.echo(f"{result.path}: {result.municipality}, отчёт {result.period_label}")
    typer.echo(f"  новых решений: {result.reviews_added}; новых записей о других каналах: {result.entries_added}; "
               f"без изменений: {result.unchanged}")
    for note in result.notes:
        typer.echo(f"  примечание: {note}")
    if result.problems:
        typer.echo(f"Не удалось прочитать строк: {len(result.problems)} (они пропущены, остальное загружено):",
                   err=True)
        for problem in result.problems:
            typer.echo(f"  – {problem.render()}", err=True)


def final_command(report: typer.Typer) -> None:
    @report.command("final")
    def final_cmd(municipality: Annotated[str, typer.Option("--municipality", "-m", help="Муниципалитет.")],
                  period: PeriodOpt = None, campaign: CampaignOpt = None,
                  allow_pending: Annotated[bool, typer.Option(
                      "--allow-pending", help="Сформировать, даже если не всё проверено.")] = False,
                  template: TemplateOpt = None, output: OutputOpt = None,
                  output_dir: OutputDirOpt = Path(DEFAULT_OUTPUT_DIR), sources: Sources = DEFAULT_SOURCES,
                  db: Db = DEFAULT_DB, boundary: BoundaryOpt = BoundaryRule.INCLUDE_DEADLINE) -> None:
        """Записать итоговый отчёт: только подтверждённые публикации и другие каналы.

        Пока есть непроверенные публикации, отчёт не формируется (их список выводится).

        Примеры:

          natmon report final --municipality "г. Иркутск" --period 24.01.2025

          natmon report final -m "г. Иркутск" --period 24.01 --allow-pending
        """
        from reports.api import file_name, resolve, write_final

        with _errors() as opened:
            registry, store = _open(sources, db, opened)
            found, chosen = resolve(registry, campaign, period, rule=boundary)
            name = registry.municipality(municipality).name
            path = _target(output, output_dir, file_name("final", name, chosen, "xlsx"))
            typer.echo(str(write_final(store, registry, found, name, chosen, path, template,
                                       allow_pending=allow_pending, rule=boundary)))


def region_command(report: typer.Typer) -> None:
    @report.command("region")
    def region_cmd(period: PeriodOpt = None, campaign: CampaignOpt = None, output: OutputOpt = None,
                   output_dir: OutputDirOpt = Path(DEFAULT_OUTPUT_DIR), sources: Sources = DEFAULT_SOURCES,
                   db: Db = DEFAULT_DB, boundary: BoundaryOpt = BoundaryRule.INCLUDE_DEADLINE) -> None:
        """Записать сводный отчёт региона: лист «Сводка» и лист на каждый муниципалитет.

        Примеры:

          natmon report region --period 24.01.2025

          natmon report region --period 24.01 --output сводка.xlsx
        """
        from reports.api import file_name, resolve, write_region

        with _errors() as opened:
            registry, store = _open(sources, db, opened)
            found, chosen = resolve(registry, campaign, period, rule=boundary)
            path = _target(output, output_dir, file_name("region", None, chosen, "xlsx"))
            typer.echo(str(write_region(store, registry, found, chosen, path, rule=boundary)))


def _who(who: str | None) -> str:
    return who or os.environ.get("NATMON_USER") or getpass.getuser()


def send_command(report: typer.Typer) -> None:
    @report.command("send")
    def send_cmd(municipality: MunicipalityOpt = None,
                 region: Annotated[bool, typer.Option("--region", help="Сводный отчёт региона.")] = False,
                 period: PeriodOpt = None, campaign: CampaignOpt = None,
                 who: Annotated[Optional[str], typer.Option("--who", help="Кто отправляет (ФИО).")] = None,
                 resend: Annotated[bool, typer.Option(
                     "--resend", help="Отправить ещё раз, хотя отчёт уже отправлен.")] = False,
                 output_dir: Annotated[Optional[Path], typer.Option(
                     "--output-dir", help="Сохранить копию отправленного файла в эту папку.")] = None,
                 sources: Sources = DEFAULT_SOURCES, db: Db = DEFAULT_DB) -> None:
        """Отправить итоговый отчёт получателю кампании по электронной почте (xlsx во вложении).

        Получатель — campaigns[].recipient.email в sources.yaml; почтовый сервер задаётся
        переменными окружения NATMON_SMTP_HOST, NATMON_SMTP_PORT, NATMON_SMTP_SECURITY
        (starttls, ssl или none), NATMON_SMTP_USER, NATMON_SMTP_PASSWORD, NATMON_SMTP_FROM.
        Пока есть непроверенные публикации, отчёт не отправляется; повторная отправка —
        только с --resend. Каждая попытка записывается (natmon report status).

        Примеры:

          natmon report send --municipality "г. Иркутск" --period 24.01.2025 --who "Иванова А. П."

          natmon report send --region --period 24.01 --resend
        """
        from reports.mail import send_report
        from reports.mail_status import REGION_LABEL

        with _errors() as opened:
            if bool(municipality) == region:
                raise _fail("Укажите либо --municipality НАЗВАНИЕ, либо --region")
            registry, store = _open(sources, db, opened)
            record = send_report(store, registry, campaign, municipality, period, _who(who), resend=resend,
                                 output_dir=output_dir)
            when = record.at.astimezone(registry.timezone)
            typer.echo(f"{record.municipality or REGION_LABEL}: отчёт отправлен {when:%d.%m.%Y %H:%M} "
                       f"на {record.recipient}")
            typer.echo(f"  ответ сервера: {record.smtp_response}")
            typer.echo(f"  файл: {record.file_name}, sha256 {record.checksum}")


def status_command(report: typer.Typer) -> None:
    @report.command("status")
    def status_cmd(campaign: CampaignOpt = None, sources: Sources = DEFAULT_SOURCES, db: Db = DEFAULT_DB) -> None:
        """Показать, какие отчёты отправлены в срок, с опозданием, не отправлены или не удалось отправить.

        Примеры:

          natmon report status

          natmon report status --campaign itogi-np-2025
        """
        from reports.api import today_in
        from reports.mail import sending_status
        from reports.mail_status import REGION_LABEL

        with _errors() as opened:
            registry, store = _open(sources, db, opened)
            today = today_in(registry)
            found = registry.campaign(campaign, today)
            typer.echo(f"{found.name} ({found.id}); сегодня {today:{DATE_FORMAT}}")
            deadline = None
            for row in sending_status(store, registry, found, today):
                if row.deadline != deadline:
                    deadline = row.deadline
                    typer.echo(f"Срок {deadline:{DATE_FORMAT}}:")
                typer.echo(f"  {row.municipality or REGION_LABEL}: {row.describe(registry.timezone)}")


__all__ = ["register"]
