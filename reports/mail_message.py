"""The e-mail a ministry clerk receives: a Russian subject, a short body with the figures, the xlsx.

Pure: the figures come in as a `Summary`, the message goes out as an `EmailMessage`
(headers RFC 2047-encoded by the standard library's default policy).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from crawler.registry import Campaign
from reports.data import CHANNEL_KINDS, OTHER
from reports.labels import channel_label
from reports.periods import DATE_FORMAT, Period

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
REGION_SUBJECT = "сводный отчёт региона"
SIGNATURE = ("Файл подготовлен в natmon — системе мониторинга освещения национальных проектов "
             "на сайтах и в сообществах образовательных организаций; в отчёт включены только "
             "публикации, подтверждённые ответственным.")


@dataclass(slots=True, frozen=True)
class Summary:
    """What the body tells: whose report, which figures."""

    region: str
    municipality: str | None  # None: the regional workbook
    authority: str  # who sends (the municipality's education authority; empty for the region)
    posts: dict[str, int]  # confirmed publications per channel kind (website, vk, telegram, other)
    institutions_covering: int
    institutions_total: int
    municipalities: int = 0  # the regional workbook: municipalities in it
    unreviewed: int = 0  # the regional workbook: pre-filled rows nobody has checked yet


def subject(campaign: Campaign, municipality: str | None, period: Period) -> str:
    """«Отчёт об информационном сопровождении «…»: г. Ангарск за период с 14.01.2025 по 24.01.2025»."""
    who = municipality or REGION_SUBJECT
    return (f"Отчёт об информационном сопровождении «{campaign.name}»: {who} за период "
            f"с {period.start_date:{DATE_FORMAT}} по {period.end_date:{DATE_FORMAT}}")


def body(summary: Summary, campaign: Campaign, period: Period, who: str, file_name: str) -> str:
    posts = [f"  {channel_label(kind)} — {summary.posts.get(kind, 0)}" for kind in (*CHANNEL_KINDS, OTHER)]
    total = sum(summary.posts.values())
    share = (f" ({summary.institutions_covering * 100 // summary.institutions_total} %)"
             if summary.institutions_total else "")
    if summary.municipality:
        whose = f"муниципального образования «{summary.municipality}»"
        sender = f"{summary.authority} ({summary.municipality})" if summary.authority else summary.municipality
    else:
        whose = f"по региону ({summary.region}), муниципальных образований: {summary.municipalities}"
        sender = summary.region
    lines = [
        "Уважаемые коллеги!",
        "",
        f"Направляем отчёт об информационном сопровождении кампании «{campaign.name}» {whose} "
        f"за период с {period.start_date:{DATE_FORMAT}} по {period.end_date:{DATE_FORMAT}} "
        f"(срок представления — {period.deadline:{DATE_FORMAT}}).",
        "",
        "Подтверждённые публикации о национальных проектах за период:",
        *posts,
        f"  всего — {total}",
        f"Образовательных организаций с публикациями: {summary.institutions_covering} из "
        f"{summary.institutions_total}{share}.",
    ]
    if not summary.municipality and summary.unreviewed:
        lines.append(f"Ещё не проверено муниципалитетами публикаций: {summary.unreviewed} "
                     "(в отчёт не вошли; по муниципалитетам — на листе «Сводка»).")
    lines += ["", f"Отчёт во вложении: {file_name}.", "", f"Отправитель: {sender}.", f"Отправил(а): {who}.", "",
              "--", SIGNATURE]
    return "\n".join(lines) + "\n"


def build(sender: str, recipient_name: str, recipient_email: str, subject_text: str, body_text: str,
          attachment: bytes, file_name: str, now: datetime) -> EmailMessage:
    """The message with the workbook attached."""
    message = EmailMessage()
    message["From"] = sender
    # an Address, not formataddr(): a pre-encoded display name gets refolded with a stray space
    message["To"] = Address(display_name=recipient_name, addr_spec=recipient_email)
    message["Subject"] = subject_text
    message["Date"] = format_datetime(now)
    domain = sender.rpartition("@")[2].strip(" >") or None
    message["Message-ID"] = make_msgid("natmon", domain=domain)
    message.set_content(body_text)
    message.add_attachment(attachment, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=file_name)
    return message


__all__ = ["Summary", "subject", "body", "build", "SIGNATURE"]
