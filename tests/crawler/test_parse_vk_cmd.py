"""`natmon parse vk FILE.json` on real and built VK API answers."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from crawler.commands.parse_vk import register

DATA = Path(__file__).resolve().parents[1] / "data" / "vk"


def run(*args: str) -> tuple[int, list[dict[str, object]], str]:
    app = typer.Typer()
    register(app)

    @app.callback()
    def parse() -> None:
        """The `parse` group, as the lead builds it."""

    result = CliRunner().invoke(app, ["vk", *args])
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, lines, result.stderr


def test_raw_envelope_prints_one_line_per_post() -> None:
    code, posts, err = run(str(DATA / "wallget_response_user_wall_2023_video_copyhistory_nextfrom_compact.json"))
    assert code == 0 and len(posts) == 20
    assert posts[0] == {**posts[0], "id": "1136", "url": "https://vk.com/wall236298625_1136",
                        "date": "2023-03-29T07:47:30+00:00", "views": 457, "likes": 41, "media": ["video"],
                        "repost": None}
    repost = next(p for p in posts if p["id"] == "1119")
    assert repost["repost"] == "https://vk.com/wall-50028217_889"
    assert "записей — 20" in err


def test_unwrapped_response_and_execute_answer(tmp_path: Path) -> None:
    wall = {"count": 1, "items": [{"id": 12, "owner_id": -215, "date": 1_726_000_000,
                                   "text": "В школе №3 открыт «Точка роста»", "likes": {"count": 4}}]}
    unwrapped = tmp_path / "wall.json"
    unwrapped.write_text(json.dumps(wall, ensure_ascii=False), encoding="utf-8")
    code, posts, _ = run(str(unwrapped))
    assert code == 0 and [(p["id"], p["likes"], p["text"]) for p in posts] == [("12", 4, wall["items"][0]["text"])]

    execute = tmp_path / "execute.json"
    execute.write_text(json.dumps({"response": [wall, False], "execute_errors": [
        {"method": "wall.get", "error_code": 15, "error_msg": "Access denied"}]}), encoding="utf-8")
    code, posts, err = run(str(execute))
    assert code == 0 and len(posts) == 1
    assert "вызов №2 в execute не выполнен (wall.get): ошибка 15" in err


def test_execute_with_null_response_lists_its_errors() -> None:
    code, posts, err = run(str(DATA / "vknet_execute_errors_response_null.json"))
    assert code == 0 and posts == []
    assert "ошибка 935 — User not found in chat" in err


def test_error_envelope_exits_2_naming_the_file() -> None:
    code, posts, err = run(str(DATA / "vknet_error_5_auth_failed.json"))
    assert code == 2 and posts == []
    assert "vknet_error_5_auth_failed.json" in err and "ошибка 5" in err


def test_broken_json_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"response":\n  {"count": 1,,}\n}', encoding="utf-8")
    code, _, err = run(str(broken))
    assert code == 2 and "broken.json, строка 2" in err


def test_missing_file_and_foreign_json(tmp_path: Path) -> None:
    assert run(str(tmp_path / "nope.json"))[0] == 2
    other = tmp_path / "other.json"
    other.write_text('{"ok": true}', encoding="utf-8")
    code, _, err = run(str(other))
    assert code == 2 and "не похож" in err
