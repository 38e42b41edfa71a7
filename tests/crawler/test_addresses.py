"""Every form of channel address users paste comes out in one normal form."""

from __future__ import annotations

import pytest

from crawler.addresses import AddressError, guess_kind, normalize_telegram, normalize_vk, normalize_website


@pytest.mark.parametrize("raw, expected", [
    ("sh4-irkutsk-r138.gosweb.gosuslugi.ru", "https://sh4-irkutsk-r138.gosweb.gosuslugi.ru"),
    ("https://School.Example.RU/", "https://school.example.ru"),
    ("http://ds2.example.ru/novosti/", "http://ds2.example.ru/novosti"),
    ("https://example.ru:443/a", "https://example.ru/a"),
    ("http://127.0.0.1:8080/sites/a", "http://127.0.0.1:8080/sites/a"),
])
def test_website_forms(raw, expected):
    assert normalize_website(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("https://vk.com/club123", "club123"), ("vk.com/public123", "club123"), ("club123", "club123"),
    ("public123", "club123"), ("123", "club123"), ("-123", "club123"), ("https://vk.ru/Sosh_1", "sosh_1"),
    ("sosh_1", "sosh_1"), ("https://m.vk.com/event77", "club77"), ("@sosh.zima", "sosh.zima"),
])
def test_vk_forms(raw, expected):
    assert normalize_vk(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("@School_4", "school_4"), ("t.me/school_4", "school_4"), ("https://t.me/s/school_4", "school_4"),
    ("https://telegram.me/school_4/", "school_4"), ("school_4", "school_4"),
])
def test_telegram_forms(raw, expected):
    assert normalize_telegram(raw) == expected


@pytest.mark.parametrize("normalize, raw, reason", [
    (normalize_website, "https://vk.com/club1", "адрес VK"),
    (normalize_website, "ftp://example.ru", "http://"),
    (normalize_website, "not a site", "не похоже"),
    (normalize_vk, "https://vk.com/id5", "пользователя"),
    (normalize_vk, "https://ok.ru/group/1", "не адрес VK"),
    (normalize_telegram, "https://t.me/+AbCdEf", "приглашение"),
    (normalize_telegram, "@ab", "не похоже"),
])
def test_bad_addresses_say_why(normalize, raw, reason):
    with pytest.raises(AddressError, match=reason):
        normalize(raw)


def test_guess_kind():
    assert [guess_kind(a) for a in ("@x_school", "vk.com/club1", "https://t.me/x", "ok.ru/group/5", "a.ru")] == [
        "telegram", "vk", "telegram", "ok", "website"]
