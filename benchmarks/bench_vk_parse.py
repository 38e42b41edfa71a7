"""Benchmark: pure parse of a 100-post `wall.get` response built from real sample items.

Run by hand: `.venv/bin/python benchmarks/bench_vk_parse.py`. Target: < 10 ms per response.
"""

from __future__ import annotations

import copy
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from channels.vk_parse import parse_wall  # noqa: E402 - after the path set-up

SAMPLES = ROOT / "tests" / "data" / "vk"
POSTS = 100
ROUNDS = 200
TARGET_MS = 10.0


def build_response() -> dict[str, object]:
    """100 items cycled from the real 2023 and 2020 samples, ids made unique and descending."""
    user_wall = json.loads((SAMPLES / "wallget_response_user_wall_2023_video_copyhistory_nextfrom_compact.json")
                           .read_text(encoding="utf-8"))["items"]
    mjs = (SAMPLES / "wallget_response_community_foodsharing_2020_pinned_docs.mjs.txt").read_text(encoding="utf-8")
    community = json.loads(mjs.strip().removeprefix("export default").strip().rstrip(";"))["items"]
    pool = user_wall + community
    items = []
    for n in range(POSTS):
        item = copy.deepcopy(pool[n % len(pool)])
        item["id"] = 10_000 - n
        item.pop("is_pinned", None)
        items.append(item)
    return {"response": {"count": 5000, "items": items}}


def main() -> None:
    response = build_response()
    size = len(json.dumps(response, ensure_ascii=False).encode())
    assert len(parse_wall(response).items) == POSTS
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        parse_wall(response)
        timings.append((time.perf_counter() - start) * 1000)
    median, best = statistics.median(timings), min(timings)
    print(f"parse_wall, {POSTS} posts ({size / 1024:.0f} KiB of JSON), {ROUNDS} rounds: "
          f"median {median:.2f} ms, best {best:.2f} ms, target < {TARGET_MS:.0f} ms — "
          f"{'OK' if median < TARGET_MS else 'SLOW'}")
    raw = json.dumps(response, ensure_ascii=False)
    with_json = []
    for _ in range(ROUNDS // 4):
        start = time.perf_counter()
        parse_wall(json.loads(raw))
        with_json.append((time.perf_counter() - start) * 1000)
    print(f"json.loads + parse_wall (what `natmon parse vk` does): median {statistics.median(with_json):.2f} ms")


if __name__ == "__main__":
    main()
