"""sources.yaml is read from PyYAML's events: the same values as yaml.safe_load, plus lines."""

from __future__ import annotations

import pytest
import yaml

from crawler.yaml_lines import Fold, LinedMap, load_lined

DOCUMENTS = [
    "",
    "a: 1\nb: [1, 2.5, true, null, '3']\nc: {d: 2025-01-13, e: ~}\n",
    "region:\n  name: Иркутская область\n  timezone: Asia/Irkutsk\nlist:\n  - x\n  - {y: z}\n",
    "base: &b {per_host_delay: 2, contact: x}\nsettings:\n  <<: *b\n  contact: y\n",
    "defaults: &d [1, 2]\nagain: *d\n",
    "date: 2025-13-01\nstamp: 2025-01-10 10:00:00\nflag: yes\nnum: 0x1F\n",
    "- just\n- a list\n",
    "plain scalar\n",
]


@pytest.mark.parametrize("source", DOCUMENTS)
def test_values_are_those_of_safe_load(source):
    expected = yaml.safe_load(source) if "2025-13-01" not in source else None
    got = load_lined(source)
    if expected is not None or source == "":
        assert got == expected
    else:  # an impossible date stays text instead of failing the whole file
        assert got["date"] == "2025-13-01" and got["num"] == 31 and got["flag"] is True


def test_mappings_remember_their_lines_and_their_keys_lines():
    tree = load_lined("region:\n  name: X\n\nmunicipalities:\n  - name: Y\n    institutions: []\n")
    assert isinstance(tree, LinedMap) and tree.key_lines == {"region": 1, "municipalities": 4}
    assert tree["region"].line == 2 and tree["region"].key_lines == {"name": 2}
    assert tree["municipalities"][0].line == 5 and tree["municipalities"][0].key_lines["institutions"] == 6


def test_a_merge_never_overrides_the_mappings_own_keys():
    tree = load_lined("b: &b {x: 1, y: 2}\nm:\n  x: 0\n  <<: *b\n")
    assert tree["m"] == {"x": 0, "y": 2} and tree["m"].key_lines == {"x": 3}


def test_a_fold_replaces_each_item_of_its_list_while_the_file_is_read():
    seen: list[tuple[object, int, int, int]] = []
    source = ("m: &one {name: A}\n"
              "other: [x, {name: B}]\n"
              "\n"
              "items:\n"
              "  - {name: C}\n"
              "  - *one\n"
              "  - name: D\n"
              "    nested: [1, 2]\n"
              "after: {name: E}\n")

    def fold(item: object, index: int, key_line: int) -> str:
        seen.append((item, index, key_line, len(seen)))
        return f"folded {index}"

    tree = load_lined(source, Fold("items", fold))
    assert tree["items"] == ["folded 0", "folded 1", "folded 2"]
    assert [(item, index, line) for item, index, line, _ in seen] == [
        ({"name": "C"}, 0, 4), ({"name": "A"}, 1, 4), ({"name": "D", "nested": [1, 2]}, 2, 4)]
    assert seen[0][0].line == 5 and seen[2][0].key_lines == {"name": 7, "nested": 8}
    assert tree["other"] == ["x", {"name": "B"}] and tree["after"] == {"name": "E"}  # other lists untouched
    assert tree.key_lines["items"] == 4


@pytest.mark.parametrize(("source", "line", "words"), [
    ("a: 1\nb: 2\na: 3\n", 3, "ключ «a» повторяется"),
    ("a: *nowhere\n", 1, "*nowhere"),
    ("a: 1\n---\nb: 2\n", 2, "несколько"),
    ("? [1, 2]\n: x\n", 1, "только текст или число"),
    ("a: !!python/object:os.system x\n", 1, ""),
    ("a: [1, 2\nb: 3\n", None, ""),
])
def test_bad_yaml_is_a_marked_error_with_its_line(source, line, words):
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        load_lined(source)
    assert caught.value.problem_mark is not None
    if line is not None:
        assert caught.value.problem_mark.line + 1 == line
    assert words in str(caught.value.problem)
