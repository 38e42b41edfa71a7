"""Reports on a big store: wall time and peak RSS of `natmon report draft --all` and `report preview --region`.

The store is built quickly by bulk inserts through the schema's tables (no crawl): the simulated
region's institutions and channels (benchmarks/simregion: ≈3.5 channels per institution, 48
institutions per municipality), about 40 posts per institution over the 45 days before the
simulated "now" (the campaign began 30 days before it), a share of them matched explicit (25 %) or
implicit (10 %), the rest labelled none, and reviews for a third of the explicit ones (some
reviewed twice). Each report runs as a subprocess under /usr/bin/time for the period of the second
deadline, so its running totals reach back into the first period.

    .venv/bin/python benchmarks/bench_reports.py --n 2000                  # builds /tmp/natmon-bench-reports-2000
    .venv/bin/python benchmarks/bench_reports.py --n 20000 --keep /tmp/br20k
    .venv/bin/python benchmarks/bench_reports.py --n 2000 --python /tmp/base/.venv/bin/python  # another checkout
    .venv/bin/python benchmarks/bench_reports.py --n 2000 --repeat 3   # best of three on a busy machine
    .venv/bin/python benchmarks/bench_reports.py --n 2000 --out /tmp/mine   # reports written there, not beside the store

The store is kept at --keep (default /tmp/natmon-bench-reports-N) and reused when it is there.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.simregion.model import Region, SimConfig  # noqa: E402
from benchmarks.simregion.sources import sources_data  # noqa: E402
from crawler import schema as t  # noqa: E402
from crawler.registry import load  # noqa: E402
from crawler.store import Store  # noqa: E402

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc).timestamp()  # the simulated "now", fixed for a reusable store
POSTS_PER_INSTITUTION = 40
HISTORY_DAYS = 45
EXPLICIT, IMPLICIT = 0.25, 0.10
REVIEWED = 0.33  # of the explicit posts
CHANNEL_WEIGHTS = {"website": 0.35, "vk": 0.8, "telegram": 0.5, "ok": 0.4, "max": 0.3}  # posts a day, as simregion
PROJECTS = ("Образование", "Здравоохранение", "Демография", "Культура", "Экология")
FORMATS = ("photo", "video", "article")
SENTENCES = (
    "В школе прошла встреча с родителями, где обсудили планы на весну и летний лагерь.",
    "Ученики пятых классов посетили краеведческий музей и подготовили короткие доклады.",
    "Команда учреждения заняла второе место в районных соревнованиях по лыжным гонкам.",
    "Педагоги провели открытые уроки для коллег из соседних сёл и поделились опытом.",
    "В детском саду обновили игровую площадку: новые качели, песочница и навес от дождя.",
    "Волонтёры собрали книги для сельской библиотеки и помогли расставить их по полкам.",
    "Старшеклассники приняли участие в олимпиаде по математике, трое прошли в следующий тур.",
    "Родительский комитет поблагодарил поваров столовой за вкусные и разнообразные обеды.",
)
NATIONAL = ("В рамках национального проекта «{p}» в учреждении открыт новый кабинет с современным оборудованием.",
            "Подводим итоги реализации нацпроекта «{p}»: за год сделано больше, чем планировали.")
NEAR = "Для ребят работает центр «Точка роста»: кружки робототехники, химии и биологии."
COMMANDS = {"draft": ["report", "draft", "--all"], "preview": ["report", "preview", "--region"]}


@dataclass(slots=True)
class Bench:
    sources: Path
    db: Path
    deadline: str  # the period the reports are written for (dd.mm.yyyy)
    posts: int


def _text(rng: random.Random, label: str) -> tuple[str, str, list[str], list[dict[str, object]]]:
    """Title, text, projects and evidence of one generated post."""
    body = [rng.choice(SENTENCES) for _ in range(rng.randint(5, 12))]
    projects: list[str] = []
    evidence: list[dict[str, object]] = []
    if label == "explicit":
        project = rng.choice(PROJECTS)
        body.insert(rng.randint(0, len(body)), rng.choice(NATIONAL).format(p=project))
        projects = [project]
    elif label == "implicit":
        body.insert(rng.randint(0, len(body)), NEAR)
        projects = ["Образование"]
    text = " ".join(body)
    phrase = f"«{projects[0]}»" if label == "explicit" else "Точка роста"
    start = text.find(phrase)
    if projects and start >= 0:
        evidence = [{"phrase": phrase, "start": start, "end": start + len(phrase), "field": "text",
                     "kind": "project" if label == "explicit" else "programme", "target": projects[0]}]
    return body[0][:60], text, projects, evidence


def build(n: int, work: Path, seed: int = 38) -> Bench:
    """The registry and the store of N institutions at `work` (reused when already built for N)."""
    work.mkdir(parents=True, exist_ok=True)
    sources, db, marker = work / "sources.yaml", work / "natmon.db", work / f"built-{n}-{seed}"
    region = Region(SimConfig(n=n, seed=seed, t0=T0))
    data = sources_data(region, 8080)
    deadline = data["campaigns"][0]["deadlines"][1]  # type: ignore[index]
    result = Bench(sources, db, f"{deadline:%d.%m.%Y}", 0)
    if marker.exists() and db.exists():
        with Store.open(str(db)).engine.connect() as conn:
            result.posts = int(conn.execute(select(func.count()).select_from(t.posts)).scalar_one())
        return result
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    sources.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    registry = load(sources)
    store = Store.open(str(db))
    rng = random.Random(f"{seed}:reports")
    now = datetime.fromtimestamp(T0, timezone.utc)
    first = now - timedelta(days=HISTORY_DAYS)
    with store.engine.begin() as conn:
        m_rows, i_rows, c_rows = [], [], []
        for m_id, municipality in enumerate(registry.municipalities, start=1):
            m_rows.append({"id": m_id, "name": municipality.name, "authority": municipality.authority})
            for institution in municipality.institutions:
                i_id = len(i_rows) + 1
                i_rows.append({"id": i_id, "municipality_id": m_id, "name": institution.name,
                               "kind": institution.kind})
                for channel in institution.channels:
                    failing = rng.random() < 0.02
                    c_rows.append({"id": len(c_rows) + 1, "institution_id": i_id, "kind": channel.kind,
                                   "address": channel.address, "enabled": True, "in_registry": True,
                                   "options": channel.options, "consecutive_failures": 3 if failing else 0,
                                   "last_error": "HTTP 503" if failing else None, "last_success": first})
        conn.execute(t.municipalities.insert(), m_rows)
        conn.execute(t.institutions.insert(), i_rows)
        conn.execute(t.channels.insert(), c_rows)
        by_institution: dict[int, list[dict[str, object]]] = {}
        for row in c_rows:
            by_institution.setdefault(int(row["institution_id"]), []).append(row)  # type: ignore[call-overload]
        post_id = review_id = 0
        for i_id, channels in by_institution.items():
            posts, matches, reviews = [], [], []
            weights = [CHANNEL_WEIGHTS[str(c["kind"])] for c in channels]
            for number in range(POSTS_PER_INSTITUTION):
                channel = rng.choices(channels, weights)[0]
                moment = first + timedelta(seconds=rng.randrange(HISTORY_DAYS * 86400))
                draw = rng.random()
                label = "explicit" if draw < EXPLICIT else "implicit" if draw < EXPLICIT + IMPLICIT else "none"
                title, text, projects, evidence = _text(rng, label)
                post_id += 1
                digest = hashlib.sha256(text.encode()).hexdigest()
                views = rng.randint(20, 3000) if channel["kind"] != "website" else None
                posts.append({"id": post_id, "channel_id": channel["id"], "external_id": f"{i_id}-{number}",
                              "url": f"https://example.org/{channel['kind']}/{i_id}/{number}", "published_at": moment,
                              "title": title if channel["kind"] == "website" else "", "text": text, "media": [],
                              "views": views, "likes": rng.randint(0, 60) if views else None, "reposts": None,
                              "comments": None, "found_by": "bench", "first_seen": moment, "last_seen": now,
                              "content_hash": digest, "edited": False, "deleted": False})
                matches.append({"post_id": post_id, "version": "bench", "label": label, "projects": projects,
                                "federal_projects": [], "campaign": label == "explicit" and rng.random() < 0.3,
                                "formats": rng.sample(FORMATS, rng.randint(0, 2)), "evidence": evidence,
                                "content_hash": digest, "matched_at": now})
                if label == "explicit" and rng.random() < REVIEWED:
                    for again in range(1 + (rng.random() < 0.2)):
                        review_id += 1
                        reviews.append({"id": review_id, "post_id": post_id,
                                        "decision": "rejected" if rng.random() < 0.15 else "confirmed",
                                        "who": "Проверяющий (бенчмарк)",
                                        "at": moment + timedelta(days=1, minutes=again),
                                        "comment": ""})
            conn.execute(t.posts.insert(), posts)
            conn.execute(t.matches.insert(), matches)
            if reviews:
                conn.execute(t.reviews.insert(), reviews)
        result.posts = post_id
    store.close()
    marker.touch()
    return result


def run(python: str, command: str, bench: Bench, out: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one report command in a fresh process."""
    shutil.rmtree(out, ignore_errors=True)
    natmon = [str(Path(python).parent / "natmon")]
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        args = ["/usr/bin/time", "-o", stats.name, "-f", "%U %S %M", *natmon, *COMMANDS[command],
                "--period", bench.deadline, "--output-dir", str(out), "--sources", str(bench.sources),
                "--db", str(bench.db)]
        started = time.perf_counter()
        done = subprocess.run(args, capture_output=True, text=True)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"{command}: exit {done.returncode}\n{done.stderr[-3000:]}")
        user, system, peak_kb = (float(value) for value in stats.read().split()[-3:])
    return wall, user + system, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="institutions")
    parser.add_argument("--keep", type=Path, help="where the store is built and kept")
    parser.add_argument("--python", default=sys.executable,
                        help="the Python whose natmon runs the reports (PYTHONPATH passes through: another checkout)")
    parser.add_argument("--only", choices=sorted(COMMANDS), action="append", help="run only this report")
    parser.add_argument("--build-only", action="store_true", help="build the store and stop")
    parser.add_argument("--out", type=Path, help="where the reports are written (default: beside the store), so "
                                                 "two checkouts can measure the same store at once")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each report this many times and print the best wall and CPU (a shared machine's "
                             "other jobs only ever add to them) and the largest peak RSS")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.gettempdir()) / f"natmon-bench-reports-{args.n}"
    started = time.perf_counter()
    bench = build(args.n, work)
    print(f"store: {bench.db} ({bench.posts:,} posts, {bench.db.stat().st_size / 2**20:.0f} MB), "
          f"ready in {time.perf_counter() - started:.1f} s; period {bench.deadline}", flush=True)
    if args.build_only:
        return
    for command in args.only or sorted(COMMANDS):
        out = (args.out or work) / f"out-{command}"
        rounds = [run(args.python, command, bench, out) for _ in range(max(args.repeat, 1))]
        wall, cpu, peak = min(r[0] for r in rounds), min(r[1] for r in rounds), max(r[2] for r in rounds)
        print(f"{' '.join(COMMANDS[command])}: wall {wall:.1f} s, CPU {cpu:.1f} s, peak RSS {peak:.0f} MB", flush=True)


if __name__ == "__main__":
    main()
