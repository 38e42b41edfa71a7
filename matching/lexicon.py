"""Loading and checking the lexicon (YAML data in matching/data/)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from matching.errors import LexiconError
from matching.patterns import compile_pattern, literal_start

DEFAULT_LEXICON_DIR = Path(__file__).parent / "data"
PERIODS: tuple[str, ...] = ("2019–2024", "2025+")


@dataclass(slots=True, frozen=True)
class NationalProject:
    name: str
    period: str  # "2019–2024" or "2025+": which set it belongs to
    aliases: tuple[str, ...]
    standalone: bool
    priority_namesake: bool = False  # a 2006–2018 priority project had this name too


@dataclass(slots=True, frozen=True)
class Programme:
    """A federal project, or a programme or brand that belongs to a national project."""

    name: str
    kind: str  # "federal_project" | "programme"
    mode: str  # "name" | "brand"
    aliases: tuple[str, ...]
    exact_aliases: tuple[str, ...]
    belongs_to: tuple[tuple[str, str], ...]
    quoted: bool
    capitalized: bool
    hashtag: bool
    context_before: re.Pattern[str] | None
    requires_year_from: int | None
    patterns: tuple[re.Pattern[str], ...] = ()  # spelling variants, searched on the normalised text
    exclude_sentence: re.Pattern[str] | None = None  # a sentence that matches is about something else
    weak_context_before: re.Pattern[str] | None = None
    recorded: bool = True  # listed in Match.federal_projects; if not, the post is implicit by topic
    requires_post: re.Pattern[str] | None = None  # the post must speak of this somewhere (a school for a school programme)


@dataclass(slots=True, frozen=True)
class GeneralCue:
    pattern: re.Pattern[str]
    requires_name: bool
    case_sensitive: str | None
    only: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class NearCue:
    """Two words within `window` words of each other in one sentence.

    `second` may stand before `first` only if the word before it is not in `blocked`
    («в школах открыты объединения» is not «школа открыта»)."""

    first: re.Pattern[str]
    second: re.Pattern[str]
    window: int
    blocked: frozenset[str]


@dataclass(slots=True, frozen=True)
class FormatCues:
    name: str
    any: tuple[re.Pattern[str], ...]
    sentence: tuple[tuple[re.Pattern[str], ...], ...]
    exclude: re.Pattern[str] | None
    near: tuple[NearCue, ...]
    triggers: tuple[str, ...]
    extra: Mapping[str, re.Pattern[str]]  # format-specific named patterns, by name (read-only)


@dataclass(slots=True, frozen=True)
class Topic:
    name: str
    all_of: tuple[re.Pattern[str], ...]
    triggers: tuple[str, ...]  # literal substrings for the prefilter
    unless: re.Pattern[str] | None = None  # a post that matches is about something else
    # groups of literal substrings: the post must contain one of every group (besides a trigger)
    also: tuple[tuple[str, ...], ...] = ()
    # a post that matches is about something else, whatever money it names (a state programme)
    never: re.Pattern[str] | None = None

    def may_match(self, text: str) -> bool:
        """The cheap literal test before the patterns run."""
        return any(t in text for t in self.triggers) and all(any(a in text for a in group) for group in self.also)

    def may_match_words(self, present: set[str] | frozenset[str]) -> bool:
        """`may_match` when the substrings a text holds are known (a set holding at least the triggers)."""
        return not present.isdisjoint(self.triggers) and all(any(a in present for a in group) for group in self.also)


@dataclass(slots=True, frozen=True)
class Lexicon:
    """Everything the matcher knows, as loaded from YAML."""

    general_label: str
    projects: tuple[NationalProject, ...]
    programmes: tuple[Programme, ...]
    general: tuple[GeneralCue, ...]
    programme_context: re.Pattern[str]
    state_programme_context: re.Pattern[str]
    state_programme_after: re.Pattern[str]
    historical_before: re.Pattern[str]
    historical_marker: re.Pattern[str]
    historical_post: re.Pattern[str]
    foreign_cues: re.Pattern[str]
    not_national_before: re.Pattern[str]
    not_national_after: re.Pattern[str]  # «национальный проект нашей семьи»: a metaphor
    hashtag_vocabulary: frozenset[str]
    campaign_hashtags: tuple[str, ...]
    campaign_phrases: tuple[re.Pattern[str], ...]
    campaign_near_general: re.Pattern[str]
    campaign_near_window: int
    campaign_strong_period: re.Pattern[str]
    campaign_weak_period: re.Pattern[str]
    formats: tuple[FormatCues, ...]
    topics: tuple[Topic, ...]

    @property
    def priority_namesakes(self) -> frozenset[str]:
        return frozenset(p.name for p in self.projects if p.priority_namesake)

    def canonical_project(self, name: str) -> str:
        """The lexicon's name of a national project given by its name or any alias («Малое и среднее
        предпринимательство и поддержка индивидуальной предпринимательской инициативы» → «Малое и среднее
        предпринимательство»); an unknown name as it is."""
        key = _name_key(name)
        for p in self.projects:
            if key == _name_key(p.name) or any(key == _name_key(a) for a in p.aliases):
                return p.name
        return name

    def canonical_programme(self, name: str) -> str:
        """The lexicon's name of a federal project or programme given by its name or any alias."""
        key = _name_key(name)
        for p in self.programmes:
            if key == _name_key(p.name) or any(key == _name_key(a) for a in p.aliases):
                return p.name
        return name

    def project_period(self, name: str) -> str | None:
        """Which set a national project belongs to: "2019–2024", "2025+" (None if unknown)."""
        for p in self.projects:
            if p.name == name:
                return p.period
        return None


def _name_key(name: str) -> str:
    """A name compared without case, ё or the spacing of its words."""
    return " ".join(name.lower().replace("ё", "е").split())


@dataclass(slots=True, frozen=True)
class Lookups:
    """Look-ups derived from a lexicon, built once (hashing the whole lexicon per post would cost more)."""

    standalone: frozenset[str]  # national projects whose names count on their own
    programmes: dict[str, Programme]  # by name
    general_starts: tuple[str, ...]  # the literal letters each general cue begins with
    priority_namesakes: frozenset[str]
    # every programme's spelling-variant pattern with the literal letters it begins with
    variants: tuple[tuple[str, re.Pattern[str]], ...] = ()


_LOOKUPS: dict[int, tuple[Lexicon, Lookups]] = {}


def lookups(lex: Lexicon) -> Lookups:
    got = _LOOKUPS.get(id(lex))
    if got is None or got[0] is not lex:
        got = (lex, Lookups(
            standalone=frozenset(p.name for p in lex.projects if p.standalone),
            programmes={p.name: p for p in lex.programmes},
            general_starts=tuple(literal_start(c.pattern.pattern.removeprefix("(?<![\\w])")) for c in lex.general),
            priority_namesakes=lex.priority_namesakes,
            variants=tuple((literal_start(pattern.pattern.removeprefix("(?<![\\w])")), pattern)
                           for p in lex.programmes for pattern in p.patterns),
        ))
        _LOOKUPS[id(lex)] = got
    return got[1]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping."""


class _Map(dict):  # type: ignore[type-arg]
    line: int = 0


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> _Map:
    result = _Map(loader.construct_mapping(node, deep=True))
    result.line = node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Load a lexicon from a directory of YAML files (merged) or from one YAML file."""
    path = Path(path) if path is not None else DEFAULT_LEXICON_DIR
    if path.is_dir():
        files = sorted(path.glob("*.yaml"))
        if not files:
            raise LexiconError("в папке нет файлов *.yaml словаря", path)
    elif path.is_file():
        files = [path]
    else:
        raise LexiconError("файл или папка словаря не найдены", path)
    data: dict[str, Any] = {}
    origin: dict[str, Path] = {}
    for file in files:
        part = _read(file)
        for key, value in part.items():
            if key in data:
                raise LexiconError(f"раздел «{key}» уже задан в {origin[key]}", file, getattr(part, "line", None))
            data[key] = value
            origin[key] = file
    return _build(data, origin, path)


def _read(file: Path) -> _Map:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"не удалось прочитать файл словаря ({exc})", file) from exc
    try:
        loaded = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise LexiconError(f"ошибка синтаксиса YAML: {getattr(exc, 'problem', exc)}", file, line) from exc
    if loaded is None:
        return _Map()
    if not isinstance(loaded, dict):
        raise LexiconError("верхний уровень файла словаря должен быть словарём разделов", file, 1)
    return loaded if isinstance(loaded, _Map) else _Map(loaded)


class _Builder:
    def __init__(self, data: dict[str, Any], origin: dict[str, Path], root: Path) -> None:
        self.data = data
        self.origin = origin
        self.root = root

    def fail(self, section: str, message: str, node: Any = None) -> LexiconError:
        return LexiconError(message, self.origin.get(section, self.root), getattr(node, "line", None))

    def regex(self, section: str, value: Any, node: Any, flags: int = 0) -> re.Pattern[str]:
        if not isinstance(value, str) or not value:
            raise self.fail(section, "ожидалось регулярное выражение (строка)", node)
        try:
            return compile_pattern(value, flags)  # type: ignore[return-value]
        except re.error as exc:
            raise self.fail(section, f"неверное регулярное выражение «{value}»: {exc}", node) from exc

    def strings(self, section: str, value: Any, node: Any, what: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(section, f"«{what}» должен быть списком непустых строк", node)
        return tuple(v.strip() for v in value)


def _build(data: dict[str, Any], origin: dict[str, Path], root: Path) -> Lexicon:
    from matching.lexicon_build import build_lexicon  # small split to keep modules short

    return build_lexicon(_Builder(data, origin, root))
