"""Merge the locally gathered real posts into dev/test files and a text-free manifest.

The real posts (issue #14) are other people's writing, so their text never enters the
repository. They live in a local folder as JSON Lines gathered by hand (one file of
positives and near misses, one of negatives). This script

  * reads those files (a missing file is skipped with a notice),
  * drops duplicates: the same page under another spelling of its URL, or near-identical
    text (the same wire story on two sites),
  * gives every post a split that depends only on its URL: "test" for about one third,
    "dev" for the rest. A post never changes split when posts are added, so nothing seen
    in dev can later turn up in test,
  * writes real-dev.jsonl and real-test.jsonl (the fields `natmon match --eval` reads,
    with the text) into the local folder, and the manifest (no text, no title) that is
    committed under tests/data/matching/real/.

    .venv/bin/python benchmarks/real_posts.py /work/realposts/pos.jsonl /work/realposts/neg.jsonl \
        --out-dir /work/realposts --manifest tests/data/matching/real/manifest.jsonl

It prints the counts by label, kind and split.

A later, separately gathered held-out set keeps every post in one split named on the command
line, so none of it can leak into dev:

    .venv/bin/python benchmarks/real_posts.py /work/realposts/fresh/pos.jsonl /work/realposts/fresh/neg.jsonl \
        --out-dir /work/realposts/fresh --manifest tests/data/matching/real/manifest-fresh.jsonl --split fresh
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

LABELS = ("explicit", "implicit", "none")
EVAL_FIELDS = ("id", "date", "channel", "title", "text", "label", "projects", "federal_projects", "campaign", "formats")
MANIFEST_FIELDS = ("id", "url", "date", "split", "label", "projects", "federal_projects", "campaign", "formats", "kind", "why")
PROJECTS = {
    "Образование", "Демография", "Культура", "Экология", "Жильё и городская среда", "Здравоохранение",
    "Безопасные качественные дороги", "Наука и университеты", "Цифровая экономика", "Молодёжь и дети", "Семья",
    "Кадры", "Продолжительная и активная жизнь", "Экологическое благополучие", "Инфраструктура для жизни",
    "Экономика данных и цифровая трансформация государства", "Беспилотные авиационные системы",
    "Туризм и индустрия гостеприимства", "Производительность труда", "Международная кооперация и экспорт",
    "Малое и среднее предпринимательство и поддержка индивидуальной предпринимательской инициативы",
    "Эффективная и конкурентная экономика", "Новые технологии сбережения здоровья", "Туризм и гостеприимство",
    "нацпроекты (в целом)",
}
TEST_SHARE = 1 / 3
NEAR_DUPLICATE = 0.8  # Jaccard similarity of word 4-gram shingles
TRACKING = re.compile(r"^(utm_|yclid$|fbclid$|from$|from_cloud$|utm_referrer$)")


def normalise_url(url: str) -> str:
    """One spelling per page: no scheme, www./m. prefix, trailing dot or slash, tracking parameters."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().rstrip(".")
    for prefix in ("www.", "m."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    host = host.replace(".:", ":")
    path = parts.path.rstrip("/")
    if path.endswith("/amp"):
        path = path[: -len("/amp")]
    path = path.replace("-amp.html", ".html")
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)])
    return host + path + ("?" + query if query else "")


def split_of(url: str) -> str:
    """"test" for about a third of all URLs, fixed by a hash of the normalised URL."""
    digest = hashlib.sha256(normalise_url(url).encode("utf-8")).digest()
    fraction = int.from_bytes(digest[:8], "big") / 2**64
    return "test" if fraction < TEST_SHARE else "dev"


def shingles(text: str) -> frozenset[str]:
    words = re.findall(r"\w+", text.lower().replace("ё", "е"))
    if len(words) < 4:
        return frozenset([" ".join(words)])
    return frozenset(" ".join(words[i : i + 4]) for i in range(len(words) - 3))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def read_posts(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        print(f"Файл {path} не найден — пропускаю его.", file=sys.stderr)
        return []
    posts = []
    with path.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                post = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}, строка {number}: неверный JSON ({exc.msg}). Исправьте строку.") from exc
            problem = check(post)
            if problem:
                raise SystemExit(f"{path}, строка {number} ({post.get('id')}): {problem}. Исправьте разметку.")
            posts.append(post)
    return posts


def check(post: dict[str, Any]) -> str:
    """An empty string when the record is labelled consistently, else what is wrong (in Russian)."""
    for key in ("id", "url", "text", "label", "why"):
        if not post.get(key):
            return f"нет поля «{key}»"
    if post["label"] not in LABELS:
        return f"неизвестная метка «{post['label']}»"
    unknown = [p for p in post.get("projects") or [] if p not in PROJECTS]
    if unknown:
        return f"неизвестное название нацпроекта: {', '.join(unknown)}"
    if post["label"] == "explicit" and not post.get("projects"):
        return "у явного поста пуст список projects"
    if post["label"] != "explicit" and (post.get("projects") or post.get("campaign")):
        return "projects и campaign заполняются только у явных постов"
    if post["label"] == "none" and (post.get("federal_projects") or post.get("formats")):
        return "у поста none не бывает federal_projects и formats"
    if post.get("date") and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", post["date"]):
        return f"дата «{post['date']}» не в формате ГГГГ-ММ-ДД"
    return ""


def merge(sources: list[Path]) -> tuple[list[dict[str, Any]], list[str]]:
    """Posts without duplicates (first one wins) and notes on what was dropped."""
    kept: list[dict[str, Any]] = []
    seen_urls: dict[str, str] = {}
    seen_ids: set[str] = set()
    kept_shingles: list[frozenset[str]] = []
    notes: list[str] = []
    for path in sources:
        for post in read_posts(path):
            if post["id"] in seen_ids:
                raise SystemExit(f"{path}: id {post['id']} встречается второй раз. Дайте постам разные id.")
            key = normalise_url(post["url"])
            if key in seen_urls:
                notes.append(f"{post['id']}: тот же адрес, что у {seen_urls[key]}")
                continue
            sh = shingles(post.get("title", "") + " " + post["text"])
            twin = next((kept[i]["id"] for i, other in enumerate(kept_shingles) if jaccard(sh, other) >= NEAR_DUPLICATE), None)
            if twin:
                notes.append(f"{post['id']}: почти тот же текст, что у {twin}")
                continue
            seen_ids.add(post["id"])
            seen_urls[key] = post["id"]
            kept.append(post)
            kept_shingles.append(sh)
    return kept, notes


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as stream:
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", type=Path, help="JSON Lines files of labelled real posts, in priority order")
    parser.add_argument("--out-dir", type=Path, required=True, help="local folder for real-dev.jsonl and real-test.jsonl")
    parser.add_argument("--manifest", type=Path, required=True, help="manifest to write (no text, no title)")
    parser.add_argument("--split", help="put every post in this one split (e.g. fresh) instead of dev/test by URL hash")
    args = parser.parse_args(argv)

    posts, notes = merge(args.sources)
    for post in posts:
        post["split"] = args.split or split_of(post["url"])
    splits = (args.split,) if args.split else ("dev", "test")
    for split in splits:
        rows = [{k: post.get(k, "") for k in EVAL_FIELDS} for post in posts if post["split"] == split]
        write_jsonl(args.out_dir / f"real-{split}.jsonl", rows)
    write_jsonl(args.manifest, [{k: post.get(k, "") for k in MANIFEST_FIELDS} for post in posts])

    print(f"Постов после удаления повторов: {len(posts)} (убрано {len(notes)})")
    for note in notes:
        print("  " + note)
    by = Counter((p["label"], p["split"]) for p in posts)
    print("\nметка     " + "".join(f"{s:>7}" for s in splits) + "  всего")
    for label in LABELS:
        print(f"{label:<9} " + "".join(f"{by[(label, s)]:7d}" for s in splits) + f"{sum(by[(label, s)] for s in splits):7d}")
    print(f"{'всего':<9} " + "".join(f"{sum(v for (_, t), v in by.items() if t == s):7d}" for s in splits) + f"{len(posts):7d}")
    print(f"\ncampaign: {sum(bool(p.get('campaign')) for p in posts)}; с датой: {sum(bool(p.get('date')) for p in posts)}")
    print("\nвид (kind): метка — число")
    for (kind, label), n in sorted(Counter((p.get("kind", ""), p["label"]) for p in posts).items()):
        print(f"  {kind}: {label} — {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
