"""`natmon notify` through each user's messenger: Telegram for one coordinator, MAX for another, in one run."""

from __future__ import annotations

import logging
from datetime import date, datetime, timezone

import typer
from typer.testing import CliRunner

from crawler.commands import bot as bot_commands
from reports.bot.client import TelegramClient
from reports.bot.max_client import MaxClient
from reports.notify import notify
from reports.users import set_messenger
from tests.bot.conftest import API, MAX_API, MAX_TOKEN, TOKEN

TODAY = date(2025, 1, 20)
NOW = datetime(2025, 1, 20, 1, 0, tzinfo=timezone.utc)
NEAR_DEADLINE = date(2025, 1, 22)
PUBLIC = "https://natmon.example.ru"
ANGARSK_MAX = "40539817"


async def run(region, today=TODAY, now=NOW, max_token=MAX_TOKEN, **kwargs):
    async with TelegramClient(TOKEN, API) as telegram, \
            MaxClient(max_token, MAX_API, not_ready_waits=(0.0,), rate_limit_wait=0.0) as max_bot:
        return await notify(region.store, region.registry, {"telegram": telegram, "max": max_bot}, today=today,
                            now=now, public_url=PUBLIC, **kwargs)


async def test_one_coordinator_by_telegram_and_one_by_max_in_the_same_run(region, bot_api, max_api):
    set_messenger(region.store, "angarsk", "max", max_user_id=ANGARSK_MAX)
    result = await run(region, today=NEAR_DEADLINE, now=datetime(2025, 1, 22, 1, tzinfo=timezone.utc))
    assert (result.summaries, result.drafts, result.problems, result.warnings) == (2, 2, [], [])
    # Шелехов stays on Telegram: the summary and the draft there, nothing of Ангарск.
    assert sorted((s.method, s.chat_id) for s in bot_api.sent) == [("sendDocument", "1002"), ("sendMessage", "1002")]
    # Ангарск gets the same summary and the draft workbook in MAX.
    summary, draft = max_api.sent
    assert summary.recipient == f"user_id={ANGARSK_MAX}" and summary.text.startswith("natmon · г. Ангарск · 22.01.2025")
    assert "Без публикаций за период (2): Детский сад № 5, Детский сад № 7." in summary.text
    assert draft.text.startswith("Черновик отчёта по 24.01.2025, г. Ангарск: срок через 2 дн.")
    assert draft.file_token == "file-token-1"
    assert [name for name, _ in max_api.uploads] == ["draft-g-angarsk-2025-01-24.xlsx"]
    assert max_api.uploads[0][1].startswith(b"PK")
    again = await run(region, today=NEAR_DEADLINE, now=datetime(2025, 1, 22, 5, tzinfo=timezone.utc))
    assert (again.summaries, again.drafts, again.skipped) == (0, 0, 4)
    assert len(max_api.sent) == 2


async def test_a_max_user_without_an_id_is_warned_about_and_the_others_still_get_theirs(region, bot_api, max_api):
    set_messenger(region.store, "angarsk", "max")
    result = await run(region)
    assert result.summaries == 1 and result.problems == []
    assert result.warnings == ["angarsk: уведомления выбраны в MAX, но не указан ID пользователя MAX — ничего не "
                               "отправлено; укажите его: natmon users messenger angarsk --max-user ID"]
    assert [s.chat_id for s in bot_api.sent] == ["1002"] and max_api.sent == []


async def test_a_blocked_max_user_and_a_rejected_max_token_never_stop_telegram(region, bot_api, max_api):
    set_messenger(region.store, "angarsk", "max", max_user_id=ANGARSK_MAX)
    max_api.blocked.add(ANGARSK_MAX)
    result = await run(region)
    assert result.summaries == 1 and [s.chat_id for s in bot_api.sent] == ["1002"]
    assert len(result.problems) == 1 and result.problems[0].startswith(
        f"angarsk (MAX {ANGARSK_MAX}): бот MAX не может писать: пользователь MAX {ANGARSK_MAX} заблокировал бота")
    max_api.blocked.clear()
    retry = await run(region, now=NOW.replace(hour=5))  # the failed summary is sent on the next run
    assert (retry.summaries, retry.skipped) == (1, 1) and [s.recipient for s in max_api.sent] == [
        f"user_id={ANGARSK_MAX}"]
    set_messenger(region.store, "shelekhov", "max", max_user_id="77")
    broken = await run(region, today=date(2025, 1, 21), now=datetime(2025, 1, 21, 1, tzinfo=timezone.utc),
                       max_token="max-WRONG-token")
    assert broken.summaries == 0 and len(broken.problems) == 2
    assert all("NATMON_MAX_BOT_TOKEN" in problem for problem in broken.problems)
    assert max_api.calls == 3  # after the token was refused once, the second MAX user is not tried


async def test_a_max_user_when_no_max_bot_is_configured_is_named(region, bot_api):
    set_messenger(region.store, "angarsk", "max", max_user_id=ANGARSK_MAX)
    async with TelegramClient(TOKEN, API) as telegram:
        result = await notify(region.store, region.registry, {"telegram": telegram}, today=TODAY, now=NOW)
    assert result.summaries == 1
    assert result.problems == [f"angarsk (MAX {ANGARSK_MAX}): бот MAX не настроен — задайте переменную окружения "
                               "NATMON_MAX_BOT_TOKEN"]


def test_the_command_sends_through_both_bots_and_warns_in_russian(region, bot_api, max_api, monkeypatch, caplog):
    monkeypatch.setenv("NATMON_TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("NATMON_TELEGRAM_BOT_API_URL", API)
    monkeypatch.setenv("NATMON_MAX_BOT_TOKEN", MAX_TOKEN)
    monkeypatch.setenv("NATMON_MAX_API_URL", MAX_API)
    monkeypatch.setenv("NATMON_PUBLIC_URL", PUBLIC)
    set_messenger(region.store, "angarsk", "max", max_user_id=ANGARSK_MAX)
    app = typer.Typer()
    bot_commands.register(app)
    caplog.set_level(logging.DEBUG)
    args = ["notify", "--today", "2025-01-20", "--db", str(region.store.engine.url.database),
            "--sources", str(region.registry.path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Сводок отправлено: 2, черновиков: 0, уже отправлено раньше: 0." in result.output
    assert [s.recipient for s in max_api.sent] == [f"user_id={ANGARSK_MAX}"]
    assert [s.chat_id for s in bot_api.sent] == ["1002"]
    assert MAX_TOKEN not in caplog.text and MAX_TOKEN not in result.output
    set_messenger(region.store, "shelekhov", "max", max_user_id="")
    later = CliRunner().invoke(app, [*args[:2], "2025-01-21", *args[3:]])
    assert later.exit_code == 0, later.output
    assert "внимание: shelekhov: уведомления выбраны в MAX, но не указан ID пользователя MAX" in later.output


def test_the_command_runs_with_only_the_max_bot_and_names_both_variables_without_any(region, bot_api, max_api,
                                                                                     monkeypatch):
    monkeypatch.delenv("NATMON_TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("NATMON_MAX_BOT_TOKEN", raising=False)
    app = typer.Typer()
    bot_commands.register(app)
    args = ["notify", "--today", "2025-01-20", "--db", str(region.store.engine.url.database),
            "--sources", str(region.registry.path)]
    neither = CliRunner().invoke(app, args)
    assert neither.exit_code == 2
    assert "NATMON_TELEGRAM_BOT_TOKEN" in neither.output and "NATMON_MAX_BOT_TOKEN" in neither.output
    monkeypatch.setenv("NATMON_MAX_BOT_TOKEN", MAX_TOKEN)
    monkeypatch.setenv("NATMON_MAX_API_URL", MAX_API)
    set_messenger(region.store, "angarsk", "max", max_user_id=ANGARSK_MAX)
    only_max = CliRunner().invoke(app, args)
    assert only_max.exit_code == 1  # Шелехов's Telegram has no bot this run
    assert "Сводок отправлено: 1" in only_max.output
    assert "не доставлено: shelekhov (чат 1002): бот Telegram не настроен — задайте переменную окружения " \
           "NATMON_TELEGRAM_BOT_TOKEN" in only_max.output
    assert bot_api.sent == [] and len(max_api.sent) == 1
