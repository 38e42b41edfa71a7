"""`natmon parse telegram FILE.html`: the posts a saved t.me/s page holds, as JSON lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from channels.telegram import TelegramMessage, parse_channel_page

NOT_TELEGRAM = ("в файле нет ни одного сообщения Telegram (div.tgme_widget_message с data-post); "
                "сохраните страницу https://t.me/s/<канал> целиком.")
CONTACT_PAGES = {
    "channel": "это страница контакта t.me/<канал>, на ней нет постов. Сохраните страницу "
               "t.me/s/<канал>; если она ведёт сюда же, у канала отключён веб-просмотр.",
    "group": "это страница группы Telegram: у групп нет публичной ленты, разбирать нечего.",
    "missing": "это страница несуществующего канала Telegram: проверьте адрес.",
}


def message_json(message: TelegramMessage) -> str:
    """One JSON line: id, url, date (ISO), text, views, media, repost, edited."""
    post = message.post
    return json.dumps({
        "id": message.id, "url": post.url, "date": post.published_at.isoformat(), "text": post.text,
        "views": post.views, "media": list(post.media), "repost": post.repost_of, "edited": message.edited,
    }, ensure_ascii=False)


def register(app: typer.Typer) -> None:
    """Add `telegram` to the `parse` sub-command group it is given."""

    @app.command("telegram")
    def parse_telegram(
        file: Annotated[Path, typer.Argument(help="Сохранённая страница t.me/s/<канал> или блок одного "
                                                  "сообщения (.html).")],
    ) -> None:
        """Показать посты, которые natmon находит в сохранённой странице Telegram-канала.

        Печатает по одной строке JSON на пост: id, url, date (ISO), text, views, media, repost,
        edited. Служебные сообщения (создание канала, смена фото, закрепление) пропускаются,
        их число выводится в конце. Удобно, чтобы проверить разбор страницы, на которой
        обход канала дал неожиданный результат.

        Примеры:

          natmon parse telegram school7.html

          natmon parse telegram saved/t.me_s_detsad12.html > posts.jsonl
        """
        if not file.is_file():
            typer.echo(f"Файл не найден: {file}", err=True)
            raise typer.Exit(2)
        page = parse_channel_page(file.read_bytes())
        problem = CONTACT_PAGES.get(page.contact_kind or "")
        if problem is None and page.max_id is None and not (page.has_channel_info or page.no_posts_found):
            problem = NOT_TELEGRAM
        if problem:
            typer.echo(f"{file}: {problem}", err=True)
            raise typer.Exit(2)
        for message in page.messages:
            typer.echo(message_json(message))
        for note in page.notes:
            typer.echo(f"{file}: {note}", err=True)
        typer.echo(f"{file}: постов — {len(page.messages)}, служебных сообщений пропущено — "
                   f"{page.service_skipped}.", err=True)
