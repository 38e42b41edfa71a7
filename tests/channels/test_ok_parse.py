"""Одноклассники parsing (`channels.ok_parse`), request signing and `natmon parse ok`."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from channels.ok_parse import OkParseError, parse_topics, parse_url_info, topic_url
from channels.ok_transport import signature, signed
from crawler.cli import app

DATA = Path(__file__).parent.parent / "data" / "ok"
GID = "70000001234567"


def load(name: str) -> object:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_topics_become_posts_with_text_media_counts_and_links() -> None:
    page = parse_topics(load("get_topics_page1.json"), GID)
    first, video, poll = page.topics
    assert first.external_id == "155000000000003"
    assert first.url == f"https://ok.ru/group/{GID}/topic/155000000000003"
    assert first.published_at == datetime(2025, 3, 17, 5, 0, tzinfo=timezone.utc)  # created_ms, UTC
    assert first.text.startswith("Новые интерактивные панели") and first.text.endswith("#нацпроекты")
    assert first.media == ("photo",)
    assert (first.likes, first.comments, first.reposts, first.views) == (41, 3, 5, 812)
    assert video.media == ("video",) and video.likes == 12
    assert (video.comments, video.reposts, video.views) == (None, None, None)  # missing summaries stay unknown
    assert poll.text == "Какой кружок открыть в следующем году?"  # a topic with no text block: its poll question
    assert poll.media == ("link", "poll")
    assert page.has_more and page.anchor == "LTE1NTAwMDAwMDAwMDAwMQ"


def test_group_comes_from_owner_ref_when_not_given() -> None:
    page = parse_topics(load("get_topics_page1.json"))
    assert {post.url.split("/topic/")[0] for post in page.topics} == {f"https://ok.ru/group/{GID}"}


def test_odd_topics_are_skipped_with_a_reason_and_unknown_media_ignored() -> None:
    page = parse_topics(load("get_topics_odd.json"), GID)
    assert [post.external_id for post in page.topics] == ["155000000000010", "155000000000008"]
    assert page.topics[0].media == () and page.topics[1].text == ""
    assert any("155000000000009" in note and "created_ms" in note for note in page.notes)
    assert any("не объект" in note for note in page.notes)
    assert not page.has_more and page.anchor is None


def test_error_answer_and_foreign_json_are_refused_in_russian() -> None:
    with pytest.raises(OkParseError, match="ошибка 102"):
        parse_topics(load("error_session_expired.json"), GID)
    with pytest.raises(OkParseError, match="media_topics"):
        parse_topics({"response": {"items": []}}, GID)


def test_url_info_names_the_object() -> None:
    assert parse_url_info({"objectId": 53038939046008, "type": "GROUP"}) == ("GROUP", "53038939046008")
    assert parse_url_info({"error_code": 300, "error_msg": "NOT_FOUND"}) is None
    assert topic_url("1", "2") == "https://ok.ru/group/1/topic/2"


def test_signature_follows_the_documented_recipe() -> None:
    # apiok.ru: sorted key=value pairs without access_token, then md5(access_token + secret), all MD5, lower hex.
    session_secret = hashlib.md5(b"token-abc" + b"SECRET").hexdigest()
    expected = hashlib.md5(("application_key=KEYcount=5format=jsongid=42method=mediatopic.getTopics"
                            + session_secret).encode()).hexdigest()
    params = {"method": "mediatopic.getTopics", "gid": "42", "count": "5", "format": "json",
              "application_key": "KEY", "access_token": "token-abc"}
    assert signature(params, "SECRET", "token-abc") == expected
    form = signed("mediatopic.getTopics", {"gid": 42, "count": 5}, "KEY", "SECRET", "token-abc")
    assert form["sig"] == expected and form["access_token"] == "token-abc"
    assert signature({"method": "x"}, "SECRET", None) == hashlib.md5(b"method=xSECRET").hexdigest()


def test_parse_ok_command_prints_json_lines(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["parse", "ok", str(DATA / "get_topics_page1.json")])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["155000000000003", "155000000000002", "155000000000001"]
    assert lines[0]["likes"] == 41 and lines[0]["media"] == ["photo"]
    assert "тем — 3" in result.stderr


def test_parse_ok_command_refuses_bad_files(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"media_topics": [', encoding="utf-8")
    result = CliRunner().invoke(app, ["parse", "ok", str(broken)])
    assert result.exit_code == 2 and "строка 1" in result.stderr and "не JSON" in result.stderr
    result = CliRunner().invoke(app, ["parse", "ok", str(DATA / "error_session_expired.json")])
    assert result.exit_code == 2 and "ошибка 102" in result.stderr
    result = CliRunner().invoke(app, ["parse", "ok", str(tmp_path / "none.json")])
    assert result.exit_code == 2 and "Файл не найден" in result.stderr


JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8))
TOPIC_KEYS = ("id", "created_ms", "media", "type", "text", "owner_ref", "like_summary", "count", "views_count",
              "media_topics", "anchor", "has_more", "error_code", "question")
JSON_ANY = st.recursive(JSON_LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(TOPIC_KEYS), st.text(max_size=6)), inner, max_size=6)), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(TOPIC_KEYS), JSON_ANY, max_size=6) | JSON_ANY)
def test_any_json_gives_posts_or_a_russian_refusal(answer: object) -> None:
    try:
        page = parse_topics(answer, GID)
    except OkParseError as exc:
        assert exc.message
        return
    assert all(post.url.startswith(f"https://ok.ru/group/{GID}/topic/") for post in page.topics)
