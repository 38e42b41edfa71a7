"""`natmon match`: run the matcher on a text, on a JSON Lines file, or evaluate it."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any, TextIO

import typer

from matching import CampaignTerms, LexiconError, Match, Matcher, default_matcher
from matching.dates import publication_date
from matching.evaluate import Report, evaluate, gold_from_records
from matching.records import LABELS

LABEL_RU = {"explicit": "явное упоминание", "implicit": "косвенное упоминание", "none": "не относится"}
FORMAT_RU = {
    "success_story": "история успеха",
    "before_after": "было — стало",
    "people_helped": "сколько людей получили помощь",
    "object_built": "построенный или отремонтированный объект",
    "region_changed": "как изменился район или регион",
    "video": "видео",
}
FIELD_RU = {"title": "заголовок", "text": "текст"}
_MATCH_BATCH = 500  # records of a file matched together (a repeated post is decided once)

HELP = """Определить, упоминает ли пост национальные проекты.

Три режима: один текст (--text), файл JSON Lines (по одной записи с полями text и,
необязательно, id, title и датой публикации published_at или date на строку; «-» —
стандартный ввод) или оценка качества на размеченном файле (--eval; нужны поля label и
projects). Дата публикации решает, что считается: «Пушкинская карта» — с 2025 года.
Без даты решают годы, названные в тексте, а если их нет — сегодняшний день.

Примеры:

  natmon match --text "Ремонт выполнен по нацпроекту «Молодёжь и дети»"

  natmon match --text "Оформите Пушкинскую карту" --date 2025-02-01

  natmon match posts.jsonl > matches.jsonl

  cat posts.jsonl | natmon match -

  natmon match --eval tests/data/matching/posts-dev.jsonl
"""


class InputError(Exception):
    """Bad input file: the message is Russian and names the file and line."""


def register(app: typer.Typer) -> None:
    """Add the `match` command to the natmon app."""
    app.command("match", help=HELP)(match_command)


def match_command(
    file: str | None = typer.Argument(None, help="Файл JSON Lines с постами или «-» для стандартного ввода."),
    text: str | None = typer.Option(None, "--text", "-t", help="Текст поста для проверки."),
    title: str = typer.Option("", "--title", help="Заголовок поста (вместе с --text)."),
    published: str | None = typer.Option(None, "--date", help="Дата публикации (вместе с --text): 2025-02-01 или 01.02.2025."),
    eval_file: str | None = typer.Option(None, "--eval", help="Размеченный файл JSON Lines для оценки качества."),
    campaign_phrase: list[str] = typer.Option([], "--campaign-phrase", help="Ключевая фраза кампании (можно несколько раз)."),
    campaign_hashtag: list[str] = typer.Option([], "--campaign-hashtag", help="Хештег кампании (можно несколько раз)."),
) -> None:
    modes = sum(x is not None for x in (file, text, eval_file))
    if modes != 1:
        _fail("Укажите ровно одно: --text «текст», путь к файлу JSON Lines (или «-») либо --eval файл.")
    terms = CampaignTerms(tuple(campaign_phrase), tuple(campaign_hashtag)) if (campaign_phrase or campaign_hashtag) else None
    if published is not None and (text is None or publication_date(published) is None):
        _fail("--date задаётся вместе с --text в виде 2025-02-01 или 01.02.2025.")
    try:
        matcher = default_matcher()
        if text is not None:
            typer.echo(describe(matcher.match(title, text, campaign=terms, published=published)))
        elif eval_file is not None:
            records = list(_read_jsonl(eval_file, need=("text", "label")))
            predicted = matcher.match_many((_post_of(r) for r in records), terms)
            lex = matcher.lexicon
            report = evaluate(gold_from_records(records), predicted, lex.general_label, lex.canonical_project, lex.canonical_programme)
            typer.echo(format_report(report))
        else:
            assert file is not None
            batch: list[tuple[int, dict[str, Any]]] = []
            try:
                for i, record in enumerate(_read_jsonl(file, need=("text",)), 1):
                    batch.append((i, record))
                    if len(batch) == _MATCH_BATCH:
                        _print_matches(matcher, batch, terms)
                        batch = []
            finally:  # the lines read before a broken one are still answered
                _print_matches(matcher, batch, terms)
    except (InputError, LexiconError) as exc:
        _fail(str(exc))


def _print_matches(matcher: Matcher, batch: list[tuple[int, dict[str, Any]]], terms: CampaignTerms | None) -> None:
    """One JSON line per record, the records matched together (Matcher.match_many)."""
    for (i, record), m in zip(batch, matcher.match_many((_post_of(r) for _, r in batch), terms), strict=True):
        out: dict[str, Any] = {"id": record.get("id", i)}
        out.update(m.to_dict())
        typer.echo(json.dumps(out, ensure_ascii=False))


def _post_of(record: dict[str, Any]) -> tuple[str, str, str | None]:
    """A record as the matcher takes a post: title, text, publication date."""
    return str(record.get("title") or ""), str(record["text"]), _date_of(record)


def _date_of(record: dict[str, Any]) -> str | None:
    """The record's publication date (published_at, else date); an unreadable one counts as none."""
    for key in ("published_at", "date"):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _fail(message: str) -> None:
    typer.echo(f"Ошибка: {message}", err=True)
    raise typer.Exit(code=2)


def _read_jsonl(name: str, need: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    label = "стандартный ввод" if name == "-" else name
    stream: TextIO
    if name == "-":
        stream = sys.stdin
    else:
        try:
            stream = Path(name).open(encoding="utf-8")
        except OSError as exc:
            from crawler.cli_frame import file_error

            raise InputError(file_error(exc)) from exc
    with stream if name != "-" else nullcontext(stream):
        try:
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{label}, строка {number}: неверный JSON ({exc.msg}). Исправьте строку или удалите её.") from exc
                if not isinstance(record, dict):
                    raise InputError(f"{label}, строка {number}: ожидался объект JSON с полем text.")
                for key in need:
                    if key not in record:
                        raise InputError(f"{label}, строка {number}: нет обязательного поля «{key}».")
                if not isinstance(record["text"], str):
                    raise InputError(f"{label}, строка {number}: поле «text» должно быть строкой.")
                if "label" in need and record["label"] not in LABELS:
                    raise InputError(f"{label}, строка {number}: метка «{record['label']}» неизвестна; допустимы: {', '.join(LABELS)}.")
                yield record
        except UnicodeDecodeError as exc:
            raise InputError(f"{label}: файл не в кодировке UTF-8.") from exc


def describe(m: Match) -> str:
    """The decision in readable Russian."""
    lines = [f"Решение: {LABEL_RU[m.label]} ({m.label})"]
    lines.append("Нацпроекты: " + (", ".join(m.projects) if m.projects else "—"))
    lines.append("Федеральные проекты и программы: " + (", ".join(m.federal_projects) if m.federal_projects else "—"))
    lines.append("Кампания «Итоги реализации нацпроектов»: " + ("да" if m.campaign else "нет"))
    lines.append("Форматы: " + (", ".join(FORMAT_RU[f] for f in m.formats) if m.formats else "—"))
    if m.evidence:
        lines.append("Основания:")
        for e in m.evidence:
            lines.append(f"  «{e.phrase}» — {FIELD_RU.get(e.field, e.field)}, {e.start}–{e.end}, {e.kind}: {e.target}")
    lines.append(f"Версия матчера: {m.version}")
    return "\n".join(lines)


def format_lines(report: Report) -> list[str]:
    """Formats on explicit posts (issue #14's measure) and how often each format was missed or added."""
    if not report.formats_explicit_total:
        return []
    share = report.formats_explicit_exact / report.formats_explicit_total
    out = [f"Форматы на явных постах (явный в разметке и у матчера): совпали на {report.formats_explicit_exact} "
           f"из {report.formats_explicit_total} ({share:.3f})"]
    for name in sorted(report.formats_missed.keys() | report.formats_extra.keys()):
        out.append(f"  {name}: пропущен {report.formats_missed.get(name, 0)}, лишний {report.formats_extra.get(name, 0)}")
    return out


def format_report(report: Report) -> str:
    """Metrics, confusion matrix and misses in Russian."""
    out = [f"Постов: {report.total}", "", "Метка       точность  полнота  F1     в разметке  предсказано"]
    for label in LABELS:
        s = report.labels[label]
        out.append(f"{label:<11} {s.precision:8.3f} {s.recall:8.3f} {s.f1:6.3f} {s.support:11d} {s.predicted:12d}")
    out += ["", "Матрица ошибок (строки — разметка, столбцы — матчер):", " " * 11 + "".join(f"{p:>10}" for p in LABELS)]
    for g in LABELS:
        out.append(f"{g:<11}" + "".join(f"{report.confusion.get(g, {}).get(p, 0):>10}" for p in LABELS))
    out.append("")
    out.append(
        f"Набор нацпроектов угадан точно: {report.projects_exact} из {report.projects_total} явных постов "
        f"с конкретными проектами ({report.projects_accuracy:.3f}); среди всех явных: "
        f"{report.explicit_projects_exact} из {report.explicit_total}."
    )
    for key, name in (("federal_projects_exact", "федеральные проекты"), ("campaign_exact", "кампания"), ("formats_exact", "форматы")):
        if key in report.scores:
            out.append(f"Точное совпадение ({name}) при верной метке: {report.scores[key]:.3f}")
    out += format_lines(report)
    out.append("")
    if not report.misses:
        out.append("Промахов нет.")
    else:
        out.append(f"Промахи ({len(report.misses)}):")
        for miss in report.misses:
            gp = ", ".join(miss.gold_projects) or "—"
            pp = ", ".join(miss.predicted_projects) or "—"
            out.append(f"  {miss.id}: разметка {miss.gold_label} [{gp}], матчер {miss.predicted_label} [{pp}]")
            for e in miss.match.evidence:
                out.append(f"      «{e.phrase}» ({FIELD_RU.get(e.field, e.field)} {e.start}–{e.end}) {e.kind}: {e.target}")
            if not miss.match.evidence:
                out.append("      (оснований не найдено)")
    return "\n".join(out)
