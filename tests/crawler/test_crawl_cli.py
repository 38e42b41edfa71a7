"""`natmon crawl` as a person runs it: bad input is named, and the nightly job stays lean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from crawler import schema as t
from crawler.cli import app
from crawler.store import Store
from tests.crawler.test_job import REGISTRY

ROOT = Path(__file__).resolve().parents[2]


def test_an_unknown_municipality_is_named_and_nothing_is_crawled(tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(REGISTRY, encoding="utf-8")
    db = tmp_path / "natmon.db"
    result = CliRunner().invoke(app, ["crawl", "--sources", str(sources), "--db", str(db), "--municipality", "Село"])
    assert result.exit_code == 2
    assert "Село" in result.output and "Обход №" not in result.output
    store = Store.open(str(db))
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.crawl_runs)).scalar() == 0
    store.close()


def test_the_crawl_command_does_not_load_the_report_machinery():
    # pandas, openpyxl and jinja2 take 60 MB a process; the nightly crawl needs none of them.
    code = ("import sys, crawler.cli; print(' '.join(m for m in ('pandas', 'openpyxl', 'jinja2') "
            "if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert loaded.stdout.split() == []
