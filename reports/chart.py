"""An inline SVG chart of relevant posts per day, stacked by channel (no scripts, no assets)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from markupsafe import Markup, escape

from reports.labels import channel_label

WIDTH, HEIGHT = 760, 240
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 36, 12, 28, 40
COLORS = {"website": "#4e79a7", "vk": "#2787f5", "ok": "#ee8208", "telegram": "#59a14f", "max": "#7b4fd6",
          "other": "#b07aa1"}
LEGEND_STEP = 118  # px between legend entries: six channel kinds fit the width
PERIOD_FILL = "#fff4d6"
LABEL_EVERY_DAYS = 7
Y_TICKS = 4


def posts_chart(daily: pd.DataFrame, period_start: date | None = None, title: str = "") -> Markup:
    """Stacked bars of `daily` (index: local dates, columns: channel kinds); the period is shaded."""
    days = list(daily.index)
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    top = max(int(daily.sum(axis=1).max()) if len(days) else 0, 1)
    bar_w = plot_w / max(len(days), 1)
    parts: list[Markup] = [Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-label="{escape(title)}" font-family="sans-serif" font-size="11">')]
    if title:
        parts.append(Markup(f'<title>{escape(title)}</title>'))
    if period_start is not None and period_start in days:
        x = MARGIN_LEFT + days.index(period_start) * bar_w
        parts.append(Markup(f'<rect x="{x:.1f}" y="{MARGIN_TOP}" width="{MARGIN_LEFT + plot_w - x:.1f}" '
                            f'height="{plot_h}" fill="{PERIOD_FILL}"/>'))
    for tick in range(Y_TICKS + 1):
        value = round(top * tick / Y_TICKS)
        y = MARGIN_TOP + plot_h - plot_h * value / top
        parts.append(Markup(f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                            f'stroke="#ddd"/><text x="{MARGIN_LEFT - 4}" y="{y + 4:.1f}" '
                            f'text-anchor="end">{value}</text>'))
    kinds = list(daily.columns)
    for i, (day, counts) in enumerate(zip(days, daily.to_numpy().tolist())):  # whole rows: no per-cell look-up
        x = MARGIN_LEFT + i * bar_w
        base = MARGIN_TOP + plot_h
        for kind, count in zip(kinds, counts):
            count = int(count)
            if not count:
                continue
            h = plot_h * count / top
            base -= h
            tip = escape(f"{day:%d.%m.%Y}, {channel_label(kind)}: {count}")
            parts.append(Markup(f'<rect x="{x + 1:.1f}" y="{base:.1f}" width="{max(bar_w - 2, 1):.1f}" '
                                f'height="{h:.1f}" fill="{COLORS.get(kind, "#999")}"><title>{tip}</title></rect>'))
        if i % LABEL_EVERY_DAYS == 0:
            parts.append(Markup(f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 14}" '
                                f'text-anchor="middle">{day:%d.%m}</text>'))
    for i, kind in enumerate(daily.columns):
        x = MARGIN_LEFT + i * LEGEND_STEP
        parts.append(Markup(f'<rect x="{x}" y="{HEIGHT - 16}" width="10" height="10" fill="{COLORS.get(kind, "#999")}"/>'
                            f'<text x="{x + 14}" y="{HEIGHT - 7}">{escape(channel_label(kind))}</text>'))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


__all__ = ["posts_chart"]
