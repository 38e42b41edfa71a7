"""MAX parsing (`channels.max_parse`) and `natmon parse max`."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from channels.max_parse import MaxParseError, parse_chat, parse_messages
from crawler.cli import app

DATA = Path(__file__).parent.parent / "data" / "max"


def load(name: str) -> object:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_channel_messages_become_posts() -> None:
    page = parse_messages(load("messages_channel.json"), "https://max.ru/demo_sosh4")
    photos, forward, plain = (m.post for m in page.messages)
    assert photos.external_id == "mid.0000000000000003"
    assert photos.url == "https://max.ru/demo_sosh4/AZ0000000003"
    assert photos.published_at == datetime(2025, 3, 18, 5, 0, tzinfo=timezone.utc)  # timestamp, ms
    assert photos.views == 264 and photos.media == ("photo",) and photos.repost_of is None
    assert forward.repost_of == "max:-70000000000099/mid.0000000000009901"
    assert forward.text.startswith("Нацпроект «Молодёжь и дети»") and forward.media == ("video",)
    assert plain.media == ("document",)  # the sticker is no media a report counts
    assert plain.views is None and plain.url == "https://max.ru/demo_sosh4"  # no stat/url: the channel's link
    assert [m.timestamp for m in page.messages] == sorted((m.timestamp for m in page.messages), reverse=True)


def test_odd_messages_are_skipped_with_a_reason() -> None:
    page = parse_messages(load("messages_odd.json"))
    assert [m.post.external_id for m in page.messages] == ["mid.0000000000000010"]
    assert sum("пропущено" in note for note in page.notes) == 2 and any("не объект" in n for n in page.notes)


def test_a_reply_is_not_a_repost_and_keeps_only_its_own_text() -> None:
    message = {"timestamp": 1742274000000, "body": {"mid": "mid.1", "text": "Ответ", "attachments": []},
               "link": {"type": "reply", "message": {"mid": "mid.0", "text": "Вопрос"}}}
    post = parse_messages({"messages": [message]}).messages[0].post
    assert post.text == "Ответ" and post.repost_of is None


def test_error_answer_and_foreign_json_are_refused() -> None:
    with pytest.raises(MaxParseError, match="chat.denied"):
        parse_messages({"code": "chat.denied", "message": "no access"})
    with pytest.raises(MaxParseError, match="messages"):
        parse_messages({"media_topics": []})


def test_chat_info() -> None:
    chat = parse_chat(load("chat_channel.json"))
    assert (chat.chat_id, chat.type, chat.status) == (-70000000000001, "channel", "active")


def test_parse_max_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["parse", "max", str(DATA / "messages_channel.json")])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["mid.0000000000000003", "mid.0000000000000002", "mid.0000000000000001"]
    assert lines[1]["repost"].startswith("max:-70000000000099") and lines[0]["views"] == 264
    assert "сообщений — 3" in result.stderr
    bad = tmp_path / "x.json"
    bad.write_bytes("{\"messages\": [}".encode("cp1251"))
    result = CliRunner().invoke(app, ["parse", "max", str(bad)])
    assert result.exit_code == 2 and "не JSON" in result.stderr


JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8))
MESSAGE_KEYS = ("messages", "timestamp", "body", "mid", "text", "attachments", "type", "link", "message",
                "chat_id", "stat", "views", "url", "code", "sender", "name")
JSON_ANY = st.recursive(JSON_LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(MESSAGE_KEYS), st.text(max_size=6)), inner, max_size=6)),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(MESSAGE_KEYS), JSON_ANY, max_size=6) | JSON_ANY)
def test_any_json_gives_messages_or_a_russian_refusal(answer: object) -> None:
    try:
        page = parse_messages(answer, "https://max.ru/demo")
    except MaxParseError as exc:
        assert exc.message
        return
    assert all(message.post.external_id and message.post.url for message in page.messages)
