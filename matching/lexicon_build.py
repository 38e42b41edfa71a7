"""Turning the raw YAML sections into a checked Lexicon."""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any

from matching.lexicon import (
    PERIODS,
    FormatCues,
    GeneralCue,
    Lexicon,
    NationalProject,
    NearCue,
    Programme,
    Topic,
    _Builder,
)
from matching.patterns import FirstOf, split_alternation
from matching.records import FORMATS


def build_lexicon(b: _Builder) -> Lexicon:
    for key in ("general_label", "national_projects", "federal_projects", "general", "campaign", "formats"):
        if key not in b.data:
            raise b.fail(key, f"в словаре нет обязательного раздела «{key}»")
    projects = _projects(b)
    names = {p.name for p in projects}
    general = _general(b, names)
    camp = b.data["campaign"]
    if not isinstance(camp, dict):
        raise b.fail("campaign", "раздел «campaign» должен быть словарём")
    return Lexicon(
        general_label=str(b.data["general_label"]),
        projects=projects,
        programmes=_programmes(b),
        general=general,
        programme_context=b.regex("programme_context", b.data.get("programme_context"), None),
        state_programme_context=b.regex("state_programme_context", b.data.get("state_programme_context"), None),
        state_programme_after=b.regex("state_programme_after", b.data.get("state_programme_after"), None),
        historical_before=b.regex("historical_before", b.data.get("historical_before"), None),
        historical_marker=b.regex("historical_marker", b.data.get("historical_marker"), None),
        historical_post=b.regex("historical_post", b.data.get("historical_post"), None),
        foreign_cues=b.regex("foreign_cues", b.data.get("foreign_cues"), None),
        not_national_before=b.regex("not_national_before", b.data.get("not_national_before"), None),
        not_national_after=b.regex("not_national_after", b.data.get("not_national_after"), None),
        hashtag_vocabulary=frozenset(
            w.lower().replace("ё", "е")
            for w in b.strings("hashtag_vocabulary", b.data.get("hashtag_vocabulary"), None, "hashtag_vocabulary")
        ),
        campaign_hashtags=tuple(
            h.lower().replace("ё", "е").lstrip("#") for h in b.strings("campaign", camp.get("hashtags"), camp, "hashtags")
        ),
        campaign_phrases=tuple(b.regex("campaign", p, camp) for p in b.strings("campaign", camp.get("phrases"), camp, "phrases")),
        campaign_near_general=b.regex("campaign", camp.get("near_general"), camp),
        campaign_near_window=int(camp.get("near_window", 5)),
        campaign_strong_period=b.regex("campaign", camp.get("strong_period"), camp),
        campaign_weak_period=b.regex("campaign", camp.get("weak_period"), camp),
        formats=_formats(b),
        topics=_topics(b),
    )


def _projects(b: _Builder) -> tuple[NationalProject, ...]:
    section = "national_projects"
    raw = b.data[section]
    if not isinstance(raw, list) or not raw:
        raise b.fail(section, "раздел «national_projects» должен быть непустым списком")
    out: list[NationalProject] = []
    seen: set[str] = set()
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise b.fail(section, "у национального проекта должно быть поле name", item)
        if item["name"] in seen:
            raise b.fail(section, f"национальный проект «{item['name']}» указан дважды", item)
        seen.add(item["name"])
        if item.get("period") not in PERIODS:
            raise b.fail(section, f"period должен быть одним из: {', '.join(PERIODS)}", item)
        aliases = b.strings(section, item.get("aliases"), item, "aliases")
        if not aliases:
            raise b.fail(section, f"у «{item['name']}» нет aliases", item)
        out.append(NationalProject(item["name"], item["period"], aliases, bool(item.get("standalone", False)),
                                   bool(item.get("priority_namesake", False))))
    return tuple(out)


def _programmes(b: _Builder) -> tuple[Programme, ...]:
    section = "federal_projects"
    raw = b.data[section]
    if not isinstance(raw, list) or not raw:
        raise b.fail(section, "раздел «federal_projects» должен быть непустым списком")
    out: list[Programme] = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise b.fail(section, "у федерального проекта должно быть поле name", item)
        kind = item.get("kind", "federal_project")
        mode = item.get("mode", "name")
        if kind not in ("federal_project", "programme"):
            raise b.fail(section, "kind должен быть federal_project или programme", item)
        if mode not in ("name", "brand"):
            raise b.fail(section, "mode должен быть name или brand", item)
        belongs = item.get("belongs_to") or {}
        if not isinstance(belongs, dict) or any(k not in PERIODS for k in belongs):
            raise b.fail(section, "belongs_to: ключи — периоды 2019–2024 и 2025+", item)
        ctx = item.get("context_before")
        year = item.get("requires_year_from")
        if year is not None and not isinstance(year, int):
            raise b.fail(section, "requires_year_from должен быть числом (годом)", item)
        out.append(
            Programme(
                name=item["name"],
                kind=kind,
                mode=mode,
                aliases=b.strings(section, item.get("aliases"), item, "aliases"),
                exact_aliases=b.strings(section, item.get("exact_aliases"), item, "exact_aliases"),
                belongs_to=tuple((str(k), str(v)) for k, v in belongs.items()),
                quoted=bool(item.get("quoted", True)),
                capitalized=bool(item.get("capitalized", True)),
                hashtag=bool(item.get("hashtag", True)),
                context_before=b.regex(section, ctx, item) if ctx is not None else None,
                requires_year_from=year,
                patterns=tuple(_anchored(b, section, src, item)
                               for src in b.strings(section, item.get("patterns"), item, "patterns")),
                exclude_sentence=b.regex(section, item["exclude_sentence"], item) if item.get("exclude_sentence") else None,
                recorded=bool(item.get("recorded", True)),
                requires_post=b.regex(section, item["requires_post"], item) if item.get("requires_post") else None,
                weak_context_before=(b.regex(section, item["weak_context_before"], item)
                                     if item.get("weak_context_before") else None),
            )
        )
    return tuple(out)


_LITERAL_START_RE = re.compile(r"[^\W\d_]{2,}")


def _anchored(b: _Builder, section: str, source: str, item: Any) -> Any:
    """A spelling-variant pattern must begin with literal letters (the prefilter's anchor)."""
    if not _LITERAL_START_RE.match(source):
        raise b.fail(section, f"шаблон «{source}» должен начинаться хотя бы с двух букв (по ним работает предфильтр)", item)
    return b.regex(section, r"(?<![\w])" + source, item)


def _general(b: _Builder, names: set[str]) -> tuple[GeneralCue, ...]:
    section = "general"
    raw = b.data[section]
    if not isinstance(raw, list) or not raw:
        raise b.fail(section, "раздел «general» должен быть непустым списком")
    out: list[GeneralCue] = []
    for item in raw:
        if not isinstance(item, dict):
            raise b.fail(section, "элемент раздела «general» должен быть словарём с pattern", item)
        only = b.strings(section, item.get("only"), item, "only")
        unknown = [n for n in only if n not in names]
        if unknown:
            raise b.fail(section, f"в only неизвестные национальные проекты: {', '.join(unknown)}", item)
        out.append(
            GeneralCue(
                pattern=b.regex(section, item.get("pattern"), item),
                requires_name=bool(item.get("requires_name", False)),
                case_sensitive=item.get("case_sensitive"),
                only=only,
            )
        )
    return tuple(out)


def _formats(b: _Builder) -> tuple[FormatCues, ...]:
    section = "formats"
    raw = b.data[section]
    if not isinstance(raw, dict):
        raise b.fail(section, "раздел «formats» должен быть словарём")
    out: list[FormatCues] = []
    for name, item in raw.items():
        if name not in FORMATS:
            raise b.fail(section, f"неизвестный формат «{name}»; допустимы: {', '.join(FORMATS)}", raw)
        if not isinstance(item, dict):
            raise b.fail(section, f"формат «{name}» должен быть словарём", raw)
        groups: list[tuple[Any, ...]] = []
        for group in item.get("sentence") or []:
            if not isinstance(group, list) or not group:
                raise b.fail(section, f"sentence формата «{name}» — список групп шаблонов", item)
            groups.append(tuple(b.regex(section, p, item) for p in group))
        near: list[NearCue] = []
        for cue in item.get("near") or []:
            if not isinstance(cue, dict) or not isinstance(cue.get("window"), int):
                raise b.fail(section, f"near формата «{name}»: нужны first, second и window (число)", item)
            blocked = b.strings(section, cue.get("blocked"), cue, "blocked")
            near.append(NearCue(b.regex(section, cue.get("first"), cue), b.regex(section, cue.get("second"), cue),
                                cue["window"], frozenset(blocked)))
        extra = MappingProxyType({
            key: b.regex(section, value, item)
            for key, value in item.items()
            if key not in ("any", "sentence", "exclude", "near", "triggers")
        })
        out.append(
            FormatCues(
                name=name,
                any=_combined(b, section, item, b.strings(section, item.get("any"), item, "any")),
                sentence=tuple(groups),
                exclude=b.regex(section, item["exclude"], item) if item.get("exclude") else None,
                near=tuple(near),
                triggers=b.strings(section, item.get("triggers"), item, "triggers"),
                extra=extra,
            )
        )
    return tuple(out)


def _topics(b: _Builder) -> tuple[Topic, ...]:
    section = "topics"
    out: list[Topic] = []
    for item in b.data.get(section) or []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise b.fail(section, "у темы должно быть поле name", item)
        patterns = b.strings(section, item.get("all_of"), item, "all_of")
        if not patterns:
            raise b.fail(section, f"у темы «{item['name']}» нет all_of", item)
        triggers = b.strings(section, item.get("triggers"), item, "triggers")
        if not triggers:
            raise b.fail(section, f"у темы «{item['name']}» нет triggers (подстрок для предфильтра)", item)
        unless = b.regex(section, item["unless"], item) if item.get("unless") else None
        also = tuple(tuple(group.split("|")) for group in b.strings(section, item.get("also"), item, "also"))
        never = b.regex(section, item["never"], item) if item.get("never") else None
        out.append(Topic(item["name"], tuple(_first_of(b, section, p, item) for p in patterns), triggers, unless, also,
                         never))
    return tuple(out)


def _first_of(b: _Builder, section: str, source: str, item: Any) -> Any:
    """A topic pattern that is one group of choices is searched choice by choice (FirstOf)."""
    compiled = b.regex(section, source, item)  # report a bad pattern as written
    branches = split_alternation(source)
    return FirstOf(source, branches) if branches is not None else compiled


def _combined(b: _Builder, section: str, item: Any, sources: tuple[str, ...]) -> tuple[Any, ...]:
    """The `any` patterns, each compiled on its own: `re` scans for a pattern's own first letters
    fast, and one alternation of them all measured two to three times slower than the separate
    searches (natmon-matcher/1.2 benchmark)."""
    return tuple(b.regex(section, src, item) for src in sources)
