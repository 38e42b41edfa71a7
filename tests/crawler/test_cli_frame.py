"""The CLI's frame is Russian: help of every command and group, and click's own errors."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from crawler.cli import app
from tests.crawler.cli_walk import groups, leaf_commands

ENGLISH_FRAME = ("Usage", "Options", "Commands", "Arguments", "Show this message", "default:", "required]",
                 "env var", "[OPTIONS]", "COMMAND", "[ARGS]", "<str>", "<int>", "<path>")
ENGLISH_ERRORS = ("Error", "No such", "Missing", "Invalid", "Try ", "Input should", "Value error", "Got unexpected",
                  "requires", "is not", "does not")


def english_in(text: str, words: tuple[str, ...]) -> list[str]:
    return [word for word in words if word in text]


@pytest.mark.parametrize("path", [path for path, _ in leaf_commands()] + groups(), ids=" ".join)
def test_every_help_is_russian_frame_included(path):
    result = CliRunner().invoke(app, [*path, "--help"], prog_name="natmon")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Использование: natmon")
    assert "Показать эту справку и выйти." in result.output
    assert english_in(result.output, ENGLISH_FRAME) == []


def test_examples_stay_one_a_line_even_when_long():
    result = CliRunner().invoke(app, ["parse", "website", "--help"])
    assert "    natmon parse website saved_page.html --base-url https://school.example/news/\n" in result.output
    result = CliRunner().invoke(app, ["report", "draft", "--help"])
    lines = [line.strip() for line in result.output.splitlines() if line.strip().startswith("natmon report draft")]
    assert len(lines) == 2


@pytest.mark.parametrize("args, words", [
    (["crawl", "--bogus"], "Нет такого параметра: --bogus"),
    (["crawl", "--muncipality", "x"], "может быть, --municipality?"),
    (["sources", "import"], "Не указан аргумент 'file'."),
    (["notify", "--days-before", "abc"], "Неверное значение '--days-before': нужно целое число"),
    (["notify", "--days-before", "-1"], "нужно значение не меньше 0"),
    (["report", "periods", "--boundary", "x"], "'x' — нет среди допустимых значений: 'include', 'next'."),
    (["nosuch"], "Нет такой команды 'nosuch'."),
    (["crawl", "--db"], "Параметру '--db' нужно значение."),
    (["sources", "check", "extra"], "Лишние аргументы: extra"),
    (["users", "add", "ivanova"], "Не указан параметр '--role'."),
])
def test_click_errors_are_russian(args, words):
    result = CliRunner().invoke(app, args, prog_name="natmon")
    assert result.exit_code == 2
    assert words in result.stderr
    assert "Ошибка: " in result.stderr
    assert english_in(re.sub(r"'[^']*'|--[\w-]+", "", result.stderr), ENGLISH_ERRORS + ENGLISH_FRAME) == []


def test_output_cut_by_a_closed_pipe_is_said_not_silent():
    # `natmon report status | head -1` used to end with exit 1 and no word; the reader is gone here at once
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen([sys.executable, "-m", "crawler.cli", "report", "periods", "--sources",
                              str(root / "tests" / "data" / "registry" / "good.yaml")],
                             cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()
    stderr = child.stderr.read()
    child.stderr.close()
    assert child.wait(timeout=60) == 1
    assert "Вывод прерван" in stderr and "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
