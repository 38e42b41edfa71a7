"""Command groups whose commands live in other modules and are imported only when used.

`natmon --help` must not import pandas, SQLAlchemy, the HTTP stack or python-telegram-bot: the
root group lists its module commands from one-line summaries given where they are registered
(a test checks them against the commands), and imports a command's module only when that
command runs or its own help is shown. A sub-group (`sources`, `parse`) imports its modules when
it is used at all.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
import typer.main

from crawler.cli_frame import NatmonGroup, click, use_russian_frame

COMMANDS_PACKAGE = "crawler.commands"


def _commands_of(modules: tuple[str, ...]) -> dict[str, Any]:
    """The click commands the `register(app)` of these command modules add."""
    holder = typer.Typer(rich_markup_mode=None)  # click's plain layout, as the root's
    for name in modules:
        importlib.import_module(f"{COMMANDS_PACKAGE}.{name}").register(holder)
    use_russian_frame(holder)
    return dict(typer.main.get_group(holder).commands)


class LazyGroup(NatmonGroup):
    """Commands from `modules` (all imported on first use) and `lazy` ones: name -> (module, summary)."""

    modules: tuple[str, ...] = ()
    lazy: dict[str, tuple[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loaded: set[str] = set()

    def _load(self, modules: tuple[str, ...]) -> None:
        wanted = tuple(m for m in modules if m not in self._loaded)
        if wanted:
            for name, command in _commands_of(wanted).items():
                self.commands.setdefault(name, command)
            self._loaded.update(wanted)

    def list_commands(self, ctx: Any) -> list[str]:
        self._load(self.modules)
        return [*self.commands, *(name for name in self.lazy if name not in self.commands)]

    def get_command(self, ctx: Any, name: str) -> Any:
        self._load(self.modules)
        if name not in self.commands and name in self.lazy:
            self._load((self.lazy[name][0],))
        return self.commands.get(name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list without importing lazy modules: their summaries stand in for them."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names), default=0)  # as click shortens its own
        rows = []
        for name in names:
            command = self.commands.get(name)
            if command is not None and command.hidden:
                continue
            summary = (command.get_short_help_str(limit) if command is not None
                       else click.utils.make_default_short_help(self.lazy[name][1], limit))
            rows.append((name, summary))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def lazy_group(modules: tuple[str, ...] = (), lazy: dict[str, tuple[str, str]] | None = None) -> type[LazyGroup]:
    """A group class for typer.Typer(cls=…) with these command modules."""
    return type("LazyGroup", (LazyGroup,), {"modules": tuple(modules), "lazy": dict(lazy or {})})


__all__ = ["LazyGroup", "lazy_group"]
