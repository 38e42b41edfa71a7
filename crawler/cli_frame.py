"""The CLI's frame in Russian: help layout, click's own errors, file-system errors.

click (vendored by typer) writes «Usage:», «Options:», «Show this message and exit.» and its
errors in English, without gettext in the vendored copy. natmon's commands use the classes
below: their context formats help with a Russian formatter, and the root group turns click's
errors, file-system errors and a closed output pipe into Russian messages and exit codes —
the one place where that happens for every command.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import typer
import typer.core

try:  # typer ≥ 0.20 vendors click
    from typer import _click as click
except ImportError:  # pragma: no cover - older typer with click itself
    import click  # type: ignore[no-redef]

EXIT_BAD_INPUT = 2
EXIT_PIPE = 1

SECTIONS = {"Options": "Параметры", "Arguments": "Аргументы", "Commands": "Команды"}
USAGE = "Использование: "
HELP_TEXT = "Показать эту справку и выйти."
# (English pattern, Russian replacement) for the help's extras and click's error texts; first match wins per piece
EXTRAS = ((r"env var: ", "переменная окружения: "), (r"default: ", "по умолчанию: "), (r"\brequired\b", "обязательный"),
          (r"\(dynamic\)", "(вычисляется)"))
METAVARS = {"[OPTIONS]": "[ПАРАМЕТРЫ]", "COMMAND [ARGS]...": "КОМАНДА [АРГУМЕНТЫ]...", "[ARGS]...": "[АРГУМЕНТЫ]...",
            "<str>": "<текст>", "<int>": "<целое>", "<float>": "<число>", "<path>": "<путь>", "<bool>": "<да|нет>",
            "<file>": "<файл>", "<text>": "<текст>", "TEXT": "ТЕКСТ", "INTEGER": "ЦЕЛОЕ", "PATH": "ПУТЬ"}
MESSAGES: tuple[tuple[str, str], ...] = (
    (r"No such option: (\S+)", r"Нет такого параметра: \1"),
    (r"\(Possible options: (.*)\)", r"(может быть, \1?)"),
    (r"Did you mean (.*)\?", r"Может быть, \1?"),
    (r"Missing argument (\S+)\.", r"Не указан аргумент \1."),
    (r"Missing option (\S+)\.", r"Не указан параметр \1."),
    (r"Missing parameter:? ?(\S*)", r"Не указан параметр \1"),
    (r"Invalid value for (.+?): ", r"Неверное значение \1: "),
    (r"Invalid value: ", "Неверное значение: "),
    # typer's coercion through pydantic
    (r"Value error, ", ""),
    (r"Input should be a valid integer(?:, [a-z ]+)?", "нужно целое число"),
    (r"Input should be a valid number(?:, [a-z ]+)?", "нужно число"),
    (r"Input should be a valid boolean(?:, [a-z ]+)?", "нужно true или false"),
    (r"Input should be a valid date(?: or datetime)?(?:, [a-z ]+)?", "нужна дата в виде ГГГГ-ММ-ДД"),
    (r"Input should be greater than or equal to (\S+)", r"нужно значение не меньше \1"),
    (r"Input should be less than or equal to (\S+)", r"нужно значение не больше \1"),
    (r"Input should be greater than (\S+)", r"нужно значение больше \1"),
    (r"Input should be less than (\S+)", r"нужно значение меньше \1"),
    (r"Input should be (.+)", r"допустимо: \1"),
    (r"Value (.+) is not a valid (?:int|integer)\.", r"\1 — не целое число."),
    (r"Value (.+) is not a valid float\.", r"\1 — не число."),
    (r"Value (.+) is not a valid (?:bool|boolean)\.", r"\1 — не «да» и не «нет»."),
    (r"Value (.+) is not a valid (\w+)\.", r"\1 — недопустимое значение (нужен тип \2)."),
    (r"(.+) is not a valid (?:int|integer)\.", r"\1 — не целое число."),
    (r"(.+) is not one of (.+)\.", r"\1 — нет среди допустимых значений: \2."),
    (r"(.+) does not match the formats? (.+)\.", r"\1 не подходит под формат \2."),
    (r"(.+) is not in the range (.+)\.", r"\1 — вне допустимого диапазона \2."),
    (r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)", r"Лишние аргументы: \1"),
    (r"Option (.+) requires (?:an argument|\d+ arguments)\.", r"Параметру \1 нужно значение."),
    (r"Option (.+) does not take a value\.", r"Параметр \1 не принимает значения."),
    (r"No such command (.+)\.", r"Нет такой команды \1."),
    (r"Missing command\.", "Не указана команда."),
    (r"(?:[Ff]ile|[Dd]irectory|[Pp]ath) (.+) does not exist\.", r"Путь \1 не существует."),
    (r"(?:[Ff]ile|[Dd]irectory|[Pp]ath) (.+) is a directory\.", r"\1 — папка, а нужен файл."),
    (r"(?:[Ff]ile|[Dd]irectory|[Pp]ath) (.+) is a file\.", r"\1 — файл, а нужна папка."),
    (r"(?:[Ff]ile|[Dd]irectory|[Pp]ath) (.+) is not readable\.", r"\1: нет прав на чтение."),
    (r"(?:[Ff]ile|[Dd]irectory|[Pp]ath) (.+) is not writable\.", r"\1: нет прав на запись."),
    (r"Could not open file (.+?): (.+)", r"Не удалось открыть файл \1: \2"),
)
# a library's own words inside natmon's messages (openpyxl's zip error, Python's OSError text)
LIBRARY_TEXTS: tuple[tuple[str, str], ...] = (
    (r"File is not a zip file", "внутри не архив xlsx (файл повреждён или это не .xlsx)"),
    (r"There is no item named '([^']*)' in the archive", r"в архиве нет части \1 (файл повреждён или это не .xlsx)"),
    (r"openpyxl does not support (?:the old \.xls file format|.*file format).*", "такой формат не читается, "
     "сохраните файл как .xlsx"),
    (r"\[Errno 2\] No such file or directory: ('[^']*')", r"нет такого файла или папки: \1"),
    (r"\[Errno 21\] Is a directory: ('[^']*')", r"это папка, а нужен файл: \1"),
    (r"\[Errno 20\] Not a directory: ('[^']*')", r"часть пути — не папка: \1"),
    (r"\[Errno 13\] Permission denied: ('[^']*')", r"нет прав доступа: \1"),
    (r"\[Errno 30\] Read-only file system: ('[^']*')", r"файловая система только для чтения: \1"),
    (r"\[Errno 6\] No such device or address: ('[^']*')", r"это не обычный файл: \1"),
)
ERRNO_TEXT = {
    errno.ENOENT: "нет такого файла или папки",
    errno.EISDIR: "это папка, а нужен файл",
    errno.ENOTDIR: "часть пути — не папка",
    errno.EACCES: "нет прав доступа",
    errno.EPERM: "операция не разрешена",
    errno.EROFS: "файловая система доступна только для чтения",
    errno.ENOSPC: "на диске не осталось места",
    errno.ENXIO: "это не обычный файл (сокет или устройство), его нельзя открыть",
    errno.ENODEV: "это устройство, а не файл",
    errno.EEXIST: "такой файл уже есть",
    errno.ENAMETOOLONG: "слишком длинное имя",
    errno.ELOOP: "слишком много символических ссылок",
    errno.EIO: "ошибка ввода-вывода",
}


def translate(text: str) -> str:
    """click's English error text in Russian, parameter names and values kept."""
    for pattern, replacement in MESSAGES:
        text = re.sub(pattern, replacement, text)
    return text


def library_text(text: str) -> str:
    """A message with a library's English words (zip, OSError) in Russian; natmon's own words kept."""
    for pattern, replacement in LIBRARY_TEXTS:
        text = re.sub(pattern, replacement, text)
    return text


def _extras(text: str) -> str:
    for pattern, replacement in EXTRAS:
        text = re.sub(pattern, replacement, text)
    return text


def _metavars(text: str) -> str:
    for english, russian in METAVARS.items():
        text = text.replace(english, russian)
    return text


def file_error(exc: OSError) -> str:
    """«Не удалось открыть ПУТЬ: причина» for an OSError with its path, in Russian."""
    reason = ERRNO_TEXT.get(exc.errno or 0) or (exc.strerror or "ошибка ввода-вывода")
    if exc.filename is None:
        return f"Ошибка ввода-вывода: {reason}. Проверьте пути в параметрах команды и права доступа."
    path = os.fsdecode(exc.filename)
    second = f" → {os.fsdecode(exc.filename2)}" if exc.filename2 else ""
    return f"Не удалось открыть {path}{second}: {reason}. Проверьте путь и права доступа."


class RussianHelpFormatter(click.HelpFormatter):  # type: ignore[misc, name-defined]
    """click's help layout with Russian headings; example lines («natmon …») are never re-wrapped."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, _metavars(args), USAGE if prefix is None else prefix)

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        with super().section(SECTIONS.get(name, name)):
            yield

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(_metavars(term), HELP_TEXT if text == "Show this message and exit." else _extras(text))
                for term, text in rows]
        super().write_dl(rows, col_max, col_spacing)

    def write_text(self, text: str) -> None:
        examples = False
        for index, paragraph in enumerate(text.split("\n\n")):
            if index:
                self.write_paragraph()
            if examples:  # after «Примеры:» each paragraph is one command line, never broken
                self.write(f"{' ' * (self.current_indent + 2)}{paragraph.strip()}\n")
            else:
                super().write_text(paragraph)
            examples = examples or paragraph.strip().startswith("Пример")


class NatmonContext(click.Context):  # type: ignore[misc, name-defined]
    formatter_class = RussianHelpFormatter


class NatmonCommand(typer.core.TyperCommand):
    context_class = NatmonContext
    options_metavar = "[ПАРАМЕТРЫ]"


class NatmonGroup(typer.core.TyperGroup):
    context_class = NatmonContext
    options_metavar = "[ПАРАМЕТРЫ]"
    subcommand_metavar = "КОМАНДА [АРГУМЕНТЫ]..."

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        with russian_errors():
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with russian_errors():
            return super().invoke(ctx)


def show_usage_error(exc: Any) -> None:
    ctx = exc.ctx
    if ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
        typer.echo(f"Справка: {ctx.command_path} --help\n", err=True)
    typer.echo(f"Ошибка: {translate(exc.format_message())}", err=True)


@contextmanager
def russian_errors() -> Iterator[None]:
    """click's errors, file-system errors and a closed pipe as Russian messages and exit codes."""
    try:
        yield
    except click.exceptions.ClickException as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # the help itself, already in Russian
            exc.show()
        elif isinstance(exc, click.exceptions.UsageError):
            show_usage_error(exc)
        else:
            typer.echo(f"Ошибка: {translate(exc.format_message())}", err=True)
        raise typer.Exit(exc.exit_code) from None
    except typer.Abort:
        typer.echo("Прервано.", err=True)
        raise typer.Exit(1) from None
    except BrokenPipeError:
        # the reading end (`| head`) is gone: say so on stderr and stop writing to stdout
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - replaces the closed stdout until exit
        typer.echo("Вывод прерван: программа, читавшая его (например, head), закрыла канал.", err=True)
        raise typer.Exit(EXIT_PIPE) from None
    except OSError as exc:
        typer.echo(file_error(exc), err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def use_russian_frame(app: typer.Typer) -> None:
    """Make every command and group of `app` (and its sub-groups) use the Russian frame."""
    if not isinstance(app.info.cls, type) or app.info.cls is typer.core.TyperGroup:
        app.info.cls = NatmonGroup
    for command in app.registered_commands:
        if command.cls in (None, typer.core.TyperCommand):
            command.cls = NatmonCommand
    for group in app.registered_groups:
        if group.typer_instance is not None:
            use_russian_frame(group.typer_instance)


__all__ = ["NatmonGroup", "NatmonCommand", "use_russian_frame", "russian_errors", "translate", "file_error",
           "library_text"]
