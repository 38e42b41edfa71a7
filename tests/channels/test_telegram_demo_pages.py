"""The demo's t.me/s renderer: the real parser reads back what it wrote."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from channels.telegram import parse_channel_page
from crawler.demo.telegram_pages import DemoMessage, compact_count, render_channel_page

IRKUTSK = ZoneInfo("Asia/Irkutsk")
NAME = "detsad12_bratsk"
TITLE = "Детский сад №12 «Ромашка» г. Братска"


def messages(count: int) -> list[DemoMessage]:
    start = datetime(2026, 10, 1, 9, 30, tzinfo=IRKUTSK)
    return [DemoMessage(id=i, date=start + timedelta(hours=i), views=i * 7, photo=i % 3 == 0,
                        text=f"Пост {i}. Воспитанники подготовили концерт ко Дню учителя.\n#Семья #нацпроекты")
            for i in range(1, count + 1)]


def test_round_trip_of_one_page() -> None:
    source = messages(5)
    page = parse_channel_page(render_channel_page(NAME, TITLE, source, None))
    assert page.has_channel_info
    assert page.before is None  # everything fits: no load-more
    assert [m.id for m in page.messages] == [1, 2, 3, 4, 5]
    for original, parsed in zip(source, page.messages):
        assert parsed.post.text == original.text
        assert parsed.post.published_at == original.date
        assert parsed.post.views == original.views
        assert parsed.post.media == (("photo",) if original.photo else ())
        assert parsed.post.url == f"https://t.me/{NAME}/{original.id}"
        assert parsed.edited is False


def test_pagination_round_trip_walks_every_message_once() -> None:
    source = messages(47)
    seen: list[int] = []
    before: int | None = None
    for _ in range(5):
        page = parse_channel_page(render_channel_page(NAME, TITLE, source, before, page_size=20))
        seen = [m.id for m in page.messages] + seen
        if page.before is None:
            break
        assert page.before == page.min_id  # data-before equals the smallest id on the page
        before = page.before
    assert seen == list(range(1, 48))


def test_before_past_the_oldest_gives_no_posts_found() -> None:
    page = parse_channel_page(render_channel_page(NAME, TITLE, messages(3), before=1))
    assert page.messages == [] and page.no_posts_found and page.has_channel_info


def test_untrusted_text_is_escaped() -> None:
    evil = DemoMessage(id=1, date=datetime(2026, 10, 2, tzinfo=timezone.utc), views=1,
                       text='<script>alert("x")</script> & <b>жирный</b>')
    html = render_channel_page(NAME, '<img src=x onerror=alert(1)>', [evil], None)
    assert "<script>" not in html and "<img src=x" not in html
    assert parse_channel_page(html).messages[0].post.text == evil.text


@pytest.mark.parametrize(("views", "shown", "read_back"), [
    (48, "48", 48), (1234, "1.2K", 1200), (436_600, "436.6K", 436_600), (2_500_000, "2.5M", 2_500_000),
])
def test_views_are_rendered_compact_like_telegram(views: int, shown: str, read_back: int) -> None:
    assert compact_count(views) == shown
    message = DemoMessage(id=1, date=datetime(2026, 10, 2, tzinfo=timezone.utc), text="Текст", views=views)
    assert parse_channel_page(render_channel_page(NAME, TITLE, [message], None)).messages[0].post.views == read_back
