"""The report form (xlsx): the draft a person checks and the final one sent to the regional centre.

The layout comes from a template (`templates/report_template.xlsx` or the user's own, see
`reports.xlsx_template`). The draft holds the `explicit` publications of the period (and
near misses a person confirmed) with a status drop-down, near misses on their own sheet,
other channels with blank rows to add to, a sheet of silent institutions and failed channels,
and hidden metadata for the import. The summary counts are formulas (reports.form_summary);
every sheet prints on A4 landscape, one page wide, with words whole (reports.make_template).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from reports import ReportError
from reports import form_summary
from reports.coverage import failing_channels, per_channel
from reports.data import CHANNEL_KINDS, OTHER, TEXT_NEAR, TEXT_NONE, CampaignData
from reports.form_gaps import Gaps, write_gaps
from reports.highlight import phrases, safe_href
from reports.labels import (
    FORMAT_LABELS,
    STATUS_CHOICES,
    channel_label,
    join_labels,
    kind_label,
    status_label,
)
from reports.make_template import NEAR as NEAR_LAYOUT
from reports.make_template import OTHER as OTHER_LAYOUT
from reports.make_template import OTHER_ID, print_setup, set_widths, write_headings, write_marker_row
from reports.meta import Meta, write_meta
from reports.periods import DATE_FORMAT, DEFAULT_RULE, BoundaryRule, Period
from reports.xlsx_template import (
    Block,
    add_choice,
    fill_sheet,
    find_markers,
    fit_row_heights,
    hide_columns,
    open_template,
    release,
    save_workbook,
    widen_for_words,
)

DEFAULT_TEMPLATE = Path(__file__).parent / "templates" / "report_template.xlsx"
BLANK_OTHER_ROWS = 10  # empty numbered rows in the draft for other channels
TEXT_EXCERPT = 300
DEFAULTS = {
    "rows": ("n", "institution", "kind", "channel", "date", "url", "projects", "campaign", "formats", "views",
             "status", "comment", "post_id"),
    "near_rows": ("n", "institution", "kind", "channel", "date", "url", "projects", "phrases", "text", "status",
                  "comment", "post_id"),
    "other_rows": ("n", "institution", "channel", "date", "url", "description", "entry_id"),
}
HEADINGS = {"n": "№", "institution": "Учреждение", "kind": "Тип", "channel": "Канал", "date": "Дата",
            "url": "Ссылка", "projects": "Национальные проекты", "campaign": "Кампания", "formats": "Формат",
            "views": "Просмотры", "status": "Статус проверки", "comment": "Комментарий",
            "post_id": "ID публикации (не менять)", "phrases": "Что сработало", "text": "Текст (начало)",
            "description": "Описание", "entry_id": "ID записи (не менять)"}
HIDDEN_FIELDS = ("post_id", "entry_id")
STATUS_PROMPT = "Подтвердите или отклоните публикацию"
PLACEHOLDERS = ("region", "municipality", "authority", "period", "period_start", "period_end", "deadline", "date",
                "campaign", "recipient", "responsible", "institutions_total", "institutions_covering",
                *(f"posts_{kind}" for kind in (*CHANNEL_KINDS, OTHER)), "posts_total", "views_total")


@dataclass(slots=True)
class FormContent:
    """What goes into one municipality's form for one period."""

    municipality: str
    authority: str
    period: Period
    register: pd.DataFrame  # posts (reports.data.POST_COLUMNS)
    near: pd.DataFrame | None  # None in the final form
    manual: pd.DataFrame
    institutions_total: int
    blank_other_rows: int


def draft_content(data: CampaignData, municipality: str, period: Period) -> FormContent:
    m_id = data.municipality_id(municipality)
    posts = data.posts(period, m_id, text=TEXT_NEAR)  # the near-miss sheet shows the start of their text
    posts = posts[posts["period"] == period.index]
    register = posts[(posts["label"] == "explicit") | (posts["decision"] == "confirmed")]
    near = posts[(posts["label"] == "implicit") & (posts["decision"] != "confirmed")]
    return _content(data, m_id, period, register, near, BLANK_OTHER_ROWS)


def final_content(data: CampaignData, municipality: str, period: Period) -> tuple[FormContent, pd.DataFrame]:
    """The confirmed content and the pending rows (explicit, no decision) that block the final form."""
    m_id = data.municipality_id(municipality)
    posts = data.posts(period, m_id, text=TEXT_NONE)
    posts = posts[posts["period"] == period.index]
    pending = posts[(posts["label"] == "explicit") & posts["decision"].isna()]
    return _content(data, m_id, period, posts[posts["decision"] == "confirmed"], None, 0), pending


def _content(data: CampaignData, m_id: int, period: Period, register: pd.DataFrame, near: pd.DataFrame | None,
             blanks: int) -> FormContent:
    institutions = data.institutions_of(m_id)
    name = str(institutions["municipality"].iloc[0])
    manual = data.manual[(data.manual["municipality_id"] == m_id) & (data.manual["period"] == period.index)]
    return FormContent(name, data.registry.municipality(name).authority, period, register.reset_index(drop=True),
                       None if near is None else near.reset_index(drop=True), manual.reset_index(drop=True),
                       len(institutions), blanks)


def values_for(content: FormContent, data: CampaignData, today: date) -> dict[str, Any]:
    counted = content.register[content.register["decision"] != "rejected"]
    manual = content.manual
    covering = set(counted["institution_id"]) | {int(i) for i in manual["institution_id"].dropna()}
    views = counted["views"].dropna()
    period = content.period
    posts = {f"posts_{kind}": count for kind, count in per_channel(counted, manual).items()}
    return {"region": data.registry.region, "municipality": content.municipality, "authority": content.authority,
            "period": f"{period.label} ({period.span})", "period_start": f"{period.start_date:{DATE_FORMAT}}",
            "period_end": f"{period.end_date:{DATE_FORMAT}}", "deadline": f"{period.deadline:{DATE_FORMAT}}",
            "date": f"{today:{DATE_FORMAT}}", "campaign": data.campaign.name, "recipient": data.campaign.recipient_name,
            "responsible": "", "institutions_total": content.institutions_total, "institutions_covering": len(covering),
            **posts, "posts_total": sum(posts.values()), "views_total": int(views.sum()) if len(views) else None}


def _link(url: str) -> Any:
    href = safe_href(url)
    return (url, href) if href else url


_RECORD_COLUMNS = ["institution", "kind", "channel", "local_date", "url", "projects", "campaign", "formats", "views",
                   "decision", "review_comment", "post_id"]
_NEAR_COLUMNS = [*_RECORD_COLUMNS, "title", "text", "evidence"]


def post_records(frame: pd.DataFrame, near: bool = False) -> list[dict[str, Any]]:
    records = []
    shown = frame[_NEAR_COLUMNS if near else _RECORD_COLUMNS]  # only what a row shows is turned into dicts
    for n, row in enumerate(shown.to_dict("records"), start=1):
        record = {"n": n, "institution": row["institution"], "kind": kind_label(row["kind"]),
                  "channel": channel_label(row["channel"]), "date": row["local_date"], "url": _link(row["url"]),
                  "projects": join_labels(row["projects"]), "campaign": "да" if row["campaign"] else "",
                  "formats": join_labels(row["formats"], FORMAT_LABELS),
                  "views": None if pd.isna(row["views"]) else int(row["views"]),
                  "status": status_label(row["decision"]), "comment": row["review_comment"] or "",
                  "post_id": int(row["post_id"])}
        if near:
            text = " ".join(str(row["title"] or "").split() + str(row["text"] or "").split())
            record["phrases"] = ", ".join(phrases(row["evidence"]))
            record["text"] = text[:TEXT_EXCERPT] + ("…" if len(text) > TEXT_EXCERPT else "")
        records.append(record)
    return records


def other_records(manual: pd.DataFrame, blanks: int) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = [
        {"n": n, "institution": row["institution"], "channel": row["channel"], "date": row["published_on"],
         "url": _link(row["url"]) if row["url"] else "", "description": row["description"],
         "entry_id": int(row["entry_id"])}
        for n, row in enumerate(manual.to_dict("records"), start=1)]
    records += [{"n": len(records) + i} for i in range(1, blanks + 1)]
    return records


def _ensure_sheets(wb: Any, sheets: list[Any], with_near: bool) -> list[Any]:
    """A user template (`sheets`) without a near-miss or other-channel block gets a default sheet for it in `wb`."""
    present = {name for ws in sheets for name in find_markers(ws, DEFAULTS)}
    added = []
    extra = [("other_rows", "Другие каналы", [*OTHER_LAYOUT, OTHER_ID])]
    if with_near:
        extra.append(("near_rows", "Под вопросом", NEAR_LAYOUT))
    for marker, title, layout in extra:
        if marker in present:
            continue
        taken = {sheet.title for sheet in sheets} | set(wb.sheetnames)
        ws = wb.create_sheet(title if title not in taken else f"{title} (natmon)")
        write_headings(ws, 1, layout)
        write_marker_row(ws, 2, layout, marker)
        set_widths(ws, layout)
        ws.freeze_panes = "A2"
        print_setup(ws, "1:1")
        added.append(ws)
    return added


def gaps(content: FormContent, data: CampaignData) -> Gaps:
    """Institutions with nothing counted in the form and the municipality's failing channels."""
    m_id = data.municipality_id(content.municipality)
    counted = content.register[content.register["decision"] != "rejected"]
    covering = set(counted["institution_id"]) | {int(i) for i in content.manual["institution_id"].dropna()}
    institutions = data.institutions_of(m_id)
    channels = data.channels_of(m_id)
    channels = channels[channels["enabled"].astype(bool)]
    enabled = set(zip(channels["institution_id"], channels["channel"]))  # (institution, kind) with an enabled channel
    silent = [{"institution": row.institution, "kind": kind_label(row.kind),
               "channels": ", ".join(channel_label(k) for k in CHANNEL_KINDS
                                     if (row.institution_id, k) in enabled) or "нет"}
              for row in institutions.itertuples() if row.institution_id not in covering]
    failing = [{"institution": row.institution, "channel": channel_label(row.channel), "address": row.address,
                "reason": row.last_error, "failures": int(row.consecutive_failures or 0),
                "last_success": _local_day(row.last_success, data)}
               for row in failing_channels(data, m_id).itertuples()]
    return Gaps(silent, failing)


def _local_day(moment: Any, data: CampaignData) -> date | None:
    if moment is None or pd.isna(moment):
        return None
    stamp = pd.Timestamp(moment)
    return (stamp if stamp.tzinfo else stamp.tz_localize("UTC")).tz_convert(data.registry.timezone).date()


def write_form(content: FormContent, data: CampaignData, path: Path, kind: str, today: date,
               template: Path | None = None, rule: BoundaryRule = DEFAULT_RULE) -> Path:
    """Fill the template with a form's content and save it with its metadata."""
    source = Path(template) if template else DEFAULT_TEMPLATE
    try:
        wb, sheets = open_template(source)
    except (OSError, InvalidFileException, BadZipFile, KeyError, ValueError) as exc:
        raise ReportError(f"Не удалось открыть шаблон {source}: {exc}. Нужен файл .xlsx") from exc
    blocks_data = {"rows": post_records(content.register),
                   "near_rows": post_records(content.near, near=True) if content.near is not None else [],
                   "other_rows": other_records(content.manual, content.blank_other_rows)}
    values = values_for(content, data, today)
    unknown: list[str] = []
    blocks: list[Block] = []
    lone: list[tuple[str, str, int, int]] = []
    try:
        added = _ensure_sheets(wb, sheets, with_near=content.near is not None)  # reads every sheet's markers first
    except ReportError as exc:
        raise ReportError(f"В шаблоне {source}: {exc}") from exc
    for ws in [*sheets, *added]:
        written = fill_sheet(wb, ws, values, blocks_data, DEFAULTS, HEADINGS, unknown, lone)
        if content.near is None and any(b.marker == "near_rows" for b in written):
            wb.remove(wb[ws.title])  # the final form has no near misses
            continue
        out = wb[ws.title]
        visible = {c for b in written for name, c in b.columns.items() if name not in HIDDEN_FIELDS}
        for block in written:
            hide_columns(out, block, HIDDEN_FIELDS, keep=visible)
            widen_for_words(out, block)
            fit_row_heights(out, block)
            if kind == "draft" and block.marker in ("rows", "near_rows"):
                add_choice(out, block, "status", STATUS_CHOICES, STATUS_PROMPT)
        blocks.extend(written)
    if unknown:
        raise ReportError(f"В шаблоне {source} неизвестные поля: {'; '.join(unknown)}. "
                          f"Допустимы: {', '.join('{{' + name + '}}' for name in PLACEHOLDERS)}")
    if not any(b.marker == "rows" for b in blocks):
        raise ReportError(f"В шаблоне {source} нет строки с {{{{rows}}}} в первой ячейке: "
                          "некуда вставить публикации")
    form_summary.apply(wb, lone, blocks)
    period = content.period
    write_gaps(wb, gaps(content, data), f"{content.municipality}, отчёт {period.label} (период {period.span})", today)
    statuses = {int(r["post_id"]): (r["status"], r["comment"]) for r in blocks_data["rows"] + blocks_data["near_rows"]}
    write_meta(wb, Meta(kind, data.registry.region, data.campaign.id, content.municipality,
                        period.deadline.isoformat(), period.start_date.isoformat(), period.end_date.isoformat(),
                        datetime.now(timezone.utc).isoformat(timespec="seconds"), rule.value, statuses=statuses),
               blocks)
    wb.active = 0
    try:
        return save_workbook(wb, path)
    finally:
        release(wb)


__all__ = ["FormContent", "draft_content", "final_content", "write_form", "values_for", "post_records",
           "DEFAULT_TEMPLATE", "DEFAULTS", "HEADINGS", "PLACEHOLDERS", "BLANK_OTHER_ROWS"]
