"""The nightly job: crawl every enabled channel from its cursor, store, match, record health.

A crawl is incremental (adapters stop at their cursor), idempotent (posts are upserted),
resumable (a channel's cursor moves only after its posts are stored, and posts left
unmatched by a killed run are matched by the next one) and isolated (one channel failing,
for whatever reason, is recorded on that channel and never stops the rest).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from time import monotonic
from types import ModuleType
from typing import Any, Awaitable, Callable

import httpx

from channels import vk as vk_adapter
from channels.base import ChannelError, FetchContext, FetchResult
from crawler.addresses import is_bot_only_telegram
from crawler.bot_ingest import ingest_bot_updates
from crawler.http import PoliteClient
from crawler.locks import CrawlLock
from crawler.registry import Registry
from crawler.revisit import RATE_WINDOW_DAYS, History, is_due
from crawler.settings import Settings
from crawler.profile import Profile
from crawler.shares import WHOLE_LOCK, Share, may_close_run, run_label
from crawler.store import CrawlTarget, Store, StoreError
from matching import CampaignTerms, Matcher, default_matcher

log = logging.getLogger("natmon.crawl")

LOCK_NAME = WHOLE_LOCK  # the lock of a crawl of the whole registry; a share's is `crawl:K/N`
HEARTBEAT_SECONDS = 60.0
CHANNEL_TIMEOUT_SECONDS = 30 * 60.0  # one channel may not hold the night hostage
MATCH_BATCH = 500


class CrawlLocked(Exception):
    """Another crawl holds the store's lock."""

    def __init__(self, holder: str, share: Share | None = None) -> None:
        what = f"доли {share.label} реестра" if share else "всего реестра"
        super().__init__(f"Другой обход уже работает с этим хранилищем и пересекается с обходом {what} ({holder}). "
                         "Дождитесь его окончания; зависшая блокировка снимается автоматически. Несколько машин "
                         "обходят реестр вместе, только если у каждой своя доля с одним N (--share 1/N … N/N).")


@dataclass(slots=True, frozen=True)
class CrawlOptions:
    municipality: str | None = None
    channel_kind: str | None = None
    since: date | None = None
    campaign: str | None = None
    share: Share | None = None  # --share K/N: only this share of the registry's channels (crawler/shares.py)


@dataclass(slots=True)
class ChannelOutcome:
    target: CrawlTarget
    new: int = 0
    changed: int = 0
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # a success that read nothing it should have

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(slots=True)
class CrawlSummary:
    """What a crawl did, kept as running counts: only failed channels are kept one by one, so
    the summary of a national registry takes no more memory than a district's."""

    run_id: int = 0
    started: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    finished: datetime | None = None
    channels: int = 0  # channels crawled, successfully or not
    new_by_kind: dict[str, int] = field(default_factory=dict)
    changed_posts: int = 0
    failed: list[ChannelOutcome] = field(default_factory=list)
    warned: list[ChannelOutcome] = field(default_factory=list)  # succeeded with «страница не разобрана»
    flagged: int = 0  # posts matched `explicit` in this run
    flagged_by_municipality: dict[str, int] = field(default_factory=dict)  # every crawled municipality, 0 too
    notes: list[str] = field(default_factory=list)  # run-wide remarks (the Telegram bot, …)
    share: str | None = None  # "2/4" when the crawl took one share of the registry
    deferred_by_kind: dict[str, int] = field(default_factory=dict)  # channels left for a later night

    def add(self, outcome: ChannelOutcome) -> None:
        target = outcome.target
        self.channels += 1
        self.new_by_kind[target.ref.kind] = self.new_by_kind.get(target.ref.kind, 0) + outcome.new
        self.changed_posts += outcome.changed
        self.flagged_by_municipality.setdefault(target.municipality, 0)
        if not outcome.ok:
            self.failed.append(outcome)
        elif outcome.warnings:
            self.warned.append(outcome)

    def add_flagged(self, by_municipality: dict[str, int]) -> None:
        """Explicit matches of this run, by the municipality of their channel."""
        self.flagged += sum(by_municipality.values())
        for name, count in by_municipality.items():
            if name in self.flagged_by_municipality:
                self.flagged_by_municipality[name] += count

    @property
    def ok(self) -> int:
        return self.channels - len(self.failed)

    @property
    def new_posts(self) -> int:
        return sum(self.new_by_kind.values())

    @property
    def all_failed(self) -> bool:
        """Every channel crawled failed (and there was one): the machine's network, proxy or tokens, most likely."""
        return self.channels > 0 and len(self.failed) == self.channels


ProgressCallback = Callable[[ChannelOutcome], None]


def adapter(kind: str) -> ModuleType:
    """The channel module for a kind (channels.website, .vk, .telegram, .ok, .max)."""
    return importlib.import_module(f"channels.{kind}")


def since_moment(registry: Registry, options: CrawlOptions, today: date) -> datetime:
    """How far back a crawl goes: --since, else the campaign start, at local midnight."""
    day = options.since or registry.campaign(options.campaign, today).start
    return datetime.combine(day, time.min, tzinfo=registry.timezone)


async def crawl(store: Store, registry: Registry, settings: Settings, options: CrawlOptions = CrawlOptions(),
                *, on_progress: ProgressCallback | None = None, on_start: Callable[[int], None] | None = None,
                transport: httpx.AsyncBaseTransport | None = None, matcher: Matcher | None = None) -> CrawlSummary:
    """Run one crawl over the registry's enabled channels (narrowed by `options`)."""
    today = datetime.now(registry.timezone).date()
    campaign = registry.campaign(options.campaign, today)
    since = since_moment(registry, options, today)
    tz, deadlines = registry.timezone, [day for c in registry.campaigns for day in c.deadlines]
    share = options.share
    lock = CrawlLock(store, share, settings.lock_stale_after)
    holder = await asyncio.to_thread(lock.acquire)
    if holder is not None:
        raise CrawlLocked(holder, share)
    profile = Profile(enabled=bool(settings.profile))
    summary = CrawlSummary(share=run_label(share))
    status = "interrupted"
    run_id: int | None = None
    channels = 0
    own_channels: set[int] | None = None
    heartbeat = asyncio.create_task(_heartbeat(lock))
    try:
        # the lock was taken over from them (or, on PostgreSQL, released when their connection died)
        for dead in store.interrupt_dead_runs_of(lambda run_share: may_close_run(share, run_share), summary.started):
            summary.notes.append(f"Обход №{dead} не был завершён (процесс остановлен); он отмечен как прерванный.")
        run_id = summary.run_id = store.start_run(summary.started, share=run_label(share))
        with profile.phase("setup"):
            store.sync_registry(registry)
            del registry  # the store holds it now; a caller that passed its last reference frees it here
            targets = store.crawl_targets(options.municipality, options.channel_kind)
            if share is not None:
                own_channels = {target.ref.id for target in store.crawl_targets() if _in_share(share, target)}
                targets = [target for target in targets if target.ref.id in own_channels]
            targets = _due_tonight(store, targets, settings, today, tz, deadlines, since, summary)
            queues = _queues_by_kind(targets)
            del targets
            channels = sum(len(queue) for queue in queues.values())
        if on_start:
            on_start(channels)
        terms = CampaignTerms(phrases=campaign.phrases, hashtags=campaign.hashtags)
        matcher = matcher or default_matcher()
        async with PoliteClient(settings.http, transport=transport) as client:
            context = FetchContext(http=client, since=since, settings=settings.channels)
            quota_key = f"vk_wall_get_used:{today.isoformat()}"  # VK's daily quota outlives one run
            quota_before = context.state[vk_adapter.USED_TODAY_KEY] = store.get_state(quota_key, {})

            async def run_one(target: CrawlTarget) -> None:
                outcome = await _crawl_channel(store, target, context, profile)
                summary.add(outcome)
                if on_progress:
                    on_progress(outcome)

            try:
                with profile.phase("fetch"), profile.instrumented():
                    await _run_by_kind(queues, _limits(settings), run_one)
            finally:
                if vk_adapter.STATE_KEY in context.state:  # other shares may have spent some meanwhile
                    store.set_state(quota_key, _quota_spent(quota_before, store.get_state(quota_key, {}),
                                                            context.state[vk_adapter.STATE_KEY].used_today()))
            profile.http = client.stats.as_dict()
        # the bot's updates are read by one crawl only (Telegram answers one reader at a time): share 1
        if (not options.channel_kind or options.channel_kind == "telegram") and (share is None or share.index == 1):
            summary.notes.extend((await ingest_bot_updates(store, settings.channels)).notes)
        with profile.phase("match"):
            flagged = await asyncio.to_thread(match_pending, store, matcher, terms, profile, own_channels)
            summary.add_flagged(await asyncio.to_thread(store.count_by_municipality, flagged))
        status = "finished"
    finally:
        heartbeat.cancel()
        errors = {str(o.target.ref.id): o.error for o in summary.failed if o.error}
        try:
            if run_id is not None:
                store.finish_run(run_id, ok=summary.ok, failed=len(errors), new=summary.new_posts,
                                 changed=summary.changed_posts, flagged=summary.flagged, errors=errors,
                                 status=status)
            lock.release()
        except StoreError:
            if status == "finished":
                raise
            log.warning("run %s not closed in the store after a failure", run_id)  # the first error is raised
    if profile.enabled:
        summary.notes.append(profile.write(settings.profile, channels))
    summary.finished = datetime.now(timezone.utc)
    return summary


def _in_share(share: Share, target: CrawlTarget) -> bool:
    return share.holds(target.ref.kind, target.ref.address)


def _due_tonight(store: Store, targets: list[CrawlTarget], settings: Settings, today: date, tz: Any,
                 deadlines: list[date], since: datetime, summary: CrawlSummary) -> list[CrawlTarget]:
    """The targets tonight visits: every channel, except those of the single-host kinds
    (`revisit_kinds`) whose posting rate lets them wait for a later night (crawler/revisit.py)."""
    kinds = [kind for kind in settings.revisit_kinds if any(target.ref.kind == kind for target in targets)]
    if not kinds:
        return targets
    now = datetime.now(timezone.utc)
    window_start = max(now - timedelta(days=RATE_WINDOW_DAYS), since)  # a young campaign has fewer posts stored
    window_days = (now - window_start).total_seconds() / 86400
    history = store.revisit_history(kinds, window_start)
    due = []
    for target in targets:
        ref = target.ref
        if ref.kind in kinds:
            last, failed, recent = history.get(ref.id, (None, False, 0))
            if not is_due(ref.kind, ref.address, History(last, recent, failed), today=today, tz=tz,
                          window_days=window_days, max_days=settings.revisit_max_days, deadlines=deadlines):
                summary.deferred_by_kind[ref.kind] = summary.deferred_by_kind.get(ref.kind, 0) + 1
                continue
        due.append(target)
    return due


def _quota_spent(before: dict[str, int], now_stored: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """VK calls spent today per token: what the store says now (other shares' use included) plus this run's."""
    return {key: now_stored.get(key, 0) + after.get(key, 0) - before.get(key, 0)
            for key in {*now_stored, *after}}


def _limits(settings: Settings) -> dict[str, int]:
    """Channels crawled at once, per kind ("" for websites and any other kind): VK, Telegram, OK and
    MAX are one service each, websites as many hosts as channels."""
    return {"vk": settings.vk_concurrency, "telegram": settings.telegram_concurrency, "ok": settings.ok_concurrency,
            "max": settings.max_concurrency, "": settings.concurrency}


def _queues_by_kind(targets: list[CrawlTarget]) -> dict[str, deque[CrawlTarget]]:
    queues: dict[str, deque[CrawlTarget]] = {}
    for target in targets:
        queues.setdefault(target.ref.kind, deque()).append(target)
    return queues


async def _run_by_kind(queues: dict[str, deque[CrawlTarget]], limits: dict[str, int],
                       run_one: Callable[[CrawlTarget], Awaitable[None]]) -> None:
    """Crawl each kind's queue with a fixed number of workers.

    Channels waiting for one slow service (t.me is a single host) never hold the slots of
    websites, and the number of live tasks stays bounded whatever the registry's size. A
    target is let go once crawled.
    """

    async def worker(queue: deque[CrawlTarget]) -> None:
        while queue:
            await run_one(queue.popleft())

    workers = [asyncio.create_task(worker(queue)) for kind, queue in queues.items()
               for _ in range(max(1, min(len(queue), limits.get(kind, limits[""]))))]
    try:
        await asyncio.gather(*workers)
    finally:  # a store failure stops every worker before the client closes
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)


async def _crawl_channel(store: Store, target: CrawlTarget, context: FetchContext,
                         profile: Profile) -> ChannelOutcome:
    outcome = ChannelOutcome(target)
    ref = target.ref
    began = monotonic()
    cursor = await asyncio.to_thread(store.cursor, ref.id)  # outside the try: a store failure stops the crawl
    try:
        if ref.kind == "telegram" and is_bot_only_telegram(ref.address):
            result = FetchResult([], None, notes=["Закрытый канал: публикации приходят через бота natmon"])
        else:
            result = await asyncio.wait_for(adapter(ref.kind).fetch(ref, cursor, context),
                                            CHANNEL_TIMEOUT_SECONDS)
    except ChannelError as exc:
        outcome.error = exc.message
    except TimeoutError:
        outcome.error = f"Обход канала не уложился в {CHANNEL_TIMEOUT_SECONDS / 60:.0f} минут и прерван"
    except Exception as exc:  # noqa: BLE001 - a bad page or an adapter bug must not stop the crawl
        log.exception("channel %s %s failed unexpectedly", ref.kind, ref.address)
        outcome.error = f"Непредвиденная ошибка при разборе ({type(exc).__name__}: {exc})"
    profile.add(f"channel_s.{ref.kind}", monotonic() - began)
    with profile.timed("store"):
        if outcome.error is not None:
            await asyncio.to_thread(store.channel_failed, ref.id, outcome.error)
            return outcome
        saved = await asyncio.to_thread(store.save_posts, ref.id, result.posts)
        await asyncio.to_thread(store.channel_succeeded, ref.id, result.cursor, result.resolved,
                                warning="; ".join(result.warnings) or None)
    outcome.new, outcome.changed, outcome.notes = len(saved.new), len(saved.changed), result.notes
    outcome.warnings = result.warnings
    return outcome


def match_pending(store: Store, matcher: Matcher, terms: CampaignTerms,
                  profile: Profile | None = None, channels: set[int] | None = None) -> dict[int, int]:
    """Match every post whose match is missing or stale; returns explicit matches per channel id.

    Posts are read in batches by id, so memory stays flat however many posts wait. `channels`
    (a share's) keeps to those channels' posts, so crawls of other shares never match the same post.
    """
    flagged: dict[int, int] = {}
    version = matcher_version(matcher)
    after = 0
    while pending := store.posts_to_match(version, after=after, limit=MATCH_BATCH):
        after = pending[-1]["id"]
        rows = []
        posts = [post for post in pending if channels is None or post["channel_id"] in channels]
        decisions = matcher.match_many(((p["title"], p["text"], p["published_at"]) for p in posts), terms)
        for post, decision in zip(posts, decisions, strict=True):
            if decision.label == "explicit":
                flagged[post["channel_id"]] = flagged.get(post["channel_id"], 0) + 1
            record = decision.to_dict()
            rows.append({"post_id": post["id"], "version": decision.version, "label": decision.label,
                         "projects": record["projects"], "federal_projects": record["federal_projects"],
                         "campaign": decision.campaign, "formats": record["formats"],
                         "evidence": record["evidence"], "content_hash": post["content_hash"]})
        store.save_matches(rows)
        if profile is not None:
            profile.add("matched_posts", len(rows))
    return flagged


def matcher_version(matcher: Matcher) -> str:
    return matcher.match("", "").version


async def _heartbeat(lock: CrawlLock) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        await asyncio.to_thread(lock.heartbeat)
