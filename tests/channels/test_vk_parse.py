"""The pure VK parsers on real recorded API answers (tests/data/vk) and on answers built here."""

from __future__ import annotations

import ast
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from channels.vk_parse import (VkCallError, VkParseError, parse_groups, parse_resolved, parse_wall, split_execute,
                               wall_responses)

DATA = Path(__file__).resolve().parents[1] / "data" / "vk"
USER_WALL_2023 = "wallget_response_user_wall_2023_video_copyhistory_nextfrom_compact.json"
FOODSHARING_2020 = "wallget_response_community_foodsharing_2020_pinned_docs.mjs.txt"
COMMUNITY_2025 = "wallget_extended_community_2025_python_literal_fixtures.py.txt"


def load_json(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def load_mjs(name: str) -> Any:
    """A JS module `export default {…}` kept as copied: strip the export, read the JSON."""
    text = (DATA / name).read_text(encoding="utf-8").strip()
    return json.loads(text.removeprefix("export default").strip().rstrip(";"))


def load_python_literal(name: str, variable: str) -> Any:
    """One `name = {...}` assignment of a Python fixtures file, read with ast.literal_eval."""
    module = ast.parse((DATA / name).read_text(encoding="utf-8"))
    for node in module.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == variable:
            return ast.literal_eval(node.value)
    raise KeyError(variable)


def item(post_id: int, **extra: Any) -> dict[str, Any]:
    """A wall item as wall.get 5.199 returns it, with our own school-news text."""
    base = {"id": post_id, "owner_id": -215, "from_id": -215, "date": 1_726_000_000 + post_id, "post_type": "post",
            "text": f"Новость школы №{post_id}", "attachments": []}
    base.update(extra)
    return base


# -- real samples ---------------------------------------------------------------------


def test_user_wall_2023_gives_every_post_with_metrics_url_and_utc_date() -> None:
    page = parse_wall(load_json(USER_WALL_2023))
    assert page.count == 224 and len(page.items) == 20 and page.notes == []
    first = page.items[0].post
    assert first.external_id == "1136"
    assert first.url == "https://vk.com/wall236298625_1136"
    assert first.published_at == datetime(2023, 3, 29, 7, 47, 30, tzinfo=timezone.utc)
    assert (first.views, first.likes, first.media) == (457, 41, ("video",))
    assert first.text.startswith("У нас такой зимы и зимой не \nбывает")
    assert first.found_by == "wall.get"


def test_repost_keeps_original_text_media_and_link() -> None:
    by_id = {i.post_id: i.post for i in parse_wall(load_json(USER_WALL_2023)).items}
    repost = by_id[1119]
    assert repost.repost_of == "https://vk.com/wall-50028217_889"
    assert repost.text.startswith("Успейте поймать свой «Импульс добра»!")
    assert repost.media == ("photo", "link")
    assert repost.views == 88


def test_internal_links_are_reduced_to_their_names() -> None:
    text = {i.post_id: i.post.text for i in parse_wall(load_json(USER_WALL_2023)).items}[1123]
    assert "[id" not in text and "|" not in text


def test_pinned_post_of_a_community_is_marked_and_docs_are_documents() -> None:
    page = parse_wall(load_mjs(FOODSHARING_2020))
    assert [i.pinned for i in page.items] == [True] + [False] * 9
    pinned = page.items[0].post
    assert pinned.url == "https://vk.com/wall-109125816_519471"
    assert (pinned.views, pinned.likes, pinned.comments, pinned.reposts) == (8887, 146, 104, 92)
    assert "[club109125816|" not in pinned.text and "Фудшеринг Отдам даром еду" in pinned.text
    assert page.items[1].post.media == ("document",)
    assert page.items[1].post.views is None  # the 2020 items have no views


def test_extended_2025_member_posts_link_to_the_community_wall() -> None:
    page = parse_wall(load_python_literal(COMMUNITY_2025, "vk_wall_response"))
    assert [i.post_id for i in page.items] == [868, 867, 866, 865, 864]
    assert all(i.post.url.startswith("https://vk.com/wall-33438842_") for i in page.items)


@pytest.mark.parametrize(("name", "expected"), [
    ("vknet_wall_get_extended_repost_copy_history_profiles_groups.json",
     ("", ("photo",), "https://vk.com/wall-29246653_93530")),
    ("vknet_wall_get_geo.json", (None, ("poll",), "https://vk.com/wall-42895313_128")),
    ("vknet_wall_get_repost_photos_list_null.json",
     ("Закрыл стол! 130000 тыс, чуть больше месяца.", ("photo",), "https://vk.com/wall91781360_2569")),
])
def test_old_reposts(name: str, expected: tuple[str | None, tuple[str, ...], str]) -> None:
    post = parse_wall(load_json(name)).items[0].post
    text, media, original = expected
    if text is not None:
        assert post.text == text
    else:
        assert post.text.startswith("Мы оформляем храм")
    assert (post.media, post.repost_of) == (media, original)


@pytest.mark.parametrize(("name", "media"), [
    ("vknet_wall_get_document.json", ("document",)),
    ("vknet_wall_article_attachment.json", ("link",)),
    ("vknet_wall_podcast_attachment.json", ("photo", "audio")),
    ("vknet_wall_get_poll.json", ()),
])
def test_attachment_kinds(name: str, media: tuple[str, ...]) -> None:
    post = parse_wall(load_json(name)).items[0].post
    assert post.media == media
    assert post.repost_of is None


def test_error_envelope_is_not_taken_for_a_wall() -> None:
    with pytest.raises(VkParseError, match="ошибка 15"):
        parse_wall(load_json("vknet_error_15_access_denied.json"))


def test_execute_with_null_response_pairs_every_call_with_an_error() -> None:
    outcomes = split_execute(load_json("vknet_execute_errors_response_null.json"), 2)
    assert outcomes == [VkCallError(1, "Unknown error occured", "messages.removeChatUser"),
                        VkCallError(935, "User not found in chat", "messages.removeChatUser")]


def test_resolve_screen_name_answers() -> None:
    assert parse_resolved(load_json("vknet_utils_resolvescreenname_group.json")) == ("group", 10639516)
    assert parse_resolved(load_json("vknet_utils_resolvescreenname_user.json")) == ("user", 186085938)
    assert parse_resolved(load_json("vknet_utils_resolvescreenname_user_id1.json")) == ("user", 1)
    assert parse_resolved({"response": []}) is None


def test_groups_get_by_id_old_list_and_5_199_object() -> None:
    old = parse_groups(load_json("vknet_groups_getbyid_multiple_all_fields.json"))
    assert {k: v["is_closed"] for k, v in old.items()} == {17683660: 0, 637247: 1}
    new = parse_groups({"response": load_python_literal(COMMUNITY_2025, "vk_group_example")})
    assert new[33438842]["screen_name"] == "vladimirskilager29760"


# -- answers built here ---------------------------------------------------------------


def test_missing_optional_fields_give_none_metrics_and_no_media() -> None:
    page = parse_wall({"count": 1, "items": [{"id": 7, "owner_id": -215, "date": 1_726_000_000, "text": ""}]})
    post = page.items[0].post
    assert (post.views, post.likes, post.reposts, post.comments, post.media, post.repost_of) == \
        (None, None, None, None, (), None)
    assert post.text == ""


def test_chain_of_reposts_points_at_the_original_and_joins_texts() -> None:
    chain = [item(40, owner_id=-300, text="Делимся новостью управления образования"),
             item(12, owner_id=-400, text="В школе №3 открылся центр «Точка роста»",
                  attachments=[{"type": "clip", "clip": {}}, {"type": "audio", "audio": {}}])]
    post = parse_wall({"response": {"count": 1, "items": [item(90, text="Гордимся!", copy_history=chain)]}}) \
        .items[0].post
    assert post.repost_of == "https://vk.com/wall-400_12"
    assert post.text == ("Гордимся!\n\nДелимся новостью управления образования\n\n"
                         "В школе №3 открылся центр «Точка роста»")
    assert post.media == ("video", "audio")


def test_entities_are_decoded_and_external_link_markup_reduced() -> None:
    text = "Проект &quot;Успех каждого ребёнка&quot;: [https://edu.gov.ru|подробнее] и [club1|наш лицей]"
    post = parse_wall({"count": 1, "items": [item(5, text=text)]}).items[0].post
    assert post.text == "Проект \"Успех каждого ребёнка\": подробнее и наш лицей"


def test_item_without_date_is_skipped_with_a_note() -> None:
    page = parse_wall({"count": 2, "items": [{"id": 3, "owner_id": -215, "text": "без даты"}, item(4)]})
    assert [i.post_id for i in page.items] == [4]
    assert page.notes == ["запись стены без id или даты пропущена"]


def test_execute_false_takes_the_next_execute_error() -> None:
    envelope = {"response": [{"count": 1, "items": [item(8)]}, False, {"count": 0, "items": []}],
                "execute_errors": [{"method": "wall.get", "error_code": 15, "error_msg": "Access denied"}]}
    outcomes = split_execute(envelope, 3)
    assert outcomes[1] == VkCallError(15, "Access denied", "wall.get")
    answers, problems = wall_responses(envelope)
    assert len(answers) == 2
    assert problems == ["вызов №2 в execute не выполнен (wall.get): ошибка 15 — Access denied"]


def test_execute_with_wrong_number_of_results_is_an_error() -> None:
    with pytest.raises(VkParseError):
        split_execute({"response": [False]}, 2)
