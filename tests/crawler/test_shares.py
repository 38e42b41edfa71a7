"""`natmon crawl --share K/N`: N crawls split the registry, each share locked on its own, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from channels.base import FetchResult, Post
from crawler import job as job_module
from crawler import schema as t
from crawler.cli import app
from crawler.job import CrawlOptions, _quota_spent, crawl, match_pending
from crawler.locks import CrawlLock
from crawler.registry import loads
from crawler.settings import Settings
from crawler.shares import Share, ShareError, parse_share
from crawler.store import Store
from matching import CampaignTerms, default_matcher
from tests.conftest import FAST_POLICY, at_once

ROOT = Path(__file__).resolve().parents[2]
SCHOOLS = 24


def registry_text(schools: int = SCHOOLS) -> str:
    lines = ["region: {name: Тестовая область, timezone: Asia/Irkutsk}", "campaigns:",
             "  - {id: c, name: Итоги, start: 2020-01-01, end: 2030-12-31, deadlines: [2030-12-31]}",
             "municipalities:"]
    for m in range(3):
        lines += [f"  - name: Район {m}", "    authority: Управление образования", "    institutions:"]
        for i in range(schools // 3):
            n = m * 100 + i
            lines += [f"      - name: Школа № {n}", "        kind: school",
                      f"        channels: [{{website: 'https://school{n}.example.ru'}}, {{vk: club{1000 + n}}}]"]
    return "\n".join(lines) + "\n"


class Source:
    """Every channel serves two posts, one about the national projects; records what was fetched."""

    def __init__(self) -> None:
        self.fetched: list[tuple[str, str]] = []

    async def fetch(self, channel, cursor, ctx):
        self.fetched.append((channel.kind, channel.address))
        await asyncio.sleep(0.01)  # let the other share's crawl run meanwhile
        moment = datetime.now(timezone.utc) - timedelta(hours=3)
        return FetchResult([Post(f"{channel.address}/1", f"{channel.address}/1", moment,
                                 "Наша школа участвует в национальном проекте «Образование»."),
                            Post(f"{channel.address}/2", f"{channel.address}/2", moment, "Прошёл субботник.")],
                           cursor="2")


@pytest.fixture
def source(monkeypatch) -> Source:
    fake = Source()
    monkeypatch.setattr(job_module, "adapter", lambda kind: fake)
    return fake


def settings_for(db: str) -> Settings:
    return Settings(db=db, http=FAST_POLICY)


# -- the split ---------------------------------------------------------------------------------

CHANNELS = [("website", f"https://school{i}.example.ru") for i in range(200)] + \
           [("telegram", f"school_{i}") for i in range(200)] + [("vk", f"club{i}") for i in range(200)]


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_every_channel_falls_in_exactly_one_share_and_shares_are_even(count):
    shares = [Share(k, count) for k in range(1, count + 1)]
    owners = [[s for s in shares if s.holds(kind, address)] for kind, address in CHANNELS]
    assert all(len(found) == 1 for found in owners)
    sizes = [sum(found[0] == s for found in owners) for s in shares]
    assert min(sizes) > 0.6 * len(CHANNELS) / count and max(sizes) < 1.4 * len(CHANNELS) / count


def test_a_channel_s_share_is_the_same_in_every_python_process():
    code = ("from crawler.shares import Share; from tests.crawler.test_shares import CHANNELS; "
            "print(''.join(str(next(k for k in range(1, 6) if Share(k, 5).holds(*c))) for c in CHANNELS))")
    here = "".join(str(next(k for k in range(1, 6) if Share(k, 5).holds(*c))) for c in CHANNELS)
    for seed in ("1", "2", "random"):
        other = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                               env={**os.environ, "PYTHONHASHSEED": seed})
        assert other.stdout.strip() == here


@pytest.mark.parametrize("value", ["0/2", "3/2", "2", "a/b", "1/0", "-1/2", ""])
def test_a_bad_share_is_refused_with_a_russian_message(value, tmp_path):
    with pytest.raises(ShareError, match="--share"):
        parse_share(value)
    sources = tmp_path / "sources.yaml"
    sources.write_text(registry_text(3), encoding="utf-8")
    result = CliRunner().invoke(app, ["crawl", "--sources", str(sources), "--db", str(tmp_path / "n.db"),
                                      "--share", value])
    assert result.exit_code == 2
    assert "--share" in result.output and ("K/N" in result.output or "от 1 до" in result.output)
    assert not (tmp_path / "n.db").exists()


def test_shares_are_read_with_spaces():
    assert parse_share(" 2 / 4 ") == Share(2, 4)


# -- the locks -------------------------------------------------------------------------------

HOLDER = """
import sys, time
from crawler.locks import CrawlLock
from crawler.shares import parse_share
from crawler.store import Store
store = Store.open(sys.argv[1])
share = parse_share(sys.argv[2]) if sys.argv[2] != "all" else None
assert CrawlLock(store, share, 3600).acquire() is None
print("held", flush=True)
time.sleep(120)
"""


def hold(db: str, share: str) -> subprocess.Popen[str]:
    """Another process (another host, as far as the lock can tell on PostgreSQL) holding a crawl lock."""
    process = subprocess.Popen([sys.executable, "-c", HOLDER, db, share], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.stdout is not None
    process.stdout.close()


def try_lock(db: str, share: Share | None) -> str | None:
    store = Store.open(db)
    lock = CrawlLock(store, share, 3600)
    try:
        holder = lock.acquire()
        if holder is None:
            lock.release()
        return holder
    finally:
        store.close()


def test_another_share_runs_while_one_is_held_and_the_same_share_cannot(db):
    Store.open(db).close()
    holder = hold(db, "1/2")
    try:
        assert try_lock(db, Share(2, 2)) is None
        assert try_lock(db, Share(1, 2)) is not None  # the same share twice
        assert try_lock(db, None) is not None  # the whole registry overlaps every share
    finally:
        kill(holder)
    assert try_lock(db, Share(1, 2)) is None  # the holder died (kill -9): its lock goes with it


def test_a_crawl_of_the_whole_registry_excludes_every_share(db):
    Store.open(db).close()
    holder = hold(db, "all")
    try:
        assert try_lock(db, Share(1, 2)) is not None
        assert try_lock(db, Share(2, 2)) is not None
    finally:
        kill(holder)


def test_shares_of_different_counts_are_refused_until_the_holder_dies(db):
    Store.open(db).close()
    holder = hold(db, "1/2")
    try:
        for other in (Share(1, 3), Share(3, 3), Share(2, 4)):  # each would crawl channels of 1/2
            refused = try_lock(db, other)
            assert refused is not None and "crawl:1/2" in refused
        assert try_lock(db, Share(2, 2)) is None  # the same N still splits the registry
    finally:
        kill(holder)
    assert try_lock(db, Share(1, 3)) is None  # the holder died (kill -9): another N may start now


def test_a_share_of_another_count_cannot_start_while_shares_of_one_count_run(db):
    Store.open(db).close()
    holders = [hold(db, "1/3"), hold(db, "2/3")]
    try:
        assert try_lock(db, Share(1, 2)) is not None
        assert try_lock(db, None) is not None
        assert try_lock(db, Share(3, 3)) is None
    finally:
        for holder in holders:
            kill(holder)


RACER = """
import sys
from crawler.locks import CrawlLock
from crawler.shares import parse_share
from crawler.store import Store
store = Store.open(sys.argv[1])
lock = CrawlLock(store, parse_share(sys.argv[2]) if sys.argv[2] != "all" else None, 3600)
print("ready", flush=True)
sys.stdin.readline()
print("held" if lock.acquire() is None else "refused", flush=True)
sys.stdin.readline()
"""


@pytest.mark.parametrize("round_", range(3))
def test_crawls_of_different_counts_starting_together_never_both_hold_the_lock(db, round_):
    Store.open(db).close()
    shares = ["1/2", "1/3", "all", "2/3"]
    racers = [subprocess.Popen([sys.executable, "-c", RACER, db, share], cwd=ROOT, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True) for share in shares]
    try:
        for racer in racers:
            assert racer.stdout is not None and racer.stdout.readline().strip() == "ready"
        for racer in racers:  # go, all at once
            assert racer.stdin is not None
            racer.stdin.write("\n")
            racer.stdin.flush()
        answers = {share: racer.stdout.readline().strip() for share, racer in zip(shares, racers)}
    finally:
        for racer in racers:
            racer.kill()
            racer.wait(timeout=10)
            racer.stdin.close()
            racer.stdout.close()
    held = {share for share, answer in answers.items() if answer == "held"}
    assert set(answers.values()) <= {"held", "refused"}
    assert held in ({"1/2"}, {"all"}, {"1/3"}, {"2/3"}, {"1/3", "2/3"}), answers


@pytest.mark.parametrize(("held", "wanted", "what"), [("1/2", "1/3", "доли 1/3"), ("1/2", None, "всего реестра"),
                                                      ("all", "2/2", "доли 2/2")])
def test_an_overlapping_crawl_on_the_command_line_exits_with_4(db, tmp_path, held, wanted, what):
    sources = tmp_path / "sources.yaml"
    sources.write_text(registry_text(3), encoding="utf-8")
    Store.open(db).close()
    holder = hold(db, held)
    try:
        result = CliRunner().invoke(app, ["crawl", "--sources", str(sources), "--db", db,
                                          *(["--share", wanted] if wanted else [])])
    finally:
        kill(holder)
    assert result.exit_code == 4
    assert what in result.output and "Дождитесь" in result.output and "--share 1/N … N/N" in result.output
    store = Store.open(db)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(t.posts)).scalar() == 0
    finally:
        store.close()


def test_the_same_share_twice_on_the_command_line_exits_with_4(tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(registry_text(3), encoding="utf-8")
    db = str(tmp_path / "natmon.db")
    Store.open(db).close()
    holder = hold(db, "2/3")
    try:
        result = CliRunner().invoke(app, ["crawl", "--sources", str(sources), "--db", db, "--share", "2/3"])
    finally:
        kill(holder)
    assert result.exit_code == 4
    assert "доли 2/3" in result.output and "Дождитесь" in result.output


# -- two shares crawling one store at once -----------------------------------------------------

async def crawl_both(db: str, count: int = 2):
    registry = loads(registry_text(), Path("sources.yaml"))
    stores = [Store.open(db) for _ in range(count)]
    try:
        return await asyncio.gather(*(crawl(store, registry, settings_for(db), CrawlOptions(share=Share(k + 1, count)))
                                      for k, store in enumerate(stores)))
    finally:
        for store in stores:
            store.close()


async def test_two_shares_at_once_crawl_every_channel_once(db, source):
    summaries = await crawl_both(db)
    assert len(source.fetched) == len(set(source.fetched)) == SCHOOLS * 2
    assert all(summary.channels > 0 and not summary.failed for summary in summaries)
    assert sum(summary.channels for summary in summaries) == SCHOOLS * 2
    store = Store.open(db)
    try:
        with store.engine.connect() as conn:
            posts = conn.execute(select(func.count()).select_from(t.posts)).scalar()
            matched = conn.execute(select(func.count()).select_from(t.matches)).scalar()
            runs = conn.execute(select(t.crawl_runs.c.share, t.crawl_runs.c.status)
                                .order_by(t.crawl_runs.c.share)).all()
            locks = conn.execute(select(func.count()).select_from(t.locks)).scalar()
    finally:
        store.close()
    assert posts == matched == SCHOOLS * 2 * 2
    assert [tuple(run) for run in runs] == [("1/2", "finished"), ("2/2", "finished")]
    assert sum(summary.flagged for summary in summaries) == SCHOOLS * 2  # each explicit post counted once
    assert locks == 0


async def test_a_share_marks_only_its_own_dead_runs_interrupted(db, tmp_path, source):
    store = Store.open(db)
    mine, other, whole = store.start_run(share="1/2"), store.start_run(share="2/2"), store.start_run()
    store.close()
    registry = loads(registry_text(3), tmp_path / "sources.yaml")
    store = Store.open(db)
    try:
        summary = await crawl(store, registry, settings_for(db), CrawlOptions(share=Share(1, 2)))
        with store.engine.connect() as conn:
            status = dict(conn.execute(select(t.crawl_runs.c.id, t.crawl_runs.c.status)).all())
    finally:
        store.close()
    assert status[mine] == status[whole] == "interrupted"
    assert status[other] == "running"  # share 2/2 may be crawling on another host
    assert sum(f"№{mine}" in note for note in summary.notes) == 1


def test_a_share_matches_only_its_own_channels_posts(tmp_path):
    store = Store.open(str(tmp_path / "natmon.db"))
    try:
        store.sync_registry(loads(registry_text(6), tmp_path / "sources.yaml"))
        targets = store.crawl_targets()
        moment = datetime.now(timezone.utc)
        for target in targets:
            store.save_posts(target.ref.id, [Post("1", f"https://x/{target.ref.id}", moment, "Национальный проект")])
        share = Share(1, 2)
        own = {target.ref.id for target in targets if share.holds(target.ref.kind, target.ref.address)}
        match_pending(store, default_matcher(), CampaignTerms(), channels=own)
        with store.engine.connect() as conn:
            matched = set(conn.execute(select(t.posts.c.channel_id).join(t.matches)).scalars())
    finally:
        store.close()
    assert matched == own and 0 < len(own) < len(targets)


def test_crawl_hosts_opening_an_empty_store_at_once_all_succeed(db):
    opener = "import sys; from crawler.store import Store; Store.open(sys.argv[1]).close()"
    processes = [subprocess.Popen([sys.executable, "-c", opener, db], cwd=ROOT, stderr=subprocess.PIPE, text=True)
                 for _ in range(4)]
    errors = [process.communicate(timeout=60)[1] for process in processes]
    assert [process.returncode for process in processes] == [0] * 4, errors


def test_shares_mirroring_a_new_registry_at_once_both_succeed(db, tmp_path):
    registry = loads(registry_text(60), tmp_path / "sources.yaml")
    stores = [Store.open(db) for _ in range(3)]
    try:
        assert at_once(3, lambda host: stores[host].sync_registry(registry)) == []
    finally:
        for store in stores:
            store.close()
    store = Store.open(db)
    try:
        assert len(store.crawl_targets()) == 120
    finally:
        store.close()


def test_the_mirror_follows_edits_of_the_registry_and_keeps_cursors(db, tmp_path):
    original = registry_text(6)
    edited = (original.replace("{vk: club1000}", "{vk: club1000, enabled: false}")  # switched off
              .replace("{vk: club1101}", "{vk: club1101, note: 'официальная группа'}")  # an option added
              .replace(", {vk: club1200}]", "]")  # removed
              .replace("authority: Управление образования\n    institutions:\n      - name: Школа № 100",
                       "authority: Комитет по образованию\n    institutions:\n      - name: Школа № 100"))
    edited += ("  - name: Район 9\n    authority: Отдел образования\n    institutions:\n      - name: Школа № 900\n"
               "        kind: school\n        channels: [{vk: club1200}]\n")  # moved to a new municipality
    store = Store.open(db)
    try:
        store.sync_registry(loads(original, tmp_path / "sources.yaml"))
        ids = {target.ref.address: target.ref.id for target in store.crawl_targets()}
        store.channel_succeeded(ids["club1101"], cursor="41", resolved="-77")
        store.sync_registry(loads(edited, tmp_path / "sources.yaml"))
        targets = {target.ref.address: target for target in store.crawl_targets()}
        assert "club1000" not in targets and len(targets) == len(ids) - 1
        assert targets["club1200"].municipality == "Район 9" and targets["club1200"].ref.id == ids["club1200"]
        assert dict(targets["club1101"].ref.options) == {"note": "официальная группа"} and store.cursor(ids["club1101"]) == "41"
        with store.engine.connect() as conn:
            authority = conn.execute(select(t.municipalities.c.authority)
                                     .where(t.municipalities.c.name == "Район 1")).scalar()
        assert authority == "Комитет по образованию"
        store.sync_registry(loads(original, tmp_path / "sources.yaml"))  # back as it was, cursors kept
        assert {target.ref.address for target in store.crawl_targets()} == set(ids)
        assert store.cursor(ids["club1101"]) == "41"
        assert next(target for target in store.crawl_targets() if target.ref.address == "club1200").municipality \
            == "Район 2"
    finally:
        store.close()


def test_vk_quota_spent_by_other_shares_meanwhile_is_kept():
    # this share read {a: 10} at its start and spent 5 more on `a`, 3 on `b`; meanwhile another share
    # wrote {a: 30, c: 2}: the day's use is a 35, b 3, c 2
    assert _quota_spent({"a": 10}, {"a": 30, "c": 2}, {"a": 15, "b": 3}) == {"a": 35, "b": 3, "c": 2}


async def test_only_the_first_share_reads_the_telegram_bot(tmp_path, source, monkeypatch):
    calls: list[int] = []

    async def ingest(store, settings):
        calls.append(1)
        return SimpleNamespace(notes=[])

    monkeypatch.setattr(job_module, "ingest_bot_updates", ingest)
    registry = loads(registry_text(3), tmp_path / "sources.yaml")
    db = str(tmp_path / "natmon.db")
    for k in (2, 1):
        store = Store.open(db)
        try:
            await crawl(store, registry, settings_for(db), CrawlOptions(share=Share(k, 2)))
        finally:
            store.close()
        assert len(calls) == (0 if k == 2 else 1)
