"""`natmon parse ok FILE.json`: the posts a saved Одноклассники API answer holds, as JSON lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from channels.ok_parse import OkParseError, parse_topics
from crawler.commands.parse_vk import post_json


def read_api_answer(file: Path) -> Any:
    """The JSON of a saved API answer, or exit 2 with a Russian reason naming the file."""
    if not file.is_file():
        typer.echo(f"Файл не найден: {file}", err=True)
        raise typer.Exit(2)
    try:
        return json.loads(file.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        typer.echo(f"{file}: файл не в кодировке UTF-8; сохраните ответ API как есть.", err=True)
        raise typer.Exit(2) from None
    except json.JSONDecodeError as exc:
        typer.echo(f"{file}, строка {exc.lineno}: это не JSON ({exc.msg}); сохраните ответ API как есть.", err=True)
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    """Add `ok` to the `parse` sub-command group it is given."""

    @app.command("ok")
    def parse_ok(
        file: Annotated[Path, typer.Argument(help="Ответ API Одноклассников (.json) на mediatopic.getTopics "
                                                  "или mediatopic.getByIds.")],
        group: Annotated[str, typer.Option("--group", help="Номер группы для ссылок, если в ответе у тем нет "
                                                           "owner_ref.")] = "",
    ) -> None:
        """Показать темы, которые natmon находит в сохранённом ответе API Одноклассников.

        Печатает по одной строке JSON на тему: id, url (https://ok.ru/group/<группа>/topic/<id>),
        date (ISO, UTC), text (текстовые блоки темы), views, likes, reposts, comments, media, repost.
        Темы без id или даты и блоки неизвестных типов пропускаются с пояснением.

        Примеры:

          natmon parse ok topics.json

          natmon parse ok saved/getTopics.json --group 70000001234567 > posts.jsonl
        """
        data = read_api_answer(file)
        try:
            page = parse_topics(data, group or None)
        except OkParseError as exc:
            typer.echo(f"{file}: {exc.message}.", err=True)
            raise typer.Exit(2) from None
        for post in page.topics:
            typer.echo(post_json(post))
        for note in page.notes:
            typer.echo(f"{file}: {note}", err=True)
        typer.echo(f"{file}: тем — {len(page.topics)}.", err=True)
