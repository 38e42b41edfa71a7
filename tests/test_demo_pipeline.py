"""The whole pipeline on the bundled sample region, on loopback: what `make demo` shows a new user."""

from __future__ import annotations

import re
import socket
from datetime import datetime

from openpyxl import load_workbook
from sqlalchemy import func, select

from crawler import schema as t
from crawler.demo.run import run_demo
from crawler.registry import load
from crawler.store import Store
from reports import data as report_data
from reports.coverage import municipality_coverage
from reports.periods import current_period

ALL_KINDS = {"website", "vk", "telegram", "ok", "max"}



def test_demo_crawls_all_kinds_flags_every_municipality_and_is_idempotent(tmp_path, capsys):
    with socket.socket() as taken:  # another demo holds the asked-for port: this one takes a free one and says so
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        written = run_demo(tmp_path, busy)
    first = capsys.readouterr().out
    assert f"Порт {busy} занят" in first
    port = int(re.search(r"локальный сервер http://127\.0\.0\.1:(\d+)", first).group(1))
    assert port != busy and f"--port {port}" in first
    store = Store.open(str(tmp_path / "natmon.db"))
    c, p, m, i, mt = t.channels, t.posts, t.municipalities, t.institutions, t.matches
    with store.engine.connect() as conn:
        by_kind = dict(conn.execute(select(c.c.kind, func.count()).join(p, p.c.channel_id == c.c.id)
                                    .group_by(c.c.kind)).all())
        flagged = dict(conn.execute(
            select(m.c.name, func.count()).select_from(mt).join(p, p.c.id == mt.c.post_id)
            .join(c, c.c.id == p.c.channel_id).join(i, i.c.id == c.c.institution_id)
            .join(m, m.c.id == i.c.municipality_id).where(mt.c.label == "explicit").group_by(m.c.name)).all())
        municipalities = conn.execute(select(m.c.name)).scalars().all()
        total = conn.execute(select(func.count()).select_from(p)).scalar()
    assert set(by_kind) == ALL_KINDS and min(by_kind.values()) > 0, by_kind
    assert len(municipalities) == 2 and all(flagged.get(name, 0) >= 1 for name in municipalities)
    assert "Каналы с ошибкой:" in first  # the deliberately broken sample site is reported, not fatal
    assert "«Читать все сообщения»" in first  # the MAX channel whose institution has not added the bot yet
    assert any(path.suffix == ".html" for path in written) and any(path.suffix == ".xlsx" for path in written)
    assert all(path.exists() and path.stat().st_size > 0 for path in written)
    assert all(str(path) in first for path in written)  # paths are printed for the user
    draft = next(path for path in written if path.suffix == ".xlsx")
    assert load_workbook(draft).sheetnames

    # The period the demo shows has a silent institution and a near miss to look at.
    registry = load(tmp_path / "sources.yaml")
    campaign = registry.campaign(None, datetime.now(registry.timezone).date())
    period = current_period(campaign, datetime.now(registry.timezone).date())
    campaign_data = report_data.load(store, registry, campaign)
    covers = [municipality_coverage(campaign_data, name, period) for name in municipalities]
    assert sum(len(cov.silent) for cov in covers) >= 1
    assert sum(len(cov.near_misses) for cov in covers) >= 1
    store.close()

    run_demo(tmp_path, port)
    second = capsys.readouterr().out
    assert "Новых публикаций: 0" in second and "занят" not in second
    store = Store.open(str(tmp_path / "natmon.db"))
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(p)).scalar() == total
    store.close()
