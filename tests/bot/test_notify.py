"""`natmon notify`: each coordinator's summary once a day, the draft once per deadline, nothing twice."""

from __future__ import annotations

import logging
from datetime import date, datetime, timezone

import typer
from typer.testing import CliRunner

from crawler.commands import bot as bot_commands
from reports.bot.client import TelegramClient
from reports.notify import notify
from tests.bot.conftest import API, TOKEN, seen_at
from tests.reports.conftest import add_post

TODAY = date(2025, 1, 20)  # four days before the deadline of 24.01
NEAR_DEADLINE = date(2025, 1, 22)  # two days before
NOW = datetime(2025, 1, 20, 1, 0, tzinfo=timezone.utc)
PUBLIC = "https://natmon.example.ru"


async def run(region, today=TODAY, now=NOW, **kwargs):
    async with TelegramClient(TOKEN, API) as client:
        return await notify(region.store, region.registry, {"telegram": client}, today=today, now=now,
                            public_url=PUBLIC, **kwargs)


async def test_each_coordinator_gets_a_summary_of_their_municipality(region, bot_api):
    result = await run(region)
    assert (result.summaries, result.drafts, result.problems) == (2, 0, [])
    by_chat = {sent.chat_id: sent.text for sent in bot_api.sent}
    assert set(by_chat) == {"1001", "1002"}  # the operator and the disabled user have no chat
    angarsk = by_chat["1001"]
    assert angarsk.startswith("natmon · г. Ангарск · 20.01.2025")
    assert "Новых публикаций о нацпроектах с 19.01 09:00: 5 (ещё 1 под вопросом)." in angarsk
    assert "Без публикаций за период (2): Детский сад № 5, Детский сад № 7." in angarsk
    assert "Отчёт по 24.01.2025 (период 14.01.2025 – 24.01.2025)" in angarsk
    assert f"Проверить: {PUBLIC}/m/{region.municipalities['г. Ангарск']}?campaign=itogi-np-2025&period=2025-01-24" \
        in angarsk
    assert by_chat["1002"].startswith("natmon · Шелеховский район")
    assert "Все учреждения публиковали материалы за период." in by_chat["1002"]


async def test_new_posts_are_counted_since_the_last_summary_and_nothing_is_sent_twice(region, bot_api):
    await run(region)
    again = await run(region, now=NOW.replace(hour=5))
    assert (again.summaries, again.skipped) == (0, 2)
    assert len(bot_api.sent) == 2
    fresh = [add_post(region.store, "club1001", "new1", "2025-01-20T03:00:00", "Ремонт по нацпроекту «Образование»."),
             add_post(region.store, "club1005", "new2", "2025-01-20T03:00:00", "Конкурс «Точка роста».",
                      label="implicit")]
    seen_at(region, fresh, datetime(2025, 1, 20, 10, 0, tzinfo=timezone.utc))
    bot_api.sent.clear()
    await run(region, today=date(2025, 1, 21), now=datetime(2025, 1, 21, 1, 0, tzinfo=timezone.utc))
    by_chat = {sent.chat_id: sent.text for sent in bot_api.sent}
    assert "Новых публикаций о нацпроектах с 20.01 09:00: 1 (ещё 1 под вопросом)." in by_chat["1001"]
    assert "Новых публикаций о нацпроектах с 20.01 09:00: 0." in by_chat["1002"]


async def test_the_draft_comes_days_before_the_deadline_once(region, bot_api):
    assert (await run(region, days_before=2)).drafts == 0  # 20.01: four days to go
    bot_api.sent.clear()
    result = await run(region, today=NEAR_DEADLINE, now=datetime(2025, 1, 22, 1, tzinfo=timezone.utc), days_before=2)
    assert (result.summaries, result.drafts) == (2, 2)
    documents = [sent for sent in bot_api.sent if sent.method == "sendDocument"]
    assert sorted((d.chat_id, d.file_name) for d in documents) == [
        ("1001", "draft-g-angarsk-2025-01-24.xlsx"), ("1002", "draft-shelekhovskii-raion-2025-01-24.xlsx")]
    assert all(d.file.startswith(b"PK") for d in documents)  # an xlsx (zip) file
    angarsk = next(d for d in documents if d.chat_id == "1001")
    assert "Черновик отчёта по 24.01.2025, г. Ангарск: срок через 2 дн." in angarsk.text
    assert f"{PUBLIC}/m/{region.municipalities['г. Ангарск']}?" in angarsk.text
    bot_api.sent.clear()
    later = await run(region, today=date(2025, 1, 23), now=datetime(2025, 1, 23, 1, tzinfo=timezone.utc))
    assert (later.summaries, later.drafts) == (2, 0)
    assert all(sent.method == "sendMessage" for sent in bot_api.sent)


async def test_a_blocked_chat_does_not_stop_the_others_and_is_retried(region, bot_api):
    bot_api.blocked.add("1002")
    result = await run(region)
    assert result.summaries == 1
    assert result.problems == ["shelekhov (чат 1002): бот не может писать в этот чат (его заблокировали или чат "
                               "удалён)"]
    bot_api.blocked.clear()
    retry = await run(region, now=NOW.replace(hour=5))
    assert (retry.summaries, retry.skipped) == (1, 1)
    assert [sent.chat_id for sent in bot_api.sent] == ["1001", "1002"]


def test_the_command_sends_and_never_logs_the_token(region, bot_api, monkeypatch, caplog):
    monkeypatch.setenv("NATMON_TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("NATMON_TELEGRAM_BOT_API_URL", API)
    monkeypatch.setenv("NATMON_PUBLIC_URL", PUBLIC)
    app = typer.Typer()
    bot_commands.register(app)
    caplog.set_level(logging.DEBUG)
    args = ["notify", "--today", "2025-01-22", "--db", str(region.store.engine.url.database),
            "--sources", str(region.registry.path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Сводок отправлено: 2, черновиков: 2, уже отправлено раньше: 0." in result.output
    assert CliRunner().invoke(app, args).output.startswith("Сводок отправлено: 0, черновиков: 0, уже отправлено "
                                                          "раньше: 4.")
    assert TOKEN not in caplog.text and TOKEN not in result.output
    assert logging.getLogger("httpx").level == logging.WARNING
    assert logging.getLogger("telegram").level == logging.WARNING


def test_the_command_names_the_missing_token(region, monkeypatch):
    monkeypatch.delenv("NATMON_TELEGRAM_BOT_TOKEN", raising=False)
    app = typer.Typer()
    bot_commands.register(app)
    for command in ("notify", "bot"):
        result = CliRunner().invoke(app, [command, "--db", str(region.store.engine.url.database),
                                          "--sources", str(region.registry.path)])
        assert result.exit_code == 2 and "NATMON_TELEGRAM_BOT_TOKEN" in result.output
