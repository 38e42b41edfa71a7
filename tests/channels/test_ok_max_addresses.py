"""Одноклассники and MAX addresses in sources.yaml: the forms people paste, normalised once."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.addresses import AddressError, guess_kind, normalize_max, normalize_ok, normalize_website
from crawler.registry import SourcesError, loads


@pytest.mark.parametrize(("raw", "normal"), [
    ("https://ok.ru/group/70000001234567", "https://ok.ru/group/70000001234567"),
    ("ok.ru/group/70000001234567/topic/155000000000001", "https://ok.ru/group/70000001234567"),
    ("https://ok.ru/group70000001234567", "https://ok.ru/group/70000001234567"),
    ("https://m.ok.ru/Shkola4Zima/", "https://ok.ru/shkola4zima"),
    ("http://www.odnoklassniki.ru/shkola4zima", "https://ok.ru/shkola4zima"),
])
def test_ok_forms(raw: str, normal: str) -> None:
    assert normalize_ok(raw) == normal


@pytest.mark.parametrize(("raw", "words"), [
    ("https://ok.ru/profile/570000000001", "личный профиль"),
    ("https://ok.ru/dk?st.cmd=userMain", "не похоже"),
    ("https://vk.com/club1", "не адрес Одноклассников"),
    ("shkola4zima", "полный адрес"),
])
def test_ok_refusals(raw: str, words: str) -> None:
    with pytest.raises(AddressError, match=words):
        normalize_ok(raw)


@pytest.mark.parametrize(("raw", "normal"), [
    ("https://max.ru/Demo_Sosh4_gos", "demo_sosh4_gos"),
    ("max.ru/demo_sosh4_gos", "demo_sosh4_gos"),
    ("@demo_sosh4_gos", "demo_sosh4_gos"),
    ("-70000000000001", "-70000000000001"),
    ("https://web.max.ru/-70000000000001", "-70000000000001"),
])
def test_max_forms(raw: str, normal: str) -> None:
    assert normalize_max(raw) == normal


@pytest.mark.parametrize(("raw", "words"), [
    ("https://max.ru/join/AbCdEf", "ссылка-приглашение"),
    ("https://t.me/demo", "не адрес MAX"),
    ("школа", "не похоже"),
])
def test_max_refusals(raw: str, words: str) -> None:
    with pytest.raises(AddressError, match=words):
        normalize_max(raw)


def test_kinds_are_guessed_and_websites_refuse_social_addresses() -> None:
    assert guess_kind("https://ok.ru/group/1") == "ok" and guess_kind("https://max.ru/x_gos") == "max"
    for raw, key in (("https://ok.ru/group/1", "«ok: …»"), ("https://max.ru/x_gos", "«max: …»")):
        with pytest.raises(AddressError, match=key):
            normalize_website(raw)


REGISTRY = """region: {name: Область, timezone: Asia/Irkutsk}
campaigns:
  - {id: c, name: К, start: 2025-01-10, end: 2025-03-31, deadlines: [2025-03-24],
     recipient: {name: М, email: m@example.org}}
municipalities:
  - name: г. Зима
    authority: Управление образования
    institutions:
      - name: Школа № 1
        kind: school
        channels:
          - ok: https://ok.ru/group/70000001234567
          - max: https://max.ru/school1_gos
      - name: Школа № 2
        kind: school
        channels:
          - ok: https://ok.ru/profile/1
          - max: https://max.ru/join/x
"""


def test_registry_keeps_ok_and_max_channels_and_names_bad_lines(tmp_path: Path) -> None:
    with pytest.raises(SourcesError) as caught:
        loads(REGISTRY, tmp_path / "sources.yaml")
    problems = {(p.line, p.field.rsplit(".", 1)[1]) for p in caught.value.problems}
    assert problems == {(17, "ok"), (18, "max")}
    good = loads(REGISTRY.split("      - name: Школа № 2")[0], tmp_path / "sources.yaml")
    assert {(c.kind, c.address) for _, _, c in good.channels()} == {
        ("ok", "https://ok.ru/group/70000001234567"), ("max", "school1_gos")}
