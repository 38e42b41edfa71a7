"""What a person sees during and after a crawl: a progress bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
from datetime import datetime

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from crawler.job import ChannelOutcome, CrawlSummary

KIND_NAMES = {"website": "сайт", "vk": "VK", "telegram": "Telegram", "ok": "Одноклассники", "max": "MAX"}


def describe(outcome: ChannelOutcome) -> str:
    target = outcome.target
    return f"{target.municipality} / {target.institution} — {KIND_NAMES.get(target.ref.kind, target.ref.kind)} " \
           f"{target.ref.address}"


class CrawlProgress:
    """A rich progress bar when stderr is a terminal; one log line per channel otherwise."""

    def __init__(self, interactive: bool) -> None:
        self.interactive = interactive
        self._progress: Progress | None = None
        self._task: int | None = None

    def __enter__(self) -> CrawlProgress:
        if self.interactive:
            self._progress = Progress(TextColumn("Обход каналов"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(None, None, None)

    def start(self, total: int) -> None:
        if self._progress is not None:
            self._task = self._progress.add_task("crawl", total=total)
        else:
            _log(f"обход начат: каналов {total}")

    def advance(self, outcome: ChannelOutcome) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task)
            if not outcome.ok:
                self._progress.console.print(f"[red]✗[/red] {describe(outcome)}: {outcome.error}", markup=True,
                                             highlight=False)
            return
        if outcome.ok and outcome.warnings:
            _log(f"предупреждение: {describe(outcome)}: {'; '.join(outcome.warnings)}")
        elif outcome.ok:
            _log(f"готово: {describe(outcome)}: новых {outcome.new}, изменённых {outcome.changed}")
        else:
            _log(f"ошибка: {describe(outcome)}: {outcome.error}")


def _log(message: str) -> None:
    print(f"{datetime.now():%Y-%m-%d %H:%M:%S} {message}", file=sys.stderr, flush=True)


def summary_lines(summary: CrawlSummary) -> list[str]:
    seconds = ((summary.finished or datetime.now(summary.started.tzinfo)) - summary.started).total_seconds()
    kinds = ", ".join(f"{KIND_NAMES.get(kind, kind)}: {count}" for kind, count in sorted(summary.new_by_kind.items()))
    share = f" (доля {summary.share} реестра)" if summary.share else ""
    lines = [
        f"Обход №{summary.run_id}{share} завершён за {seconds:.1f} с.",
        f"Каналов обработано: {summary.channels}; успешно: {summary.ok}; с ошибкой: {len(summary.failed)}.",
        f"Новых публикаций: {summary.new_posts} ({kinds or 'нет'}); изменённых: {summary.changed_posts}.",
        f"Отмечено как упоминающие нацпроекты (новые и изменённые): {summary.flagged}.",
    ]
    if summary.deferred_by_kind:
        later = ", ".join(f"{KIND_NAMES.get(kind, kind)}: {count}"
                          for kind, count in sorted(summary.deferred_by_kind.items()))
        lines.insert(2, f"Каналов отложено на следующие ночи (пишут редко; в ночь перед сроком отчёта обходятся "
                        f"все): {sum(summary.deferred_by_kind.values())} ({later}).")
    flagged = summary.flagged_by_municipality
    lines.extend(f"  • {name}: отмечено {count}" for name, count in sorted(flagged.items()) if count)
    silent = sum(1 for count in flagged.values() if not count)
    if silent and summary.flagged:
        lines.append(f"  • ещё муниципалитетов без отмеченных публикаций: {silent}")
    lines.extend(summary.notes)
    if summary.all_failed:
        lines.append(f"Ни один канал не обойдён: ошибкой завершились все {summary.channels}. Проверьте доступ "
                     "машины в интернет (сеть, прокси, DNS) и токены; код выхода 5.")
    if summary.failed:
        lines.append("Каналы с ошибкой:")
        lines.extend(f"  • {describe(outcome)}: {outcome.error}" for outcome in summary.failed)
    if summary.warned:
        lines.append("Каналы с предупреждением (обход прошёл, но публикации не прочитаны):")
        lines.extend(f"  • {describe(outcome)}: {'; '.join(outcome.warnings)}" for outcome in summary.warned)
    return lines


def print_summary(summary: CrawlSummary) -> None:
    for line in summary_lines(summary):
        print(line)
