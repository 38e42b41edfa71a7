"""`natmon parse website URL_OR_FILE`: what the website adapter finds on one page or feed."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from channels.base import Post

if TYPE_CHECKING:
    from channels.web_listing import ListingItem

TIMEOUT = 20.0
KINDS = ("auto", "listing", "article", "feed")
DEFAULT_TIMEZONE = "Asia/Irkutsk"  # as channels.website's, without importing the page parsers for --help
MIN_LISTING_ITEMS = 2  # fewer items than this on an HTML page: read it as one article


def register(app: typer.Typer) -> None:
    """Add `website` to the `parse` sub-command group."""

    @app.command("website")
    def website(
        source: Annotated[str, typer.Argument(help="Адрес страницы (http…) или путь к сохранённому файлу")],
        kind: Annotated[str, typer.Option(help="Как читать: auto, listing, article, feed")] = "auto",
        base_url: Annotated[str | None, typer.Option(help="Адрес, от которого считать ссылки файла")] = None,
        timezone: Annotated[str, typer.Option(help="Часовой пояс дат без зоны")] = DEFAULT_TIMEZONE,
    ) -> None:
        """Показать, что адаптер сайта находит на странице списка новостей, странице новости или в ленте RSS.

        Каждая найденная новость печатается строкой JSON (url, title, date, text, media, found_by);
        пояснения (следующая страница, ленты, раздел «Новости», причины пропуска) — в stderr.

        Примеры:

          natmon parse website https://sh4-irkutsk-r138.gosweb.gosuslugi.ru/novosti/

          natmon parse website saved_page.html --base-url https://school.example/news/

          natmon parse website feed.xml --kind feed
        """
        if kind not in KINDS:
            _fail(f"Неизвестный вид страницы «{kind}»: выберите один из {', '.join(KINDS)}")
        try:
            tz = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            _fail(f"Неизвестный часовой пояс «{timezone}» (пример: Asia/Irkutsk)")
        body, content_type, url = _load(source, base_url)
        for line in _describe(body, content_type, url, kind, tz, datetime.now(tz)):
            typer.echo(line)


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(2)


def _load(source: str, base_url: str | None) -> tuple[bytes, str | None, str]:
    import httpx

    if source.startswith(("http://", "https://")):
        try:
            response = httpx.get(source, follow_redirects=True, timeout=TIMEOUT,
                                 headers={"User-Agent": "natmon-parse/0.1 (diagnostics)"})
        except httpx.HTTPError as exc:
            _fail(f"Не удалось загрузить {source}: {exc}")
        if response.status_code >= 400:
            _fail(f"Сервер ответил {response.status_code}: {source}")
        return response.content, response.headers.get("content-type"), str(response.url)
    path = Path(source)
    if not path.is_file():
        _fail(f"Файл не найден: {path}")
    return path.read_bytes(), None, base_url or "https://example.invalid/"


def _describe(body: bytes, content_type: str | None, url: str, kind: str, tz: ZoneInfo,
              now: datetime) -> list[str]:
    """JSON lines for the posts, and notes echoed to stderr."""
    from channels.web_discovery import discover_channels, find_feeds, find_news_pages
    from channels.web_encoding import decode_html
    from channels.web_feeds import looks_like_feed, parse_feed
    from channels.web_html import parse_html
    from channels.web_listing import parse_listing
    from channels.website import parse_article

    notes: list[str] = []
    lines: list[str] = []
    if kind == "feed" or (kind == "auto" and looks_like_feed(body)):
        lines = [_json(post) for post in parse_feed(body, url, tz=tz, notes=notes)]
        _notes(notes + [f"Лента: {len(lines)} записей"])
        return lines
    html = decode_html(body, content_type)
    root = parse_html(html)
    info = [f"Ленты RSS на странице: {', '.join(find_feeds(root, url)) or 'нет'}",
            f"Раздел «Новости» из меню: {', '.join(find_news_pages(root, url)) or 'не найден'}"]
    channels = {name: found for name, found in discover_channels(html, url).items() if found}
    if channels:
        info.append(f"Другие каналы школы: {json.dumps(channels, ensure_ascii=False)}")
    if kind in ("auto", "listing"):
        page = parse_listing(html, url, tz, now, {})
        if kind == "listing" or len(page.items) >= MIN_LISTING_ITEMS:
            lines = [_json(item) for item in page.items]
            _notes(info + page.notes + [f"Список новостей: {len(lines)} шт.; следующая страница: "
                                        f"{page.next_url or 'нет'}"])
            return lines
    post = parse_article(html, url, tz, now, notes=notes)
    if post is not None:
        post.found_by = "article"
        lines = [_json(post)]
    _notes(info + notes + ([] if post else ["Новость на странице не найдена"]))
    return lines


def _notes(notes: list[str]) -> None:
    for note in notes:
        typer.echo(note, err=True)


def _json(record: Post | ListingItem) -> str:
    data: dict[str, Any] = {"url": record.url, "title": record.title, "date": None, "text": "", "media": [],
                            "found_by": record.found_by}
    if isinstance(record, Post):
        data.update(date=record.published_at.isoformat(), text=record.text, media=list(record.media))
    else:
        data.update(date=record.published_at.isoformat() if record.published_at else None, text=record.announce)
    return json.dumps(data, ensure_ascii=False)
