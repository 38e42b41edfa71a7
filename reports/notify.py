"""`natmon notify`: after each nightly crawl, a short summary to every coordinator, and the
draft report file a few days before each deadline, through the messenger each user chose
(`users.notify_via`: the Telegram bot by default, or the region's MAX bot).

What was sent is remembered in the store's `state` table (one summary per chat a day; one
draft per chat and deadline), so running it twice sends nothing twice. A chat is marked only
after its message went out, so a failed send is retried on the next run. One user's failure,
or one messenger's (a rejected token), never stops the others.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Mapping, Protocol

from sqlalchemy import func, select

from crawler import schema as t
from crawler.registry import Campaign, Registry, SourcesError
from crawler.store import Store
from reports import ReportError
from reports.api import file_name, resolve, write_draft
from reports.bot import DEFAULT_DAYS_BEFORE
from reports.coverage import MunicipalityCoverage, municipality_coverage
from reports.data import CampaignData, load
from reports.labels import channel_label
from reports.periods import DATE_FORMAT, Period, periods
from reports.users import MAX, MESSENGER_LABELS, TELEGRAM, User, users_to_notify

FIRST_SUMMARY_WINDOW = timedelta(days=1)  # a chat's first summary covers the last day
MAX_NAMES = 8  # institutions named in a message; the rest are counted
SUMMARY_KEY = "notify:summary:{chat}"
DRAFT_KEY = "notify:draft:{chat}:{campaign}:{deadline}"
# The environment variable each messenger's bot needs (named when it is missing).
TOKEN_ENVS = {TELEGRAM: "NATMON_TELEGRAM_BOT_TOKEN", MAX: "NATMON_MAX_BOT_TOKEN"}


class Messenger(Protocol):
    async def send_message(self, chat_id: str | int, text: str) -> None: ...

    async def send_document(self, chat_id: str | int, path: Path, caption: str) -> None: ...


@dataclass(slots=True)
class NotifyResult:
    summaries: int = 0
    drafts: int = 0
    skipped: int = 0  # already sent today / for this deadline
    problems: list[str] = field(default_factory=list)  # Russian, one per chat that failed
    warnings: list[str] = field(default_factory=list)  # Russian: a user whose settings keep them from notices


def review_link(public_url: str | None, user: User, campaign: Campaign, period: Period) -> str | None:
    if not public_url or user.municipality_id is None:
        return None
    return (f"{public_url.rstrip('/')}/m/{user.municipality_id}?campaign={campaign.id}"
            f"&period={period.deadline.isoformat()}")


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMES])
    return shown + (f" и ещё {len(names) - MAX_NAMES}" if len(names) > MAX_NAMES else "")


def status_lines(cov: MunicipalityCoverage) -> list[str]:
    """Coverage of the current period, silent institutions, failing channels (Russian lines)."""
    totals = cov.totals
    lines = [f"Отчёт {cov.period.label} (период {cov.period.span}): публикаций {totals.posts_total}, "
             f"учреждений с публикациями {totals.institutions_covering} из {totals.institutions_total}; "
             f"не проверено: {totals.unreviewed}, под вопросом: {totals.near_misses}."]
    if cov.silent:
        lines.append(f"Без публикаций за период ({len(cov.silent)}): {_names(cov.silent)}.")
    else:
        lines.append("Все учреждения публиковали материалы за период.")
    if len(cov.failing):
        failing = [f"{row.institution} ({channel_label(row.channel)})" for row in cov.failing.itertuples()]
        lines.append(f"Каналы с ошибками ({len(failing)}): {_names(failing)}. Причины — на странице отчёта.")
    return lines


def new_posts(store: Store, municipality_id: int, since: datetime) -> tuple[int, int]:
    """(posts naming a national project, near misses) first seen after `since` in a municipality."""
    p, m, c, i = t.posts, t.matches, t.channels, t.institutions
    query = (select(m.c.label, func.count()).select_from(p).join(m, m.c.post_id == p.c.id)
             .join(c, c.c.id == p.c.channel_id).join(i, i.c.id == c.c.institution_id)
             .where(i.c.municipality_id == municipality_id, p.c.first_seen > since, p.c.deleted.is_(False))
             .group_by(m.c.label))
    with store.engine.connect() as conn:
        counts = dict(conn.execute(query).all())
    return int(counts.get("explicit", 0)), int(counts.get("implicit", 0))


def summary_text(cov: MunicipalityCoverage, fresh: tuple[int, int], since: datetime, tz: object,
                 link: str | None, today: date) -> str:
    local = since.astimezone(tz)  # type: ignore[arg-type]
    lines = [f"natmon · {cov.municipality} · {today:{DATE_FORMAT}}",
             f"Новых публикаций о нацпроектах с {local:%d.%m %H:%M}: {fresh[0]}"
             + (f" (ещё {fresh[1]} под вопросом)." if fresh[1] else "."),
             *status_lines(cov)]
    if link:
        lines.append(f"Проверить: {link}")
    return "\n".join(lines)


def draft_caption(cov: MunicipalityCoverage, link: str | None, days_left: int) -> str:
    when = "сегодня" if days_left == 0 else ("завтра" if days_left == 1 else f"через {days_left} дн.")
    text = (f"Черновик отчёта {cov.period.label}, {cov.municipality}: срок {when}. Проверьте публикации и "
            "подтвердите их, затем отправьте отчёт.")
    return text + (f"\n{link}" if link else "")


def _coverage(data: CampaignData, user: User, period: Period) -> MunicipalityCoverage | None:
    """The user's municipality for the period; None when it is gone from the registry or the store."""
    try:
        return municipality_coverage(data, user.municipality or "", period)
    except (ReportError, SourcesError):
        return None


def state_chat(user: User) -> str:
    """The `state` keys' chat part: the Telegram chat id as before MAX, `max:<id>` for MAX."""
    return f"max:{user.max_user_id}" if user.notify_via == MAX else str(user.telegram_chat_id)


def _where(user: User) -> str:
    return f"MAX {user.max_user_id}" if user.notify_via == MAX else f"чат {user.telegram_chat_id}"


async def notify(store: Store, registry: Registry, messengers: Mapping[str, Messenger], *, today: date,
                 now: datetime | None = None, days_before: int = DEFAULT_DAYS_BEFORE, public_url: str | None = None,
                 campaign: str | None = None) -> NotifyResult:
    """Send every coordinator their summary and, near a deadline, their draft, each through the
    messenger they chose (`messengers`: "telegram" / "max" → a configured bot; a missing one is
    reported for its users)."""
    now = now or datetime.now(timezone.utc)
    found, period = resolve(registry, campaign, None, today)
    data = load(store, registry, found)
    result = NotifyResult()
    broken: dict[str, str] = {}  # messenger -> why none of its sends can work this run (a rejected token)
    due = [p for p in periods(found) if 0 <= (p.deadline - today).days <= days_before]
    for user in users_to_notify(store):
        if user.is_operator or user.municipality_id is None:
            continue
        label = MESSENGER_LABELS.get(user.notify_via, user.notify_via)
        if user.recipient is None:
            result.warnings.append(f"{user.login}: уведомления выбраны в {label}, но не указан ID пользователя "
                                   f"{label} — ничего не отправлено; укажите его: natmon users messenger "
                                   f"{user.login} --max-user ID")
            continue
        messenger = messengers.get(user.notify_via)
        if messenger is None:
            env = TOKEN_ENVS.get(user.notify_via, "")
            result.problems.append(f"{user.login} ({_where(user)}): бот {label} не настроен — задайте переменную "
                                   f"окружения {env}")
            continue
        if user.notify_via in broken:
            result.problems.append(f"{user.login} ({_where(user)}): {broken[user.notify_via]}")
            continue
        cov = _coverage(data, user, period)
        if cov is None:
            result.problems.append(f"{user.login}: муниципалитета «{user.municipality}» нет в реестре")
            continue
        try:
            await _summary(store, registry, messenger, user, cov, found, period, today, now, public_url, result)
            for deadline_period in due:
                await _draft(store, registry, messenger, user, data, found, deadline_period, today, public_url, result)
        except _ChatFailed as exc:
            if exc.fatal:
                broken[user.notify_via] = exc.message
            result.problems.append(f"{user.login} ({_where(user)}): {exc.message}")
    return result


class _ChatFailed(Exception):
    def __init__(self, message: str, fatal: bool) -> None:
        super().__init__(message)
        self.message = message
        self.fatal = fatal


async def _send(call: object) -> None:
    from reports.bot.client import BotError

    try:
        await call  # type: ignore[misc]
    except BotError as exc:
        raise _ChatFailed(exc.message, exc.fatal) from None


async def _summary(store: Store, registry: Registry, messenger: Messenger, user: User, cov: MunicipalityCoverage,
                   found: Campaign, period: Period, today: date, now: datetime, public_url: str | None,
                   result: NotifyResult) -> None:
    key = SUMMARY_KEY.format(chat=state_chat(user))
    last = store.get_state(key) or {}
    if last.get("day") == today.isoformat():
        result.skipped += 1
        return
    since = datetime.fromisoformat(last["at"]) if last.get("at") else now - FIRST_SUMMARY_WINDOW
    assert user.municipality_id is not None
    text = summary_text(cov, new_posts(store, user.municipality_id, since), since, registry.timezone,
                        review_link(public_url, user, found, period), today)
    await _send(messenger.send_message(str(user.recipient), text))
    store.set_state(key, {"at": now.isoformat(), "day": today.isoformat()})
    result.summaries += 1


async def _draft(store: Store, registry: Registry, messenger: Messenger, user: User, data: CampaignData,
                 found: Campaign, period: Period, today: date, public_url: str | None, result: NotifyResult) -> None:
    key = DRAFT_KEY.format(chat=state_chat(user), campaign=found.id, deadline=period.deadline.isoformat())
    if store.get_state(key):
        result.skipped += 1
        return
    cov = _coverage(data, user, period)
    assert cov is not None and user.municipality is not None
    with tempfile.TemporaryDirectory(prefix="natmon-notify-") as folder:
        path = write_draft(store, registry, found, cov.municipality, period,
                           Path(folder) / file_name("draft", cov.municipality, period, "xlsx"), data=data)
        caption = draft_caption(cov, review_link(public_url, user, found, period), (period.deadline - today).days)
        await _send(messenger.send_document(str(user.recipient), path, caption))
    store.set_state(key, {"sent_at": datetime.now(timezone.utc).isoformat(), "file": path.name})
    result.drafts += 1


__all__ = ["notify", "NotifyResult", "Messenger", "summary_text", "status_lines", "draft_caption", "review_link",
           "new_posts"]
