"""`natmon crawl` as a person runs it: bad input is named, and the nightly job stays lean."""

from __future__ import annotations

import dataclasses
import gc
import subprocess
import sys
import weakref
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from crawler import cli as cli_module
from crawler import job as job_module
from crawler import schema as t
from crawler.cli import app
from crawler.registry import Registry
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


HEAVY = ("pandas", "openpyxl", "jinja2", "crawler.job", "httpx", "telegram", "trafilatura", "sqlalchemy",
         "starlette", "argon2", "rich")


def test_the_crawl_command_does_not_load_the_report_machinery():
    # pandas, openpyxl and jinja2 take 55 MB a process; the nightly crawl needs none of them. Nor does
    # `natmon --help` need the crawl job, the HTTP stack, python-telegram-bot or SQLAlchemy (it took 1 s).
    code = ("import sys, crawler.cli; print(' '.join(m for m in " + repr(HEAVY) + " if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert loaded.stdout.split() == []


def test_the_registry_is_let_go_once_the_store_mirrors_it(tmp_path, monkeypatch):
    # A national sources.yaml takes tens of megabytes in memory: the crawl must not keep it all night.
    class Watched(Registry):  # a subclass without slots can be watched by a weak reference
        pass

    watched: list[weakref.ref] = []

    def load_watched(path):
        registry = real_load(path)
        copy = Watched(**{f.name: getattr(registry, f.name) for f in dataclasses.fields(registry)})
        watched.append(weakref.ref(copy))
        return copy

    alive_while_crawling = []

    async def check_then_crawl(*args, **kwargs):
        gc.collect()
        alive_while_crawling.append(watched[0]() is not None)
        return await real_run_by_kind(*args, **kwargs)

    real_load, real_run_by_kind = cli_module.load, job_module._run_by_kind
    monkeypatch.setattr(cli_module, "load", load_watched)
    monkeypatch.setattr(job_module, "_run_by_kind", check_then_crawl)
    sources = tmp_path / "sources.yaml"
    sources.write_text(REGISTRY, encoding="utf-8")
    result = CliRunner().invoke(app, ["crawl", "--sources", str(sources), "--db", str(tmp_path / "natmon.db"),
                                      "--channel-kind", "vk", "--municipality", "Город"])  # no VK here: no network
    assert alive_while_crawling == [False], result.output


ALL_REFUSED = """
region: {name: Тестовая область, timezone: Asia/Irkutsk}
campaigns:
  - {id: c, name: Итоги, start: 2020-01-01, end: 2030-12-31, deadlines: [2030-12-31]}
municipalities:
  - name: Город
    authority: Управление образования
    institutions:
      - {name: Школа № 1, kind: school, channels: [{website: "http://127.0.0.1:9/"}]}
      - {name: Школа № 2, kind: school, channels: [{website: "http://10.20.30.40/"}]}
"""


def test_a_crawl_where_every_channel_failed_exits_5_and_says_so(tmp_path):
    # Both addresses are refused before any connection (no allow_private_addresses): nothing is crawled.
    sources = tmp_path / "sources.yaml"
    sources.write_text(ALL_REFUSED, encoding="utf-8")
    result = CliRunner().invoke(app, ["crawl", "--sources", str(sources), "--db", str(tmp_path / "natmon.db")])
    assert result.exit_code == 5, result.output
    assert "Ни один канал не обойдён: ошибкой завершились все 2" in result.output
    assert "код выхода 5" in result.output


def test_a_crawl_where_some_channels_failed_still_exits_0(tmp_path):
    sources = tmp_path / "sources.yaml"
    # A private Telegram channel (read through the bot) succeeds without a request: one failure of two.
    sources.write_text(ALL_REFUSED.replace('{website: "http://10.20.30.40/"}', '{telegram: "-1001234567890"}'),
                       encoding="utf-8")
    result = CliRunner().invoke(app, ["crawl", "--sources", str(sources), "--db", str(tmp_path / "natmon.db")])
    assert result.exit_code == 0, result.output
    assert "Ни один канал не обойдён" not in result.output
