"""`natmon sources discover`: propose VK, Telegram, Одноклассники and MAX channels linked from institutions' sites."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from crawler import settings as config
from crawler.registry import SourcesError, load, loads


def register(app: typer.Typer) -> None:
    """Add the command to the `sources` group it is given."""

    @app.command("discover")
    def discover_command(
        sources_file: Annotated[Optional[Path], typer.Option("--sources", help="Файл реестра.")] = None,
        municipality: Annotated[Optional[str], typer.Option(help="Только учреждения этого муниципалитета.")]
        = None,
        write: Annotated[bool, typer.Option("--write", help="Сразу внести предложенные каналы в файл.")] = False,
    ) -> None:
        """Найти на сайтах учреждений ссылки на их страницы VK, Telegram, Одноклассников и MAX и предложить их.

        Без --write только показывает изменения (diff); с --write вносит их, сохраняя комментарии файла.

        Примеры:

          natmon sources discover --municipality "г. Зима"

          natmon sources discover --write
        """
        import asyncio

        from crawler.discover import apply_proposals, find_proposals, unified_diff

        settings = config.from_env(config.with_values(config.Settings(), {
            ("", "sources"): str(sources_file) if sources_file else None}))
        path = Path(settings.sources)
        try:
            registry = load(path)
            settings = config.from_env(config.from_yaml(settings, registry.settings))
            proposals, problems = asyncio.run(find_proposals(registry, settings.http, municipality))
        except SourcesError as exc:
            typer.echo(exc.render(), err=True)
            raise typer.Exit(2) from None
        for problem in problems:
            typer.echo(f"Сайт не прочитан: {problem}", err=True)
        before = path.read_text(encoding="utf-8")
        after = apply_proposals(before, proposals)
        if after == before:
            typer.echo("Новых каналов не найдено.")
            return
        try:
            loads(after, path)
        except SourcesError as exc:  # never write a registry that would not load
            typer.echo("Предложения не внесены: файл стал бы неверным.\n" + exc.render(), err=True)
            raise typer.Exit(2) from None
        typer.echo(unified_diff(before, after, str(path)))
        if write:
            path.write_text(after, encoding="utf-8")
            typer.echo(f"Изменения внесены в {path}.")
        else:
            typer.echo("Чтобы внести эти изменения, повторите команду с --write.")
