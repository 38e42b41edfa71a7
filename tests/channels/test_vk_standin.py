"""The VK API stand-in answers with the envelopes the real API sends."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from typing import Any

from channels.vk_parse import parse_groups, parse_resolved, parse_wall, split_execute
from crawler.demo.vk_standin import VkStandin, parse_execute_code, serve_vk

TOKEN = "stand-in-token"


def items(owner: int, ids: list[int], pinned: int | None = None) -> list[dict[str, Any]]:
    return [{"id": i, "owner_id": owner, "date": 1_726_000_000 + i, "text": f"Запись {i}",
             **({"is_pinned": 1} if i == pinned else {})} for i in ids]


def standin(**options: Any) -> VkStandin:
    groups = {"school5": {"id": 5, "name": "Школа №5", "screen_name": "school5", "is_closed": 0, "type": "group"},
              "lyceum7": {"id": 7, "name": "Лицей №7", "screen_name": "lyceum7", "is_closed": 2, "type": "group"},
              "petrov": {"id": 42, "type": "user"}}
    options.setdefault("rps_limit", None)
    return VkStandin({-5: items(-5, [9, 8, 3, 2, 1], pinned=3), -7: items(-7, [1])}, groups, **options)


def call(handler: VkStandin, method: str, **params: Any) -> dict[str, Any]:
    return handler.handle(method, {"access_token": TOKEN, "v": "5.199", **{k: str(v) for k, v in params.items()}})


def test_wall_get_pages_with_offset_and_puts_the_pinned_post_first() -> None:
    handler = standin()
    first = call(handler, "wall.get", owner_id=-5, count=2)
    assert [i.post_id for i in parse_wall(first).items] == [3, 9] and first["response"]["count"] == 5
    assert [i["id"] for i in call(handler, "wall.get", owner_id=-5, offset=2, count=2)["response"]["items"]] == [8, 2]


def test_errors_have_the_api_shape_without_the_token() -> None:
    answer = call(standin(), "wall.get", owner_id=-7)
    assert set(answer) == {"error"}
    assert answer["error"]["error_code"] == 15 and answer["error"]["error_msg"].startswith("Access denied")
    assert {"key": "owner_id", "value": "-7"} in answer["error"]["request_params"]
    assert TOKEN not in json.dumps(answer)


def test_resolve_and_groups_get_by_id_in_the_5_199_form() -> None:
    handler = standin()
    assert parse_resolved(call(handler, "utils.resolveScreenName", screen_name="School5")) == ("group", 5)
    assert parse_resolved(call(handler, "utils.resolveScreenName", screen_name="petrov")) == ("user", 42)
    assert call(handler, "utils.resolveScreenName", screen_name="nobody") == {"response": []}
    answer = call(handler, "groups.getById", group_ids="5,7,999")
    assert set(answer["response"]) == {"groups", "profiles"} and sorted(parse_groups(answer)) == [5, 7]
    assert call(handler, "groups.getById", group_ids="999")["error"]["error_code"] == 100


def test_execute_runs_each_call_and_reports_failures_as_false() -> None:
    code = ('return [API.wall.get({"owner_id":-5,"count":1}),API.wall.get({"owner_id":-7,"count":1}),'
            'API.utils.resolveScreenName({"screen_name":"school5"})];')
    answer = call(standin(), "execute", code=code)
    assert answer["response"][1] is False
    assert answer["execute_errors"] == [{"method": "wall.get", "error_code": 15,
                                         "error_msg": "Access denied: this wall available only for community members"}]
    outcomes = split_execute(answer, 3)
    assert outcomes[0]["count"] == 5 and outcomes[2] == {"type": "group", "object_id": 5}


def test_limits_tokens_and_service_keys() -> None:
    handler = standin(rps_limit=2, daily_quota=3, valid_tokens={TOKEN, "service"}, service_tokens={"service"})
    codes = [call(handler, "wall.get", owner_id=-5).get("error", {}).get("error_code") for _ in range(3)]
    assert codes == [None, None, 6]
    handler.rps_limit = None
    code = 'return [API.wall.get({"owner_id":-5}),API.wall.get({"owner_id":-5})];'
    answer = call(handler, "execute", code=code)  # the quota counts each wall.get inside execute
    assert answer["response"][1] is False and answer["execute_errors"][0]["error_code"] == 29
    assert handler.handle("wall.get", {"access_token": "other", "owner_id": "-5"})["error"]["error_code"] == 5
    assert handler.handle("execute", {"access_token": "service", "code": code})["error"]["error_code"] == 28


def test_parse_execute_code_rejects_other_forms() -> None:
    assert parse_execute_code('var a = API.wall.get({"owner_id":-1}); return a;') is None
    assert parse_execute_code('return [API.wall.get({"text":"скобка ) и запятая ,"})];') == \
        [("wall.get", {"text": "скобка ) и запятая ,"})]


def test_server_answers_post_forms_and_get_queries() -> None:
    handler = standin()
    server, base_url = serve_vk(handler)
    try:
        body = urllib.parse.urlencode({"owner_id": "-5", "count": "1", "access_token": TOKEN}).encode()
        with urllib.request.urlopen(urllib.request.Request(base_url + "wall.get", data=body)) as response:
            assert json.load(response)["response"]["items"][0]["id"] == 3
        with urllib.request.urlopen(base_url + "utils.resolveScreenName?screen_name=school5") as response:
            assert json.load(response) == {"response": {"type": "group", "object_id": 5}}
    finally:
        server.shutdown()
        server.server_close()
