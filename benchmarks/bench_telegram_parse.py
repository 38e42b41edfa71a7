"""Pure parse speed of a t.me/s page: `channels.telegram.parse_channel_page`.

Builds a 20-post page from the real vmkononov sample (its 5 posts repeated four times
with fresh ids) and parses it repeatedly; the target is under 20 ms per page.

    .venv/bin/python benchmarks/bench_telegram_parse.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from channels.telegram import parse_channel_page

SAMPLE = (Path(__file__).parent.parent / "tests" / "data" / "telegram"
          / "tme_s_vmkononov_ru_channel_before_link_albums_video_edited.html")
POSTS_PER_PAGE = 20
TARGET_MS = 20.0
_BLOCK = re.compile(r'<div class="tgme_widget_message_wrap js-widget_message_wrap">.*?(?=<div class="tgme_widget_message_wrap|\s*</section>)',
                    re.S)


def twenty_post_page() -> str:
    """The real page with its message blocks repeated up to 20, renumbered 1..20."""
    html = SAMPLE.read_text(encoding="utf-8")
    blocks = _BLOCK.findall(html)
    start, end = html.index(blocks[0]), html.index(blocks[-1]) + len(blocks[-1])
    repeated = []
    for number in range(POSTS_PER_PAGE):
        block = blocks[number % len(blocks)]
        repeated.append(re.sub(r"vmkononov/\d+", f"vmkononov/{number + 1}", block))
    return html[:start] + "".join(repeated) + html[end:]


def measure(html: str, rounds: int) -> float:
    parse_channel_page(html)  # warm up
    began = time.perf_counter()
    for _ in range(rounds):
        parse_channel_page(html)
    return (time.perf_counter() - began) * 1000 / rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    page = twenty_post_page()
    found = len(parse_channel_page(page).messages)
    assert found == POSTS_PER_PAGE, f"built page holds {found} posts"
    for label, html in (("real sample, 5 posts", SAMPLE.read_text(encoding="utf-8")),
                        (f"built page, {POSTS_PER_PAGE} posts", page)):
        ms = measure(html, rounds)
        print(f"{label:<24} {len(html) / 1024:7.1f} KiB  {ms:7.2f} ms/page")
    ms = measure(page, rounds)
    verdict = "OK" if ms < TARGET_MS else "SLOWER THAN TARGET"
    print(f"target < {TARGET_MS:.0f} ms per 20-post page: {ms:.2f} ms -> {verdict}")


if __name__ == "__main__":
    main()
