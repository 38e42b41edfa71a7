"""The simulated region behind the benchmarks: more nights for a kept store change no earlier post."""

from __future__ import annotations

from benchmarks.simregion.model import DAY_SECONDS, Region, SimConfig

T0 = 1_790_000_000.0


def test_posting_past_t0_keeps_every_earlier_post_and_adds_later_ones():
    before = Region(SimConfig(n=12, seed=5, t0=T0))
    after = Region(SimConfig(n=12, seed=5, t0=T0, extra_days=2))
    after.cutoff = T0  # what the sources show at the old "now"
    assert after.expected() == before.expected()
    after.cutoff = T0 + 2 * DAY_SECONDS
    grown = after.expected()
    assert all(grown[channel] >= keys for channel, keys in before.expected().items())
    assert sum(map(len, grown.values())) > sum(map(len, before.expected().values()))


def test_posting_past_t0_keeps_the_text_of_earlier_posts():
    before = Region(SimConfig(n=12, seed=5, t0=T0))
    after = Region(SimConfig(n=12, seed=5, t0=T0, extra_days=2))
    after.cutoff = T0
    for inst in before.institutions:
        assert [(i.id, i.title, i.text) for i in after.visible_site_items(inst)] == \
               [(i.id, i.title, i.text) for i in before.visible_site_items(inst)]
        if inst.vk is not None:
            assert after.wall(inst.vk) == before.wall(inst.vk)
        if inst.telegram:
            assert after.telegram_messages(inst.telegram) == before.telegram_messages(inst.telegram)
