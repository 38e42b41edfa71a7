"""YAML read into plain values whose mappings remember their lines, straight from the event stream.

`yaml.load` first builds a node for every scalar of the file and only then the values: for a
region of 20,000 institutions that tree took 190 MB for a moment. Reading PyYAML's events
(libyaml's parser when it is there) builds the values directly, so memory follows the values
alone. Scalars are resolved and constructed by PyYAML's safe constructor, as `yaml.safe_load`
would; anchors, aliases and `<<` merges work as there.

A caller may also fold the items of one top-level list as they are read (`Fold`): the registry
turns each municipality into its records at once, so the tree of the whole file never exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LinedMap(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    __slots__ = ("line", "key_lines")

    def __init__(self, line: int = 1) -> None:
        super().__init__()
        self.line: int = line
        self.key_lines: dict[Any, int] = {}


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


def _timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """A date as PyYAML reads it, or the raw text when it is no real date (2025-13-01)."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_MERGE_TAG = "tag:yaml.org,2002:merge"
_MERGE = object()  # the `<<` key


# PyYAML's (and libyaml's) problem texts in Russian, with what to check; the line comes from the mark
PROBLEMS: tuple[tuple[str, str], ...] = (
    (r"did not find expected ',' or '\]'", "список в квадратных скобках не закрыт: нет «,» или «]»"),
    (r"did not find expected ',' or '\}'", "блок в фигурных скобках не закрыт: нет «,» или «}»"),
    (r"expected ',' or '\]', but got (.*)", r"список в квадратных скобках не закрыт: нет «,» или «]» (встретилось \1)"),
    (r"expected ',' or '\}', but got (.*)", r"блок в фигурных скобках не закрыт: нет «,» или «}» (встретилось \1)"),
    (r"mapping values are not allowed (?:here|in this context)",
     "двоеточие здесь не на месте: значение с «: » возьмите в кавычки или поставьте ключ на новую строку"),
    (r"found a tab character.*", "символ табуляции: отступы в YAML делаются только пробелами"),
    (r"found character (?:'(.*)' )?that cannot start any token",
     "значение не может начинаться с символа «{char}»; возьмите значение в кавычки"),
    (r"found unexpected end of stream", "файл кончился внутри кавычек: закройте кавычку"),
    (r"did not find expected '-' indicator", "ожидался элемент списка «- …» с тем же отступом, что у соседних"),
    (r"did not find expected key", "отступ не совпадает с соседними строками блока (или ключ без «: »)"),
    (r"could not find expected ':'", "нет двоеточия после ключа"),
    (r"found unknown escape character.*", "неизвестная последовательность с «\\» внутри двойных кавычек; "
                                          "возьмите значение в одинарные кавычки"),
    (r"found undefined alias(?: '(.*)')?", r"неизвестная ссылка *\1"),
    (r"expected <block end>, but found (.*)", r"отступ не совпадает с соседними строками блока (встретилось \1)"),
    (r"block sequence entries are not allowed in this context",
     "элемент списка «- » здесь не на месте: проверьте отступ"),
    (r"found duplicate anchor.*", "метка «&» повторяется"),
    (r"control characters are not allowed", "в файле есть управляющие символы: сохраните его как обычный текст"),
)


def explain(exc: yaml.MarkedYAMLError, source: str = "") -> str:
    """The problem of a YAML syntax error in Russian (natmon's own problems are Russian already)."""
    problem = exc.problem or "ошибка синтаксиса YAML"
    char = _char_at(source, exc.problem_mark)
    if char == "\t":
        return "символ табуляции: отступы в YAML делаются только пробелами"
    for pattern, russian in PROBLEMS:
        translated, count = re.subn(pattern, russian.replace("{char}", char), problem)
        if count:
            return translated
    if re.search("[a-z]{3}", problem):
        return f"ошибка синтаксиса YAML ({problem}); проверьте отступы, двоеточия и кавычки в этой строке"
    return problem


def _char_at(source: str, mark: Any) -> str:
    lines = source.splitlines()
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


@dataclass(slots=True, frozen=True)
class Fold:
    """Each item of the list under the top-level `key` is replaced, as soon as it is read, by
    `fold(item, index, key_line)` (key_line: the 1-based line of `key`)."""

    key: str
    fold: Callable[[Any, int, int], Any]


def load_lined(source: str | bytes, fold: Fold | None = None) -> Any:
    """The single document of `source` (text or UTF-8 bytes; None when empty); raises yaml.MarkedYAMLError."""
    loader = _Loader(source)
    try:
        anchors: dict[str, Any] = {}
        stack: list[tuple[Any, Any]] = []  # (container, pending key or its mark) being filled
        root: Any = None
        done = False
        folding: list[Any] | None = None  # the list whose items `fold` replaces
        fold_line = 0
        while not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentStartEvent, yaml.DocumentEndEvent)):
                if isinstance(event, yaml.DocumentStartEvent) and done:
                    raise yaml.MarkedYAMLError("в файле", None, "ожидался один документ YAML, а их несколько",
                                               event.start_mark)
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                value, _ = stack.pop()
            elif isinstance(event, yaml.MappingStartEvent):
                stack.append((LinedMap(event.start_mark.line + 1), None))
                _remember(anchors, event, stack[-1][0])
                continue
            elif isinstance(event, yaml.SequenceStartEvent):
                if fold is not None and folding is None and len(stack) == 1 and isinstance(stack[0][1], tuple) \
                        and stack[0][1][0] == fold.key:
                    folding, fold_line = [], stack[0][1][1].line + 1
                    stack.append((folding, None))
                else:
                    stack.append(([], None))
                _remember(anchors, event, stack[-1][0])
                continue
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    raise yaml.MarkedYAMLError("в файле", None, f"неизвестная ссылка *{event.anchor}", event.start_mark)
                value = anchors[event.anchor]
            else:  # a scalar
                value = _scalar(loader, event)
                _remember(anchors, event, value)
            if not stack:
                root, done = value, True
            elif stack[-1][0] is folding and fold is not None:
                folding.append(fold.fold(value, len(folding), fold_line))
            else:
                _add(stack, value, event)
        return root
    finally:
        loader.dispose()


def _scalar(loader: _Loader, event: yaml.ScalarEvent) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == _MERGE_TAG:
        return _MERGE
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    constructor = loader.yaml_constructors.get(tag) or loader.yaml_constructors[None]
    return constructor(loader, node)


def _remember(anchors: dict[str, Any], event: Any, value: Any) -> None:
    if event.anchor is not None:
        anchors[event.anchor] = value


def _add(stack: list[tuple[Any, Any]], value: Any, event: Any) -> None:
    container, pending = stack[-1]
    if isinstance(container, list):
        container.append(value)
        return
    if pending is None:  # a key
        stack[-1] = (container, (value, event.start_mark))
        return
    key, mark = pending
    stack[-1] = (container, None)
    if key is _MERGE:  # merged keys never override the mapping's own (which have key_lines)
        for source in value if isinstance(value, list) else [value]:
            if isinstance(source, dict):
                for k, v in source.items():
                    if k not in container.key_lines:
                        container.setdefault(k, v)
        return
    try:
        repeated = key in container.key_lines
    except TypeError:
        raise yaml.MarkedYAMLError("в блоке", None, "ключом может быть только текст или число", mark) from None
    if repeated:
        raise yaml.MarkedYAMLError("в блоке", None, f"ключ «{key}» повторяется", mark)
    container[key] = value
    container.key_lines[key] = mark.line + 1
