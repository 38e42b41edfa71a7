"""Bot API channel posts: the pure conversion and the getUpdates call (respx)."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest
import respx

from channels.base import ChannelError
from channels.telegram_bot import fetch_bot_updates, post_from_update

TOKEN = "123456:TEST-token-not-real"
API = f"https://api.telegram.org/bot{TOKEN}"
CHAT = {"id": -1001987654321, "title": "Школа №7 г. Ангарска", "username": "school7_angarsk", "type": "channel"}
SENT = 1788336000  # 2026-09-02 08:00:00 UTC


def channel_post(**fields: object) -> dict:
    message = {"message_id": 41, "sender_chat": CHAT, "chat": CHAT, "date": SENT}
    message.update(fields)
    return {"update_id": 9001, "channel_post": message}


def test_text_post_becomes_a_post_with_the_channel_link() -> None:
    update = channel_post(text="В школе прошла линейка #нацпроект_образование",
                          entities=[{"type": "hashtag", "offset": 25, "length": 21}])
    chat, post, edited = post_from_update(update)
    assert chat == "school7_angarsk"
    assert post.external_id == "41"
    assert post.url == "https://t.me/school7_angarsk/41"
    assert post.published_at == datetime(2026, 9, 2, 8, 0, tzinfo=timezone.utc)
    assert post.text == "В школе прошла линейка #нацпроект_образование"
    assert post.media == ()
    assert post.found_by == "bot"
    assert edited is False


def test_photo_with_caption_and_link() -> None:
    update = channel_post(
        photo=[{"file_id": "a", "file_unique_id": "b", "width": 90, "height": 60}],
        caption="Открыли «Точку роста», подробнее https://school7.ru/news/1",
        caption_entities=[{"type": "url", "offset": 33, "length": 24}],
        media_group_id="1357")
    _, post, _ = post_from_update(update)
    assert post.text.startswith("Открыли «Точку роста»")
    assert post.media == ("photo", "link")


@pytest.mark.parametrize(("field", "kind"), [
    ("video", "video"), ("video_note", "video"), ("document", "document"),
    ("audio", "audio"), ("voice", "audio"),
])
def test_media_kinds(field: str, kind: str) -> None:
    _, post, _ = post_from_update(channel_post(**{field: {"file_id": "x", "file_unique_id": "y"}}))
    assert post.media == (kind,)


def test_poll_question_is_the_text() -> None:
    poll = {"id": "5", "question": "Какой кружок открыть в новом учебном году?", "options": [],
            "total_voter_count": 0, "is_closed": False, "is_anonymous": True, "type": "regular",
            "allows_multiple_answers": False}
    _, post, _ = post_from_update(channel_post(poll=poll))
    assert post.media == ("poll",)
    assert post.text == "Какой кружок открыть в новом учебном году?"


def test_forward_from_a_public_channel_links_the_original() -> None:
    origin = {"type": "channel", "date": SENT - 60, "message_id": 77,
              "chat": {"id": -1001111, "title": "Минобр Приангарья", "username": "minobr38", "type": "channel"}}
    _, post, _ = post_from_update(channel_post(text="Делимся новостью", forward_origin=origin))
    assert post.repost_of == "https://t.me/minobr38/77"


def test_forward_from_a_hidden_user_keeps_the_name() -> None:
    origin = {"type": "hidden_user", "date": SENT, "sender_user_name": "Родительский комитет"}
    _, post, _ = post_from_update(channel_post(text="Спасибо учителям", forward_origin=origin))
    assert post.repost_of == "Родительский комитет"


def test_edited_post_is_flagged() -> None:
    message = channel_post(text="Исправлено время собрания: 18:30", edit_date=SENT + 600)["channel_post"]
    chat, post, edited = post_from_update({"update_id": 9002, "edited_channel_post": message})
    assert edited is True
    assert post.text == "Исправлено время собрания: 18:30"


def test_private_channel_uses_its_id_and_a_c_link() -> None:
    chat = {"id": -1002000000123, "title": "Детский сад «Солнышко»", "type": "channel"}
    update = channel_post(text="Осенний утренник", chat=chat, sender_chat=chat)
    key, post, _ = post_from_update(update)
    assert key == "-1002000000123"
    assert post.url == "https://t.me/c/2000000123/41"


def test_other_update_kinds_are_not_posts() -> None:
    assert post_from_update({"update_id": 1, "message": {"message_id": 1, "date": SENT,
                                                         "chat": {"id": 5, "type": "private"}}}) is None


@respx.mock
async def test_fetch_bot_updates_returns_dicts_and_next_offset() -> None:
    body = {"ok": True, "result": [
        channel_post(text="Первый пост", video={"file_id": "v", "file_unique_id": "u", "width": 640,
                                                "height": 360, "duration": 42}),
        {"update_id": 9005, "edited_channel_post": channel_post(text="Второй пост", edit_date=SENT + 5)["channel_post"]},
    ]}
    route = respx.post(f"{API}/getUpdates").mock(return_value=httpx.Response(200, json=body))
    updates, offset = await fetch_bot_updates(TOKEN, 9000)
    assert route.called
    sent = route.calls.last.request.content.decode()
    assert "9000" in sent and "channel_post" in sent
    assert offset == 9006
    converted = [post_from_update(update) for update in updates]
    assert [(post.text, post.media, edited) for _, post, edited in converted] == [
        ("Первый пост", ("video",), False), ("Второй пост", (), True)]


@respx.mock
async def test_fetch_bot_updates_with_nothing_new_keeps_the_offset() -> None:
    respx.post("http://127.0.0.1:8081/bot" + TOKEN + "/getUpdates").mock(
        return_value=httpx.Response(200, json={"ok": True, "result": []}))
    assert await fetch_bot_updates(TOKEN, 42, base_url="http://127.0.0.1:8081/bot") == ([], 42)


@respx.mock
async def test_rejected_token_is_permanent_and_not_quoted() -> None:
    respx.post(f"{API}/getUpdates").mock(
        return_value=httpx.Response(401, json={"ok": False, "error_code": 401, "description": "Unauthorized"}))
    with pytest.raises(ChannelError) as caught:
        await fetch_bot_updates(TOKEN, None)
    assert caught.value.permanent
    assert TOKEN not in caught.value.message
    assert "NATMON_TELEGRAM_BOT_TOKEN" in caught.value.message


@respx.mock
async def test_flood_control_carries_retry_after() -> None:
    respx.post(f"{API}/getUpdates").mock(return_value=httpx.Response(429, json={
        "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 30",
        "parameters": {"retry_after": 30}}))
    with pytest.raises(ChannelError) as caught:
        await fetch_bot_updates(TOKEN, None)
    assert caught.value.retry_after == 30
    assert not caught.value.permanent


@respx.mock
async def test_an_answer_that_is_not_json_is_one_russian_line_without_a_traceback(
        caplog: pytest.LogCaptureFixture) -> None:
    respx.post(f"{API}/getUpdates").mock(return_value=httpx.Response(
        200, text="<html><body>502 Bad Gateway (nginx)</body></html>", headers={"Content-Type": "text/html"}))
    with caplog.at_level("DEBUG"), pytest.raises(ChannelError) as caught:
        await fetch_bot_updates(TOKEN, None)
    assert "не в формате JSON" in caught.value.message and "\n" not in caught.value.message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert [record for record in caplog.records if record.exc_info or record.levelname == "ERROR"] == []
    assert TOKEN not in caught.value.message


@respx.mock
async def test_an_answer_over_the_size_cap_is_refused() -> None:
    body = {"ok": True, "result": [channel_post(message_id=n) | {"update_id": n} for n in range(2000)]}
    respx.post(f"{API}/getUpdates").mock(return_value=httpx.Response(200, json=body))
    with pytest.raises(ChannelError) as caught:
        await fetch_bot_updates(TOKEN, None, max_bytes=64 * 1024)
    assert "больше допустимого размера (65536 байт" in caught.value.message
