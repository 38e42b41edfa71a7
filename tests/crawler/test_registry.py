"""sources.yaml: every problem reported at once, with file, line and field, in Russian."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.registry import SourcesError, load, loads, warnings

DATA = Path(__file__).parent.parent / "data" / "registry"


def test_good_registry_reads_every_form_of_address():
    registry = load(DATA / "good.yaml")
    assert registry.region == "Иркутская область"
    assert str(registry.timezone) == "Asia/Irkutsk"
    channels = {(c.kind, c.address): c for _, _, c in registry.channels()}
    assert set(channels) == {("website", "https://sosh1-zima.example.ru"), ("vk", "club123"),
                             ("telegram", "sosh1_zima"), ("website", "http://ds2.example.ru"), ("vk", "club456"),
                             ("vk", "uslon_school"), ("telegram", "uslon_school")}
    assert channels[("vk", "club456")].enabled is False
    assert channels[("website", "http://ds2.example.ru")].options["selectors"] == {"item": ".news", "title": "h3"}
    campaign = registry.campaign(None, today=__import__("datetime").date(2025, 2, 1))
    assert campaign.id == "itogi-np-2025" and len(campaign.deadlines) == 6
    assert campaign.recipient_email == "centre@example.org"


@pytest.fixture(scope="module")
def broken() -> SourcesError:
    with pytest.raises(SourcesError) as info:
        load(DATA / "broken.yaml")
    return info.value


def test_every_marked_line_is_reported_at_once(broken):
    marked = {number for number, line in enumerate((DATA / "broken.yaml").read_text().splitlines(), start=1)
              if "# BAD" in line}
    reported = {problem.line for problem in broken.problems}
    assert marked <= reported
    assert len(broken.problems) >= len(marked)


@pytest.mark.parametrize("line, field, words", [
    (4, "region.timezone", "неизвестный часовой пояс «Asia/Irkutsk_Typo»"),
    (6, "settings.vk_token", "только переменными окружения"),
    (7, "settings.speed", "неизвестная настройка"),
    (12, "campaigns[0].end", "конец кампании раньше её начала"),
    (13, "campaigns[0].deadlines[1]", "ожидается дата в виде ГГГГ-ММ-ДД, получено «2025-13-01»"),
    (19, "municipalities[0].institutions[0].kind", "неизвестный тип «schol»"),
    (21, "municipalities[0].institutions[0].channels[0].website", "адрес VK: укажите его как «vk: …»"),
    (22, "municipalities[0].institutions[0].channels[1].telegram", "не похоже на имя канала Telegram"),
    (23, "municipalities[0].institutions[0].channels[2].vk", "страница пользователя, а не сообщества"),
    (24, "municipalities[0].institutions[0].channels[3]", "ровно один из ключей"),
    (29, "municipalities[0].institutions[1].channels[0].telegram", "ссылка-приглашение"),
    (34, "vk", "канал club5 уже указан у «г. Зима / Школа № 2»"),
    (35, "municipalities[1].name", "муниципалитет «г. Зима» описан дважды"),
])
def test_each_error_names_line_field_and_reason(broken, line, field, words):
    matching = [p for p in broken.problems if p.line == line and p.field == field]
    assert matching, f"no problem reported at line {line}, field {field}"
    assert words in matching[0].message
    rendered = broken.render()
    assert f"broken.yaml, строка {line}, поле «{field}»: " in rendered


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("region:\n  name: [не закрыто\n  timezone: Asia/Irkutsk\n", encoding="utf-8")
    with pytest.raises(SourcesError) as info:
        load(path)
    assert info.value.problems[0].line in (2, 3)
    assert "sources.yaml, строка" in info.value.render()


def test_repeated_key_is_reported(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("region:\n  name: A\n  name: B\n", encoding="utf-8")
    with pytest.raises(SourcesError, match="повторяется"):
        load(path)


def _big_registry(tmp_path: Path) -> Path:
    """20 municipalities of 25 schools with three channels each."""
    lines = ["region: {name: Область, timezone: Asia/Irkutsk}", "campaigns:",
             "- {id: c, name: К, start: 2025-01-10, end: 2025-03-31, deadlines: [2025-01-24]}", "municipalities:"]
    for m in range(20):
        lines += [f"- name: Район {m}", "  institutions:"]
        for i in range(25):
            n = m * 25 + i
            lines += [f"  - name: Школа {n}", "    kind: school", "    channels:",
                      f"    - website: https://s{n}.example.ru", f"    - vk: club{100000 + n}",
                      f"    - telegram: tg_school_{n}"]
    path = tmp_path / "sources.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_big_registry_is_read_without_holding_the_whole_files_tree(tmp_path):
    """Each municipality becomes records as soon as it is read: the moment's peak stays near what the
    registry keeps (the whole tree of mappings first took three times as much)."""
    import tracemalloc

    path = _big_registry(tmp_path)
    tracemalloc.start()
    try:
        registry = load(path)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(list(registry.channels())) == 1500 and registry.municipalities[19].institutions[24].name == "Школа 499"
    assert peak < 2 * kept


def test_a_packed_registry_keeps_the_same_records_in_a_fraction_of_the_memory(tmp_path):
    """A report works one municipality at a time: packed, the registry keeps each municipality's
    institutions compressed and gives them back unchanged when asked."""
    import tracemalloc
    import urllib.parse

    path = _big_registry(tmp_path)
    kept = {}
    for packed in (False, True):
        urllib.parse.clear_cache()  # the addresses' parsing cache is the same for both: not what is compared
        tracemalloc.start()
        try:
            registry = load(path, packed=packed)
            kept[packed] = (registry, tracemalloc.get_traced_memory()[0])
        finally:
            tracemalloc.stop()
    (full, full_bytes), (packed, packed_bytes) = kept[False], kept[True]
    assert all(m.institutions == () for m in packed.municipalities)
    assert [m.all_institutions() for m in packed.municipalities] == [m.institutions for m in full.municipalities]
    assert [(i, c) for _, i, c in packed.channels()] == [(i, c) for _, i, c in full.channels()]
    assert [(m.name, m.authority, m.line) for m in packed.municipalities] == \
        [(m.name, m.authority, m.line) for m in full.municipalities]
    assert packed_bytes * 2 < full_bytes  # 0.9 MB against 30 MB at 20,000 institutions (fixed costs weigh here)


def test_a_packed_registry_reports_every_problem_as_the_plain_one(broken):
    with pytest.raises(SourcesError) as info:
        load(DATA / "broken.yaml", packed=True)
    assert info.value.render() == broken.render()


def test_a_channel_listed_in_two_municipalities_is_found_in_a_packed_registry(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("region: {name: Область, timezone: Asia/Irkutsk}\n"
                    "campaigns:\n- {id: c, name: К, start: 2025-01-10, end: 2025-03-31, deadlines: [2025-01-24]}\n"
                    "municipalities:\n"
                    "- name: Зима\n  institutions:\n  - {name: Школа, kind: school, channels: [{vk: club7}]}\n"
                    "- name: Саянск\n  institutions:\n  - {name: Лицей, kind: school, channels: [{vk: club7}]}\n",
                    encoding="utf-8")
    with pytest.raises(SourcesError) as info:
        load(path, packed=True)
    assert [(p.line, p.field) for p in info.value.problems] == [(10, "vk")]
    assert "канал club7 уже указан у «Зима / Школа»" in info.value.problems[0].message


def test_problems_keep_their_order_when_municipalities_come_first(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("municipalities:\n"
                    "  - name: Зима\n"
                    "    institutions:\n"
                    "      - {name: Школа, kind: dacha}\n"
                    "  - name: зима\n"
                    "    institutions: []\n"
                    "region: {name: Область, timezone: Nowhere/City}\n"
                    "campaigns: []\n", encoding="utf-8")
    with pytest.raises(SourcesError) as info:
        load(path)
    assert [(p.line, p.field) for p in info.value.problems] == [
        (7, "region.timezone"), (8, "campaigns"), (4, "municipalities[0].institutions[0].kind"),
        (5, "municipalities[1].name")]
    assert "неизвестный тип «dacha»" in info.value.problems[2].message
    assert "муниципалитет «зима» описан дважды" in info.value.problems[3].message


def test_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(SourcesError, match="--sources"):
        load(tmp_path / "nope.yaml")


def test_not_utf8_is_reported(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_bytes("region:\n  name: Иркутская\n".encode("cp1251"))
    with pytest.raises(SourcesError, match="UTF-8"):
        load(path)


def test_utf8_is_checked_across_the_whole_of_a_big_file(tmp_path):
    """The check reads the file in pieces: a letter cut by a piece's edge is still a letter, and a
    wrong byte far into the file is still found."""
    good = (DATA / "good.yaml").read_bytes()
    pad = 65535 - len(b"# ")  # «ж» (two bytes) begins on the last byte of the first 64 KB piece
    padded = b"# " + b"a" * pad + "ж\n".encode("utf-8") + good
    path = tmp_path / "sources.yaml"
    path.write_bytes(padded)
    assert load(path).region == "Иркутская область"
    path.write_bytes(padded + "# Иркутск\n".encode("cp1251"))
    with pytest.raises(SourcesError, match="UTF-8"):
        load(path)


def test_repository_sources_yaml_is_valid():
    registry = load(Path(__file__).parent.parent.parent / "sources.yaml")
    assert str(registry.timezone) == "Asia/Irkutsk"
    assert len(registry.municipalities) == 42
    campaign = registry.campaigns[0]
    assert campaign.name == "Итоги реализации нацпроектов"
    assert [d.isoformat() for d in campaign.deadlines] == [
        "2025-01-13", "2025-01-24", "2025-02-10", "2025-02-21", "2025-03-10", "2025-03-24"]
    assert (campaign.start.isoformat(), campaign.end.isoformat()) == ("2025-01-10", "2025-03-31")


@pytest.mark.parametrize("setting, words", [
    ("per_host_delay: много", "недопустимое значение «много»"),
    ("concurrency: -3", "не может быть отрицательным"),
    ("host_delays: [t.me]", "например {t.me: 1.0}"),
    ("host_delays: {t.me: быстро}", "например {t.me: 1.0}"),
])
def test_bad_setting_values_are_reported_with_their_line(tmp_path, setting, words):
    text = (DATA / "good.yaml").read_text(encoding="utf-8").replace("per_host_delay: 0.5", setting)
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError) as info:
        load(path)
    assert f"sources.yaml, строка 6, поле «settings.{setting.split(':')[0]}»: " in info.value.render()
    assert words in info.value.render()


def test_good_setting_values_pass(tmp_path):
    text = (DATA / "good.yaml").read_text(encoding="utf-8").replace(
        "per_host_delay: 0.5", "per_host_delay: 0.5\n  host_delays: {t.me: 0.4}\n  obey_robots: true")
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    assert load(path).settings["host_delays"] == {"t.me": 0.4}


def test_check_warns_of_what_later_commands_need_without_refusing(tmp_path):
    text = (DATA / "good.yaml").read_text(encoding="utf-8")
    assert warnings(loads(text, tmp_path / "sources.yaml")) == []
    text = text.replace("email: centre@example.org", "").replace("authority: Управление образования", 'authority: ""')
    found = "\n".join(warnings(loads(text, tmp_path / "sources.yaml")))
    assert "не указан адрес получателя отчётов (campaigns[].recipient.email)" in found
    assert "natmon report send" in found
    assert "sources.yaml, строка 19: у муниципалитета «г. Зима» не указан орган управления образованием" in found
