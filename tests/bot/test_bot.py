"""`natmon bot`: /status and /report for a coordinator's own municipality, a refusal for strangers,
channel posts stored, and the update offset kept."""

from __future__ import annotations

import asyncio
from datetime import date

import httpx
import pytest
from sqlalchemy import select

from crawler import schema as t
from crawler.bot_ingest import OFFSET_KEY
from reports.bot.client import BotError, TelegramClient
from reports.bot.polling import command_of, poll_once, run
from tests.bot.conftest import API, DAY, TOKEN

TODAY = date(2025, 1, 22)
PUBLIC = "https://natmon.example.ru"


def message(update_id: int, chat_id: int, text: str) -> dict:
    return {"update_id": update_id, "message": {"message_id": update_id, "date": DAY, "text": text,
                                                "chat": {"id": chat_id, "type": "private"},
                                                "from": {"id": chat_id, "is_bot": False, "first_name": "Анна"}}}


def channel_post(update_id: int, message_id: int, text: str) -> dict:
    return {"update_id": update_id, "channel_post": {
        "message_id": message_id, "date": DAY, "text": text,
        "chat": {"id": -1001234567890, "type": "channel", "username": "school2_angarsk", "title": "Школа № 2"}}}


async def poll(region, **kwargs):
    async with TelegramClient(TOKEN, API) as client:
        return await poll_once(region.store, region.registry, client, timeout=0, today=TODAY, public_url=PUBLIC,
                               **kwargs)


async def test_status_and_report_answer_the_coordinator_about_their_municipality_only(region, bot_api):
    bot_api.updates = [message(10, 1001, "/status"), message(11, 1001, "/report@natmon_bot"),
                       message(12, 1002, "/status")]
    result = await poll(region)
    assert result.answered == 3
    status_1001, report_1001, status_1002 = bot_api.sent
    assert (status_1001.method, status_1001.chat_id) == ("sendMessage", "1001")
    assert status_1001.text.startswith("г. Ангарск, 22.01.2025\nОтчёт по 24.01.2025")
    assert "Шелехов" not in status_1001.text
    assert f"{PUBLIC}/m/{region.municipalities['г. Ангарск']}?" in status_1001.text
    assert (report_1001.method, report_1001.chat_id, report_1001.file_name) == (
        "sendDocument", "1001", "draft-g-angarsk-2025-01-24.xlsx")
    assert report_1001.file.startswith(b"PK")
    assert status_1002.text.startswith("Шелеховский район, 22.01.2025")


async def test_an_unknown_or_disabled_chat_gets_a_polite_refusal(region, bot_api):
    bot_api.updates = [message(20, 777, "/status"), message(21, 777, "/report")]
    await poll(region)
    assert [(sent.chat_id, sent.method) for sent in bot_api.sent] == [("777", "sendMessage")] * 2
    assert all(sent.text.startswith("Здравствуйте! Этот чат не связан ни с одним координатором natmon")
               and "(номер 777)" in sent.text for sent in bot_api.sent)


async def test_other_text_gets_the_help_and_plain_chatter_no_answer(region, bot_api):
    bot_api.updates = [message(30, 1001, "/start"), message(31, 1001, "спасибо!")]
    result = await poll(region)
    assert result.answered == 1
    assert bot_api.sent[0].text.startswith("Команды natmon:\n/status")


async def test_channel_posts_are_stored_and_the_offset_moves_past_them(region, bot_api):
    bot_api.updates = [channel_post(40, 501, "Наши ученики на форуме нацпроекта «Образование»"),
                       message(41, 1001, "/status")]
    result = await poll(region)
    assert result.stored_posts == 1
    with region.store.engine.connect() as conn:
        row = conn.execute(select(t.posts).where(t.posts.c.external_id == "501")).one()
    assert (row.url, row.found_by) == ("https://t.me/school2_angarsk/501", "bot")
    assert region.store.get_state(OFFSET_KEY) == 42
    await poll(region)
    assert bot_api.offsets == [None, "42"]  # the next call confirms what was handled


async def test_a_blocked_chat_is_noted_and_the_rest_goes_on(region, bot_api):
    bot_api.blocked.add("1001")
    bot_api.updates = [message(50, 1001, "/status"), message(51, 1002, "/status")]
    result = await poll(region)
    assert [sent.chat_id for sent in bot_api.sent] == ["1002"]
    assert result.notes == ["ответ в чат 1001: бот не может писать в этот чат (его заблокировали или чат удалён)"]
    assert region.store.get_state(OFFSET_KEY) == 52


async def test_a_rejected_token_stops_the_loop_and_trouble_is_retried(region, bot_api):
    bot_api.router.post(bot_api.url("getUpdates")).mock(side_effect=[
        httpx.Response(409, json={"ok": False, "error_code": 409, "description": "Conflict: terminated by other "
                                                                                 "getUpdates request"}),
        httpx.Response(401, json={"ok": False, "error_code": 401, "description": "Unauthorized"}),
    ])
    lines: list[str] = []
    async with TelegramClient(TOKEN, API) as client:
        with pytest.raises(BotError) as caught:
            await asyncio.wait_for(run(region.store, region.registry, client, report=lines.append, backoff=0.01),
                                   timeout=10)
    assert caught.value.fatal and "NATMON_TELEGRAM_BOT_TOKEN" in caught.value.message
    assert TOKEN not in caught.value.message
    assert lines and lines[0].startswith("Telegram-бот: обновления бота уже читает другой процесс")


def test_command_of_strips_the_bot_name_and_arguments():
    assert command_of("/Report@natmon_bot сейчас") == "/report"
    assert command_of("  ") == ""
