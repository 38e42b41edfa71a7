"""Every `natmon` command, found from the app itself, so a new command is covered by the CLI tests."""

from __future__ import annotations

from typing import Any

import typer.main

from crawler.cli import app


def leaf_commands() -> list[tuple[tuple[str, ...], Any]]:
    """(words after `natmon`, click command) of every leaf command, through click's group contract."""
    root = typer.main.get_command(app)
    found: list[tuple[tuple[str, ...], Any]] = []

    def walk(group: Any, path: tuple[str, ...]) -> None:
        ctx = root.context_class(group)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if hasattr(command, "list_commands"):
                walk(command, (*path, name))
            else:
                found.append(((*path, name), command))

    walk(root, ())
    return found


def groups() -> list[tuple[str, ...]]:
    return sorted({path[:i] for path, _ in leaf_commands() for i in range(len(path))})
