"""Send the confirmed report to the regional centre by e-mail and keep a record of it.

`send_report` builds the final form of a municipality (or the regional workbook), refuses
while pre-filled rows are unreviewed or when the report was already sent (unless `resend`),
mails it through the SMTP server of `SmtpSettings` and records the attempt, success or
failure, in `sendings` and `audit_log`. A failed attempt changes nothing else, so a later
retry needs no `resend`. `sending_status` tells, for every report of a campaign, whether it
went out on time.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import date, datetime, timezone
from pathlib import Path
from tempfile import TemporaryDirectory

from crawler.registry import Registry
from crawler.settings import SmtpSettings, SmtpSettingsError
from crawler.store import Store
from reports import ReportError
from reports.api import (
    CampaignArg,
    PendingRows,
    PeriodArg,
    file_name,
    resolve,
    today_in,
    write_final,
)
from reports.data import CHANNEL_KINDS, OTHER, CampaignData, load
from reports.form import final_content, values_for
from reports.mail_message import Summary, body, build, subject
from reports.mail_records import FAILED, SENT, SendingRecord, first_sent, records, save
from reports.mail_smtp import DeliveryError, deliver
from reports.mail_status import (
    REGION_LABEL,
    TIME_FORMAT,
    StatusRow,
    preview_block,
    report_state,
    status_rows,
)
from reports.periods import Period
from reports.region_report import write_region_report


class SendRefused(ReportError):
    """Not sent: unreviewed rows (`rows`) or already sent (`previous`); nothing was recorded."""

    def __init__(self, message: str, rows: list[str] | None = None, previous: SendingRecord | None = None) -> None:
        super().__init__(message)
        self.rows = rows or []
        self.previous = previous


class SendFailed(ReportError):
    """The mail server did not take the report; the attempt is recorded as `failed` (`record`)."""

    def __init__(self, message: str, record: SendingRecord) -> None:
        super().__init__(message)
        self.record = record


def send_report(store: Store, registry: Registry, campaign: CampaignArg, municipality: str | None,
                period: PeriodArg, who: str, *, resend: bool = False, smtp: SmtpSettings | None = None,
                output_dir: Path | None = None) -> SendingRecord:
    """Build, mail and record one report; `municipality` None sends the regional workbook.

    `output_dir`, when given, receives a copy of the file that was sent.
    """
    found, chosen = resolve(registry, campaign, period)
    name = registry.municipality(municipality).name if municipality is not None else None
    label = name or REGION_LABEL
    if not found.recipient_email:
        raise ReportError(f"У кампании «{found.id}» не указан адрес получателя отчётов: заполните "
                          f"campaigns[].recipient.email в {registry.path} и повторите")
    settings = smtp or _smtp_from_env()
    if not resend:
        previous = first_sent(store.engine, found.id, chosen.deadline, name)
        if previous is not None:
            raise SendRefused(f"{label}, отчёт {chosen.label}: уже отправлен "
                              f"{previous.at.astimezone(registry.timezone):{TIME_FORMAT}} на {previous.recipient}. "
                              "Чтобы отправить его ещё раз, добавьте --resend", previous=previous)
    data = load(store, registry, found)
    today = today_in(registry)
    fname = file_name("final" if name else "region", name, chosen, "xlsx")
    with TemporaryDirectory(prefix="natmon-send-") as tmp:
        path = Path(tmp) / fname
        if name is None:
            write_region_report(data, chosen, path, today)
        else:
            try:
                write_final(store, registry, found, name, chosen, path, data=data)
            except PendingRows as exc:
                raise SendRefused(f"{label}, отчёт {chosen.label}: не отправлен — не проверено публикаций: "
                                  f"{len(exc.rows)}. Отметьте их в черновике, загрузите его (natmon report import) "
                                  "и повторите отправку", rows=exc.rows) from None
        attachment = path.read_bytes()
        checksum = hashlib.sha256(attachment).hexdigest()
        now = datetime.now(timezone.utc).replace(microsecond=0)
        message = build(settings.sender, found.recipient_name, found.recipient_email,
                        subject(found, name, chosen), body(_summary(data, name, chosen, today), found, chosen, who,
                                                           fname), attachment, fname, now)
        try:
            response = deliver(settings, message)
        except DeliveryError as exc:
            record = save(store.engine, found.id, chosen.deadline, name, who, _now(), found.recipient_email, FAILED,
                          exc.response, fname, checksum)
            raise SendFailed(f"{label}, отчёт {chosen.label}: не отправлен. {exc.message}. Попытка записана "
                             "как неудачная (natmon report status)", record) from None
        record = save(store.engine, found.id, chosen.deadline, name, who, _now(), found.recipient_email, SENT,
                      response, fname, checksum)
        if output_dir is not None:
            Path(output_dir).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, Path(output_dir) / fname)
    return record


def sending_status(store: Store, registry: Registry, campaign: CampaignArg, today: date | None = None) -> list[StatusRow]:
    """Every municipality of the registry, then the region (municipality None), for every deadline."""
    today = today or today_in(registry)
    found = resolve(registry, campaign, None, today)[0]
    return status_rows(records(store.engine, found.id), registry, found, today)


def report_status(store: Store, registry: Registry, campaign: CampaignArg, municipality: str | None,
                  period: PeriodArg, today: date | None = None) -> StatusRow:
    """The state of one report (the block of the HTML preview)."""
    today = today or today_in(registry)
    found, chosen = resolve(registry, campaign, period, today)
    name = registry.municipality(municipality).name if municipality is not None else None
    return report_state(store.engine, registry, found, name, chosen.deadline, today)


def preview_sending(store: Store, registry: Registry, campaign: CampaignArg, municipality: str,
                    period: PeriodArg, today: date | None = None) -> dict[str, str]:
    """What `reports.preview.render_municipality(…, sending=…)` shows: {"state", "text"}."""
    return preview_block(report_status(store, registry, campaign, municipality, period, today), registry.timezone)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _smtp_from_env() -> SmtpSettings:
    try:
        return SmtpSettings.from_env()
    except SmtpSettingsError as exc:
        raise ReportError(exc.message) from None


def _summary(data: CampaignData, municipality: str | None, period: Period, today: date) -> Summary:
    """The figures of the body, the same the attached form shows."""
    names = [municipality] if municipality else list(data.institutions["municipality"].drop_duplicates())
    posts = dict.fromkeys((*CHANNEL_KINDS, OTHER), 0)
    covering = total = unreviewed = 0
    for name in names:
        content, pending = final_content(data, name, period)
        values = values_for(content, data, today)
        for kind in posts:
            posts[kind] += int(values[f"posts_{kind}"])
        covering += int(values["institutions_covering"])
        total += int(values["institutions_total"])
        unreviewed += len(pending)
    authority = data.registry.municipality(municipality).authority if municipality else ""
    return Summary(data.registry.region, municipality, authority, posts, covering, total, len(names), unreviewed)


__all__ = ["SendRefused", "SendFailed", "SendingRecord", "StatusRow", "send_report", "sending_status",
           "report_status", "preview_sending"]
