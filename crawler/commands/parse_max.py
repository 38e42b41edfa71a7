"""`natmon parse max FILE.json`: the posts a saved MAX Bot API answer holds, as JSON lines."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from channels.max_parse import MAX_URL, MaxParseError, parse_messages
from crawler.commands.parse_ok import read_api_answer
from crawler.commands.parse_vk import post_json


def register(app: typer.Typer) -> None:
    """Add `max` to the `parse` sub-command group it is given."""

    @app.command("max")
    def parse_max(
        file: Annotated[Path, typer.Argument(help="Ответ MAX Bot API (.json) на GET /messages.")],
    ) -> None:
        """Показать публикации, которые natmon находит в сохранённом ответе MAX Bot API.

        Печатает по одной строке JSON на сообщение: id (body.mid), url, date (ISO, UTC, из
        timestamp), text, views (stat.views), media, repost (для пересланного — откуда:
        max:<chat_id>/<mid>); у пересланного текст — свой плюс текст оригинала.

        Примеры:

          natmon parse max messages.json

          natmon parse max saved/channel_history.json > posts.jsonl
        """
        data = read_api_answer(file)
        try:
            page = parse_messages(data, MAX_URL)
        except MaxParseError as exc:
            typer.echo(f"{file}: {exc.message}.", err=True)
            raise typer.Exit(2) from None
        for message in page.messages:
            typer.echo(post_json(message.post))
        for note in page.notes:
            typer.echo(f"{file}: {note}", err=True)
        typer.echo(f"{file}: сообщений — {len(page.messages)}.", err=True)
