"""Channel posts the natmon bot receives as an administrator are stored like crawled ones."""

from __future__ import annotations

import re
from dataclasses import replace

import httpx
import respx
from sqlalchemy import select

from crawler import schema as t
from crawler.bot_ingest import OFFSET_KEY
from crawler.job import CrawlOptions, crawl
from crawler.registry import loads
from crawler.settings import Settings
from crawler.store import Store
from tests.conftest import FAST_POLICY

TOKEN = "123456:TEST-TOKEN"
API = f"https://api.telegram.org/bot{TOKEN}"

REGISTRY = """
region: {name: Область, timezone: Asia/Irkutsk}
campaigns:
  - {id: c, name: Итоги, start: 2020-01-01, end: 2030-12-31, deadlines: [2030-12-31]}
municipalities:
  - name: Город
    authority: Управление образования
    institutions:
      - name: Школа № 1
        kind: school
        channels: [{telegram: "-1001234567890"}]
"""


def update(update_id: int, chat: dict, message_id: int, text: str) -> dict:
    return {"update_id": update_id, "channel_post": {
        "message_id": message_id, "date": 1737000000 + message_id, "chat": {**chat, "type": "channel"},
        "text": text}}


PRIVATE = {"id": -1001234567890, "title": "Школа № 1 (закрытый)"}
STRANGER = {"id": -1009999999999, "title": "Чужой канал", "username": "stranger_channel"}


async def test_bot_posts_are_stored_matched_and_the_offset_kept(tmp_path):
    registry = loads(REGISTRY, tmp_path / "sources.yaml")
    store = Store.open(str(tmp_path / "natmon.db"))
    settings = Settings(http=FAST_POLICY)
    settings = replace(settings, channels=replace(settings.channels, telegram_bot_token=TOKEN))
    updates = [update(10, PRIVATE, 1, "Открыли центр «Точка роста» по нацпроекту «Образование» #нацпроекты"),
               update(11, STRANGER, 7, "Новость другого канала")]
    calls = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent = request.content.decode()
        offset = re.search(r'name="offset"\r\n\r\n(\d+)|offset=(\d+)', sent)
        calls.append(int(offset.group(1) or offset.group(2)) if offset else None)
        result = updates if offset is None else []
        return httpx.Response(200, json={"ok": True, "result": result})

    with respx.mock(assert_all_called=False) as mock:
        mock.post(f"{API}/getUpdates").mock(side_effect=answer)
        first = await crawl(store, registry, settings, CrawlOptions())
        second = await crawl(store, registry, settings, CrawlOptions())
    assert calls == [None, 12]
    assert store.get_state(OFFSET_KEY) == 12
    with store.engine.connect() as conn:
        posts = conn.execute(select(t.posts)).mappings().all()
        labels = conn.execute(select(t.matches.c.label)).scalars().all()
    assert [p["text"][:20] for p in posts] == ["Открыли центр «Точка"]
    assert labels == ["explicit"] and first.flagged == 1
    assert any("stranger_channel" in note for note in first.notes)
    assert first.channels == 1 and not first.failed and second.flagged == 0
    assert TOKEN not in "\n".join(first.notes)
    store.close()


async def test_the_crawl_leaves_updates_to_a_running_bot_service(tmp_path):
    from crawler.bot_ingest import mark_bot_polling

    registry = loads(REGISTRY, tmp_path / "sources.yaml")
    store = Store.open(str(tmp_path / "natmon.db"))
    settings = Settings(http=FAST_POLICY)
    settings = replace(settings, channels=replace(settings.channels, telegram_bot_token=TOKEN))
    mark_bot_polling(store)
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(f"{API}/getUpdates").mock(return_value=httpx.Response(200, json={"ok": True, "result": []}))
        summary = await crawl(store, registry, settings, CrawlOptions())
    assert not route.called and summary.notes == []
    store.close()
