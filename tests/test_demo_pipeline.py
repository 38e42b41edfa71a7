"""The whole pipeline on the bundled sample region, on loopback: what `make demo` shows a new user."""

from __future__ import annotations

import socket

from openpyxl import load_workbook
from sqlalchemy import func, select

from crawler import schema as t
from crawler.demo.run import run_demo
from crawler.store import Store


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_demo_crawls_all_kinds_flags_every_municipality_and_is_idempotent(tmp_path, capsys):
    port = free_port()
    written = run_demo(tmp_path, port)
    first = capsys.readouterr().out
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
    store.close()
    assert set(by_kind) == {"website", "vk", "telegram"} and min(by_kind.values()) > 0
    assert len(municipalities) == 2 and all(flagged.get(name, 0) >= 1 for name in municipalities)
    assert "Каналы с ошибкой:" in first  # the deliberately broken sample site is reported, not fatal
    assert any(path.suffix == ".html" for path in written) and any(path.suffix == ".xlsx" for path in written)
    assert all(path.exists() and path.stat().st_size > 0 for path in written)
    assert all(str(path) in first for path in written)  # paths are printed for the user
    draft = next(path for path in written if path.suffix == ".xlsx")
    assert load_workbook(draft).sheetnames

    run_demo(tmp_path, port)
    second = capsys.readouterr().out
    assert "Новых публикаций: 0" in second
    store = Store.open(str(tmp_path / "natmon.db"))
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(p)).scalar() == total
    store.close()
