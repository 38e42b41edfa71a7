"""`natmon --help` stays light: each command loads only what it runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from crawler import cli

ROOT = Path(__file__).resolve().parents[2]


def loaded_after(*args: str) -> set[str]:
    """The heavy modules a `natmon …` process has imported when it exits."""
    code = ("import sys\nfrom crawler.cli import app\ntry:\n    app(" + repr(list(args)) + ")\n"
            "except SystemExit:\n    pass\nprint('LOADED', ' '.join(m for m in ('pandas', 'openpyxl', 'sqlalchemy', "
            "'httpx', 'telegram', 'trafilatura', 'crawler.job', 'starlette', 'argon2', 'matching', 'rich') "
            "if m in sys.modules), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    line = [line for line in result.stderr.splitlines() if line.startswith("LOADED")][-1]
    return set(line.split()[1:])


@pytest.mark.parametrize("args, allowed", [
    (["--help"], set()),
    (["sources", "--help"], set()),
    (["parse", "--help"], set()),
    (["report", "--help"], set()),
    (["report", "periods", "--help"], set()),
    (["crawl", "--help"], set()),
    (["serve", "--help"], {"starlette", "sqlalchemy", "argon2"}),  # serve.py imports them itself
    (["users", "list", "--help"], {"sqlalchemy", "argon2"}),  # so does users.py
    (["notify", "--help"], {"sqlalchemy"}),  # bot.py opens the store itself; telegram only when it sends
    (["bot", "--help"], {"sqlalchemy"}),
])
def test_help_loads_nothing_heavy(args, allowed):
    assert loaded_after(*args) <= allowed


def test_the_summaries_natmon_help_shows_are_the_commands_own():
    root = typer.main.get_command(cli.app)
    ctx = root.context_class(root)
    for name, (_, summary) in cli.COMMANDS.items():
        command = root.get_command(ctx, name)
        assert (command.help or "").strip().splitlines()[0].strip() == summary, f"update COMMANDS[{name!r}]"


def test_parse_website_default_timezone_is_the_adapters():
    from channels.website import DEFAULT_TIMEZONE
    from crawler.commands import parse_website

    assert parse_website.DEFAULT_TIMEZONE == DEFAULT_TIMEZONE
