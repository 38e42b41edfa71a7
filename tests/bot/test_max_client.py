"""The MAX messenger: messages and files through the MAX Bot API (faked with respx), errors in Russian."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.bot.client import BotError
from reports.bot.max_client import MaxClient
from tests.bot.conftest import MAX_API, MAX_TOKEN

NO_WAIT = (0.0, 0.0, 0.0)


def client(token: str = MAX_TOKEN) -> MaxClient:
    return MaxClient(token, MAX_API, not_ready_waits=NO_WAIT, rate_limit_wait=0.0)


async def test_a_message_goes_to_the_user_with_the_token_in_the_header(max_api):
    async with client() as max_bot:
        await max_bot.send_message("40539817", "Сводка natmon")
        await max_bot.send_message(-7012, "В общий чат координаторов")
    assert [(sent.recipient, sent.text) for sent in max_api.sent] == [
        ("user_id=40539817", "Сводка natmon"), ("chat_id=-7012", "В общий чат координаторов")]


async def test_a_file_is_uploaded_then_sent_once_max_has_processed_it(max_api, tmp_path: Path):
    draft = tmp_path / "draft-g-angarsk-2025-01-24.xlsx"
    draft.write_bytes(b"PK\x03\x04 a workbook")
    max_api.not_ready = 2  # MAX is still processing the file for the first two tries
    async with client() as max_bot:
        await max_bot.send_document("40539817", draft, "Черновик отчёта")
    assert max_api.uploads == [("draft-g-angarsk-2025-01-24.xlsx", b"PK\x03\x04 a workbook")]
    assert [(s.recipient, s.text, s.file_token) for s in max_api.sent] == [
        ("user_id=40539817", "Черновик отчёта", "file-token-1")]


async def test_a_file_max_never_processes_fails_with_a_russian_reason(max_api, tmp_path: Path):
    draft = tmp_path / "draft.xlsx"
    draft.write_bytes(b"PK")
    max_api.not_ready = 10
    async with client() as max_bot:
        with pytest.raises(BotError, match="не обработал загруженный файл") as caught:
            await max_bot.send_document("40539817", draft, "Черновик")
    assert not caught.value.fatal and max_api.sent == []


async def test_429_is_waited_out_and_then_reported_without_stopping(max_api):
    max_api.throttled = 2
    async with client() as max_bot:
        await max_bot.send_message("40539817", "после двух пауз")
        assert [s.text for s in max_api.sent] == ["после двух пауз"]
        max_api.throttled = 5
        with pytest.raises(BotError) as caught:
            await max_bot.send_message("40539817", "не дождались")
    assert "HTTP 429" in caught.value.message and "при следующем запуске" in caught.value.message
    assert not caught.value.fatal


async def test_a_blocked_or_unknown_user_is_a_problem_of_that_user_only(max_api):
    max_api.blocked.add("111")
    max_api.unknown.add("222")
    async with client() as max_bot:
        with pytest.raises(BotError) as blocked:
            await max_bot.send_message("111", "x")
        with pytest.raises(BotError) as unknown:
            await max_bot.send_message("222", "x")
    assert blocked.value.chat and not blocked.value.fatal
    assert "заблокировал бота" in blocked.value.message and "«Начать»" in blocked.value.message
    assert unknown.value.chat and "пользователь MAX 222 не найден" in unknown.value.message


async def test_a_rejected_token_is_fatal_names_the_variable_and_is_never_shown(max_api):
    async with client("max-WRONG-token") as max_bot:
        with pytest.raises(BotError) as caught:
            await max_bot.send_message("40539817", "x")
    assert caught.value.fatal and "NATMON_MAX_BOT_TOKEN" in caught.value.message
    assert "WRONG" not in caught.value.message


def test_a_missing_token_or_unreadable_ca_bundle_is_named(tmp_path: Path):
    with pytest.raises(BotError, match="NATMON_MAX_BOT_TOKEN"):
        MaxClient("", MAX_API)
    with pytest.raises(BotError, match="NATMON_CA_BUNDLE") as caught:
        MaxClient(MAX_TOKEN, MAX_API, ca_bundle=str(tmp_path / "missing.crt"))
    assert caught.value.fatal



async def test_a_file_upload_answered_429_is_sent_whole_on_the_retry(max_api, tmp_path: Path):
    draft = tmp_path / "draft.xlsx"
    draft.write_bytes(b"PK\x03\x04 whole workbook")
    max_api.upload_throttled = 1
    async with client() as max_bot:
        await max_bot.send_document("40539817", draft, "Черновик")
    assert max_api.uploads == [("draft.xlsx", b"PK\x03\x04 whole workbook")]
    assert [s.file_token for s in max_api.sent] == ["file-token-1"]
