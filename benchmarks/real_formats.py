"""Formats on real posts: how often the matcher's formats agree with the labels on explicit posts.

Issue #14 asks formats to agree with real labels on at least 85 % of explicit posts. This
prints that share (explicit in the labels and found explicit by the matcher, with a
`formats` field), beside the share `natmon match --eval` prints (all posts whose label is right),
and how often each format is missed or added.

    .venv/bin/python benchmarks/real_formats.py /work/realposts/real-dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

# Run from a checkout without relying on how the package was installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.commands.match import _date_of  # noqa: E402
from matching import Matcher  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Согласие форматов с разметкой на явных реальных постах.")
    parser.add_argument("file", type=Path, help="размеченный файл JSON Lines (поля text, label, formats)")
    args = parser.parse_args(argv)
    matcher = Matcher()
    agree = total = agree_all = total_all = 0
    missed: Counter[str] = Counter()
    added: Counter[str] = Counter()
    with args.file.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            record = json.loads(line)
            m = matcher.match(str(record.get("title") or ""), str(record["text"]), published=_date_of(record))
            gold = record.get("formats")
            if not isinstance(gold, list) or m.label != record["label"]:
                continue
            same = set(gold) == set(m.formats)
            total_all += 1
            agree_all += same
            if record["label"] == "explicit":
                total += 1
                agree += same
                missed.update(set(gold) - set(m.formats))
                added.update(set(m.formats) - set(gold))
    print(f"{args.file.name}: форматы совпали на {agree} из {total} явных постов с верной меткой "
          f"({agree / total if total else 1:.3f}); среди всех постов с верной меткой {agree_all} из {total_all} "
          f"({agree_all / total_all if total_all else 1:.3f})")
    for name in sorted(set(missed) | set(added)):
        print(f"  {name}: пропущен {missed[name]}, лишний {added[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
