"""Linking MAX: who wrote to the region's bot, their MAX id told to them and shown to the operator."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from crawler.commands import users as users_commands
from reports.bot.max_updates import parse_senders
from reports.users import set_messenger
from tests.bot.conftest import MAX_API, MAX_TOKEN

runner = CliRunner()
STAMP = 1737504000000


def started(user_id: int, first: str, last: str = "") -> dict:
    return {"update_type": "bot_started", "timestamp": STAMP, "chat_id": -1, "payload": None,
            "user": {"user_id": user_id, "first_name": first, "last_name": last, "is_bot": False}}


def wrote(user_id: int, name: str, text: str, chat_type: str = "dialog", is_bot: bool = False) -> dict:
    return {"update_type": "message_created", "timestamp": STAMP,
            "message": {"sender": {"user_id": user_id, "name": name, "is_bot": is_bot},
                        "recipient": {"chat_id": -5, "chat_type": chat_type},
                        "timestamp": STAMP, "body": {"mid": "mid.1", "seq": 1, "text": text}}}


def test_senders_are_read_from_dialogs_only_each_once_with_their_last_text():
    answer = {"updates": [started(40539817, "Анна", "Иванова"), wrote(40539817, "Анна Иванова", "мой логин angarsk"),
                          wrote(90001, "Общий чат", "всем привет", chat_type="chat"),
                          wrote(90002, "Другой бот", "/start", is_bot=True), {"update_type": "message_removed"},
                          started(77, "", "")], "marker": 42}
    senders, marker = parse_senders(answer)
    assert marker == 42
    assert [(s.user_id, s.name, s.text) for s in senders] == [
        ("40539817", "Анна Иванова", "мой логин angarsk"), ("77", "", "")]
    assert parse_senders({"updates": None}) == ([], None) and parse_senders("oops") == ([], None)


def test_the_operator_sees_ids_and_the_command_and_each_writer_gets_their_id(region, max_api, monkeypatch):
    monkeypatch.setenv("NATMON_MAX_BOT_TOKEN", MAX_TOKEN)
    monkeypatch.setenv("NATMON_MAX_API_URL", MAX_API)
    set_messenger(region.store, "shelekhov", max_user_id="77")
    max_api.updates = [wrote(40539817, "Анна Иванова", "Здравствуйте! мой логин angarsk"), started(77, "Олег"),
                       started(31337, "Пётр")]
    max_api.blocked.add("31337")
    app = typer.Typer()
    users_commands.register(app)
    args = ["users", "max-ids", "--db", str(region.store.engine.url.database)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "ID 40539817 · Анна Иванова · «Здравствуйте! мой логин angarsk» → natmon users messenger angarsk --via max "
        "--max-user 40539817",
        "ID 77 · Олег · нажал(а) «Начать» — уже указан у shelekhov",
        "ID 31337 · Пётр · нажал(а) «Начать» (ответ не доставлен: бот MAX не может писать: пользователь MAX 31337 "
        "заблокировал бота или не начинал с ним диалог; пусть координатор найдёт бота natmon региона в MAX и "
        "нажмёт «Начать» (бот пишет только тем, кто начал с ним диалог), затем проверьте ID: natmon users list)"]
    replies = {s.recipient: s.text for s in max_api.sent}
    assert replies["user_id=40539817"].startswith("Здравствуйте! Ваш ID в MAX: 40539817.")
    assert replies["user_id=77"] == ("Ваш ID в MAX (77) уже указан в natmon у пользователя shelekhov; уведомления "
                                     "сейчас идут в Telegram.")
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and again.output.startswith("Новых сообщений боту в MAX нет.")
    assert max_api.markers == [None, "501"]  # the second run asks only for what came after the first


def test_max_ids_names_the_missing_token(region, monkeypatch):
    monkeypatch.delenv("NATMON_MAX_BOT_TOKEN", raising=False)
    app = typer.Typer()
    users_commands.register(app)
    result = runner.invoke(app, ["users", "max-ids", "--db", str(region.store.engine.url.database)])
    assert result.exit_code == 2 and "NATMON_MAX_BOT_TOKEN" in result.output
