"""`natmon parse vk FILE.json`: the posts a saved VK API answer holds, as JSON lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from channels.base import Post
from channels.vk_parse import VkParseError, parse_wall, wall_responses


def post_json(post: Post) -> str:
    """One JSON line: id, url, date (ISO), text, views, likes, reposts, comments, media, repost."""
    return json.dumps({
        "id": post.external_id, "url": post.url, "date": post.published_at.isoformat(), "text": post.text,
        "views": post.views, "likes": post.likes, "reposts": post.reposts, "comments": post.comments,
        "media": list(post.media), "repost": post.repost_of,
    }, ensure_ascii=False)


def register(app: typer.Typer) -> None:
    """Add `vk` to the `parse` sub-command group it is given."""

    @app.command("vk")
    def parse_vk(
        file: Annotated[Path, typer.Argument(help="Ответ API ВКонтакте (.json): wall.get целиком "
                                                  "({\"response\": …}) или только его response, либо ответ execute.")],
    ) -> None:
        """Показать записи, которые natmon находит в сохранённом ответе API ВКонтакте.

        Печатает по одной строке JSON на запись: id, url, date (ISO, UTC), text, views, likes,
        reposts, comments, media, repost. Принимает ответ wall.get (конверт {"response": …}
        или его содержимое, как его отдаёт vk_api) и ответ execute с вызовами wall.get. У
        репоста текст — свой плюс текст оригинала, repost — ссылка на оригинал.

        Примеры:

          natmon parse vk wall_get.json

          natmon parse vk saved/execute_answer.json > posts.jsonl
        """
        if not file.is_file():
            typer.echo(f"Файл не найден: {file}", err=True)
            raise typer.Exit(2)
        try:
            data = json.loads(file.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError:
            typer.echo(f"{file}: файл не в кодировке UTF-8; сохраните ответ API как есть.", err=True)
            raise typer.Exit(2) from None
        except json.JSONDecodeError as exc:
            typer.echo(f"{file}, строка {exc.lineno}: это не JSON ({exc.msg}); сохраните ответ API как есть.",
                       err=True)
            raise typer.Exit(2) from None
        try:
            answers, problems = wall_responses(data)
            pages = [parse_wall(answer) for answer in answers]
        except VkParseError as exc:
            typer.echo(f"{file}: {exc.message}.", err=True)
            raise typer.Exit(2) from None
        for problem in problems:
            typer.echo(f"{file}: {problem}", err=True)
        total = 0
        for page in pages:
            for item in page.items:
                typer.echo(post_json(item.post))
            for note in page.notes:
                typer.echo(f"{file}: {note}", err=True)
            total += len(page.items)
        typer.echo(f"{file}: записей — {total} (ответов wall.get — {len(pages)}).", err=True)
