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
from datetime import date, datetime, time, timezone
from time import monotonic
from types import ModuleType
from typing import Awaitable, Callable

import httpx

from channels import vk as vk_adapter
from channels.base import ChannelError, FetchContext, FetchResult
from crawler.addresses import is_bot_only_telegram
from crawler.bot_ingest import ingest_bot_updates
from crawler.http import PoliteClient
from crawler.registry import Registry
from crawler.settings import Settings
from crawler.profile import Profile
from crawler.store import CrawlTarget, Store, StoreError
from matching import CampaignTerms, Matcher, default_matcher

log = logging.getLogger("natmon.crawl")

LOCK_NAME = "crawl"
HEARTBEAT_SECONDS = 60.0
CHANNEL_TIMEOUT_SECONDS = 30 * 60.0  # one channel may not hold the night hostage
MATCH_BATCH = 500


class CrawlLocked(Exception):
    """Another crawl holds the store's lock."""

    def __init__(self, holder: str) -> None:
        super().__init__(f"Другой обход уже работает с этим хранилищем ({holder}). "
                         "Дождитесь его окончания; зависшая блокировка снимается автоматически.")


@dataclass(slots=True, frozen=True)
class CrawlOptions:
    municipality: str | None = None
    channel_kind: str | None = None
    since: date | None = None
    campaign: str | None = None


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
    holder = store.acquire_lock(LOCK_NAME, settings.lock_stale_after)
    if holder is not None:
        raise CrawlLocked(holder)
    profile = Profile(enabled=bool(settings.profile))
    summary = CrawlSummary()
    status = "interrupted"
    run_id: int | None = None
    channels = 0
    heartbeat = asyncio.create_task(_heartbeat(store))
    try:
        for dead in store.interrupt_dead_runs(summary.started):  # the lock was taken over from them
            summary.notes.append(f"Обход №{dead} не был завершён (процесс остановлен); он отмечен как прерванный.")
        run_id = summary.run_id = store.start_run(summary.started)
        with profile.phase("setup"):
            store.sync_registry(registry)
            del registry  # the store holds it now; a caller that passed its last reference frees it here
            queues = _queues_by_kind(store.crawl_targets(options.municipality, options.channel_kind))
            channels = sum(len(queue) for queue in queues.values())
        if on_start:
            on_start(channels)
        terms = CampaignTerms(phrases=campaign.phrases, hashtags=campaign.hashtags)
        matcher = matcher or default_matcher()
        async with PoliteClient(settings.http, transport=transport) as client:
            context = FetchContext(http=client, since=since, settings=settings.channels)
            quota_key = f"vk_wall_get_used:{today.isoformat()}"  # VK's daily quota outlives one run
            context.state[vk_adapter.USED_TODAY_KEY] = store.get_state(quota_key, {})

            async def run_one(target: CrawlTarget) -> None:
                outcome = await _crawl_channel(store, target, context, profile)
                summary.add(outcome)
                if on_progress:
                    on_progress(outcome)

            try:
                with profile.phase("fetch"), profile.instrumented():
                    await _run_by_kind(queues, _limits(settings), run_one)
            finally:
                if vk_adapter.STATE_KEY in context.state:
                    store.set_state(quota_key, context.state[vk_adapter.STATE_KEY].used_today())
            profile.http = client.stats.as_dict()
        if not options.channel_kind or options.channel_kind == "telegram":
            summary.notes.extend((await ingest_bot_updates(store, settings.channels)).notes)
        with profile.phase("match"):
            flagged = await asyncio.to_thread(match_pending, store, matcher, terms, profile)
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
            store.release_lock(LOCK_NAME)
        except StoreError:
            if status == "finished":
                raise
            log.warning("run %s not closed in the store after a failure", run_id)  # the first error is raised
    if profile.enabled:
        summary.notes.append(profile.write(settings.profile, channels))
    summary.finished = datetime.now(timezone.utc)
    return summary


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
                  profile: Profile | None = None) -> dict[int, int]:
    """Match every post whose match is missing or stale; returns explicit matches per channel id.

    Posts are read in batches by id, so memory stays flat however many posts wait.
    """
    flagged: dict[int, int] = {}
    version = matcher_version(matcher)
    after = 0
    while pending := store.posts_to_match(version, after=after, limit=MATCH_BATCH):
        after = pending[-1]["id"]
        rows = []
        for post in pending:
            decision = matcher.match(post["title"], post["text"], terms, published=post["published_at"])
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


async def _heartbeat(store: Store) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        await asyncio.to_thread(store.heartbeat, LOCK_NAME)
