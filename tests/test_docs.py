"""The README documents every `natmon` command with its help text, and its set-up commands are real."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer.main

from crawler.cli import app

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands(group: Any, prefix: str = "natmon") -> list[tuple[str, Any]]:
    """(full command, click command) of every leaf command under a group (typer vendors click).

    Through click's group contract (list_commands, get_command): natmon's groups import their
    command modules only when asked."""
    found = []
    ctx = group.context_class(group)
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        path = f"{prefix} {name}"
        if hasattr(command, "commands"):
            found.extend(commands(command, path))
        else:
            found.append((path, command))
    return found


def first_line(command: Any) -> str:
    return (command.help or "").strip().splitlines()[0].strip()


def test_every_command_is_in_the_readme_with_its_help():
    root = typer.main.get_command(app)
    listed = commands(root)
    assert len(listed) >= 10
    for path, command in listed:
        assert f"`{path}`" in README, f"{path} is not documented in README.md"
        assert first_line(command), f"{path} has no help text"
        assert first_line(command) in README, f"the help of {path} differs from README.md"


def test_every_command_help_is_russian_and_has_examples():
    for path, command in commands(typer.main.get_command(app)):
        help_text = command.help or ""
        assert re.search("[а-яё]", help_text, re.IGNORECASE), f"{path}: help is not in Russian"
        assert "Пример" in help_text, f"{path}: help has no examples"


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    block = README.split("```sh", 1)[1].split("```", 1)[0]
    commands_in_block = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands_in_block == ["make demo", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()
