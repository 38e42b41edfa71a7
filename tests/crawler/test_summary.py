"""The crawl summary a person reads: running counts by kind and municipality, every failure named."""

from __future__ import annotations

from channels.base import ChannelRef
from crawler.job import ChannelOutcome, CrawlSummary
from crawler.progress import summary_lines
from crawler.store import CrawlTarget


def outcome(channel_id: int, kind: str, municipality: str, new: int = 0, error: str | None = None) -> ChannelOutcome:
    target = CrawlTarget(ChannelRef(channel_id, kind, f"{kind}-{channel_id}"), municipality, f"Школа № {channel_id}")
    return ChannelOutcome(target, new=new, changed=1 if new else 0, error=error)


def test_the_summary_counts_channels_posts_and_flags_and_names_each_failure():
    summary = CrawlSummary(run_id=7)
    for item in (outcome(1, "vk", "Ангарск", new=3), outcome(2, "telegram", "Ангарск", new=2),
                 outcome(3, "website", "Братск", error="Сервер ответил 503"), outcome(4, "vk", "Зима", new=1)):
        summary.add(item)
    summary.add_flagged({"Ангарск": 2, "Усть-Кут": 5})  # a channel not crawled this time: total only

    assert (summary.channels, summary.ok, summary.new_posts, summary.changed_posts) == (4, 3, 6, 3)
    assert summary.flagged == 7 and summary.flagged_by_municipality == {"Ангарск": 2, "Братск": 0, "Зима": 0}
    text = "\n".join(summary_lines(summary))
    assert "Каналов обработано: 4; успешно: 3; с ошибкой: 1." in text
    assert "Новых публикаций: 6 (Telegram: 2, VK: 4, сайт: 0); изменённых: 3." in text
    assert "  • Ангарск: отмечено 2" in text and "ещё муниципалитетов без отмеченных публикаций: 2" in text
    assert "Братск / Школа № 3 — сайт website-3: Сервер ответил 503" in text


def test_only_failed_channels_are_kept_one_by_one():
    summary = CrawlSummary()
    for channel_id in range(1, 1001):
        summary.add(outcome(channel_id, "website", "Ангарск", new=1, error="нет ответа" if channel_id % 100 == 0
                            else None))
    assert summary.channels == 1000 and len(summary.failed) == 10 and summary.new_posts == 1000
