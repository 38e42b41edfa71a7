"""Normalisation keeps a map back to the original text."""

from __future__ import annotations

import re

from matching.hashtags import split_hashtag
from matching.normalize import normalize

VOCAB = frozenset({"нацпроект", "нацпроекты", "образование", "молодежь", "и", "дети", "точка", "роста"})


def _words(original: str) -> list[tuple[str, str]]:
    norm = normalize(original, VOCAB)
    out = []
    for m in re.finditer(r"\w+", norm.text):
        a, b = norm.to_original(*m.span())
        out.append((m.group(), original[a:b]))
    return out


def test_case_yo_quotes_and_dashes_are_folded() -> None:
    norm = normalize("«Всё лучшее ДЕТЯМ» — “Россия – страна возможностей”")
    assert norm.text == '"все лучшее детям" - "россия - страна возможностей"'


def test_html_entities_decoded_and_mapped_back() -> None:
    original = "проекта &laquo;Точка&nbsp;роста&raquo;"
    norm = normalize(original)
    assert norm.text == 'проекта "точка роста"'
    start = norm.text.index('"')
    a, b = norm.to_original(start, len(norm.text))
    assert original[a:b] == "&laquo;Точка&nbsp;роста&raquo;"


def test_word_hyphenated_across_a_line_break_is_joined() -> None:
    assert ("национального", "нацио-\nнального") in _words("в рамках нацио-\nнального проекта")


def test_hashtags_split_by_case_underscore_digits_and_dictionary() -> None:
    words = [w for w, _ in _words("#НацпроектМолодежьИДети #Нацпроект_Образование #НацПроекты38 #нацпроектобразование")]
    assert words == ["нацпроект", "молодежь", "и", "дети", "нацпроект", "образование", "нац", "проекты", "38",
                     "нацпроект", "образование"]


def test_hashtag_words_point_to_their_letters_in_the_original() -> None:
    assert ("дети", "Дети") in _words("#НацпроектМолодежьИДети")
    assert ("роста", "роста") in _words("#точкароста")


def test_unknown_glued_hashtag_stays_whole() -> None:
    assert split_hashtag("заларинскийрайон", VOCAB) == ((0, 16),)


def test_emoji_and_line_breaks_do_not_shift_offsets() -> None:
    original = "🎉🎉 Было\r\nстало 👉 «Точка роста»"
    norm = normalize(original)
    i = norm.text.index("точка")
    a, b = norm.to_original(i, i + len("точка роста"))
    assert original[a:b] == "Точка роста"
