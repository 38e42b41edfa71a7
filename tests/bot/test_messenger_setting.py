"""Where a user's notifications go: schema step 5 on an older store, and `natmon users messenger`."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone

import typer
from typer.testing import CliRunner

from crawler import schema as t
from crawler.commands import users as users_commands
from crawler.store import Store
from reports.bot.client import TelegramClient
from reports.notify import notify
from reports.users import get_user, list_users
from tests.bot.conftest import API, TOKEN

runner = CliRunner()


def cli() -> typer.Typer:
    app = typer.Typer()
    users_commands.register(app)
    return app


def db_of(region) -> str:
    return str(region.store.engine.url.database)


def as_version_4(path: str) -> None:
    """Turn a store into what natmon wrote before step 5: no messenger columns (nor step 6's run share),
    schema version 4."""
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE users DROP COLUMN notify_via")
        conn.execute("ALTER TABLE users DROP COLUMN max_user_id")
        conn.execute("ALTER TABLE crawl_runs DROP COLUMN share")  # step 6
        conn.execute("DELETE FROM schema_version")
        conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (4, '2025-01-01T00:00:00+00:00')")
    conn.close()


async def test_a_version_4_store_is_migrated_and_its_users_keep_telegram(region, bot_api):
    path = db_of(region)
    region.store.set_state("notify:summary:1001", {"at": "2025-01-20T00:30:00+00:00", "day": "2025-01-20"})
    region.store.close()
    as_version_4(path)
    with sqlite3.connect(path) as conn:
        assert "notify_via" not in {row[1] for row in conn.execute("PRAGMA table_info(users)")}
    conn.close()
    region.store = Store.open(path)
    with region.store.engine.connect() as conn:
        versions = conn.exec_driver_sql("SELECT version FROM schema_version ORDER BY version").scalars().all()
    assert versions == list(range(4, t.SCHEMA_VERSION + 1))
    users = {user.login: user for user in list_users(region.store)}
    assert len(users) == 4
    assert {login: (user.notify_via, user.max_user_id, user.telegram_chat_id) for login, user in users.items()} == {
        "operator": ("telegram", None, None), "angarsk": ("telegram", None, "1001"),
        "shelekhov": ("telegram", None, "1002"), "gone": ("telegram", None, None)}
    # Notifications go on as before: today's summary to 1001 was already sent, 1002 gets its own.
    async with TelegramClient(TOKEN, API) as telegram:
        result = await notify(region.store, region.registry, {"telegram": telegram}, today=date(2025, 1, 20),
                              now=datetime(2025, 1, 20, 1, tzinfo=timezone.utc))
    assert (result.summaries, result.skipped) == (1, 1) and [s.chat_id for s in bot_api.sent] == ["1002"]


def test_messenger_command_sets_max_and_back_and_list_shows_it(region):
    result = runner.invoke(cli(), ["users", "messenger", "angarsk", "--via", "max", "--max-user", "40539817",
                                   "--db", db_of(region)])
    assert result.exit_code == 0, result.output
    assert "Уведомления пользователя angarsk: MAX (ID 40539817)." in result.output
    user = get_user(region.store, login="angarsk")
    assert (user.notify_via, user.max_user_id, user.telegram_chat_id) == ("max", "40539817", "1001")
    listed = runner.invoke(cli(), ["users", "list", "--db", db_of(region)]).output.splitlines()
    assert ("angarsk · координатор муниципалитета · г. Ангарск · Telegram 1001 · Иванова А. П. · MAX 40539817 · "
            "уведомления в MAX") in listed
    back = runner.invoke(cli(), ["users", "messenger", "angarsk", "--via", "telegram", "--db", db_of(region)])
    assert back.exit_code == 0 and "Уведомления пользователя angarsk: Telegram (ID 1001)." in back.output
    assert get_user(region.store, login="angarsk").max_user_id == "40539817"  # kept for a later switch


def test_max_without_an_id_is_accepted_with_a_warning(region):
    result = runner.invoke(cli(), ["users", "messenger", "shelekhov", "--via", "max", "--db", db_of(region)])
    assert result.exit_code == 0, result.output
    assert "Внимание: ID в MAX не указан — уведомления не придут; добавьте: natmon users messenger shelekhov " \
           "--max-user ID" in result.output
    listed = runner.invoke(cli(), ["users", "list", "--db", db_of(region)]).output
    assert "shelekhov · координатор муниципалитета · Шелеховский район · Telegram 1002 · уведомления в MAX (ID MAX " \
           "не указан!)" in listed


def test_bad_input_is_refused_in_russian_and_changes_nothing(region):
    cases = [
        (["--via", "vk"], "--via: неизвестный мессенджер «vk»; допустимы: telegram, max"),
        (["--max-user", "@ivanova"], "Идентификатор пользователя MAX — целое число, получено «@ivanova»"),
        (["--telegram-chat", "abc"], "Идентификатор чата Telegram — целое число, получено «abc»"),
        ([], "Нечего менять: укажите --via, --max-user или --telegram-chat"),
    ]
    for extra, message in cases:
        result = runner.invoke(cli(), ["users", "messenger", "angarsk", *extra, "--db", db_of(region)])
        assert result.exit_code == 2 and message in result.output, (extra, result.output)
    unknown = runner.invoke(cli(), ["users", "messenger", "nobody", "--via", "max", "--db", db_of(region)])
    assert unknown.exit_code == 2 and "Пользователя «nobody» нет" in unknown.output
    user = get_user(region.store, login="angarsk")
    assert (user.notify_via, user.max_user_id, user.telegram_chat_id) == ("telegram", None, "1001")
