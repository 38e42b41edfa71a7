"""Sending the confirmed report by e-mail to a real SMTP server on 127.0.0.1, and its record."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from email import message_from_bytes
from email.header import decode_header, make_header
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from crawler import schema as t
from crawler.registry import Registry
from crawler.store import Store
from reports import ReportError
from reports.mail import SendFailed, SendRefused, send_report
from reports.xlsx_template import shown_text

from .mail_support import (
    LOGIN,
    PASSWORD,
    QUEUED,
    RECIPIENT,
    RECIPIENT_NAME,
    SENDER,
    free_port,
    recipient_registry,
    review,
    review_angarsk,
    settings,
    smtp_server,
)

SUBJECT = ("Отчёт об информационном сопровождении «Итоги реализации нацпроектов»: г. Ангарск "
           "за период с 14.01.2025 по 24.01.2025")


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    return recipient_registry(tmp_path)


@pytest.fixture
def reviewed(store: Store, filled: dict[str, int]) -> dict[str, int]:
    return review_angarsk(store, filled)


def sendings(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [dict(row) for row in conn.execute(select(t.sendings).order_by(t.sendings.c.id)).mappings()]


def audit(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [dict(row) for row in conn.execute(select(t.audit_log).order_by(t.audit_log.c.id)).mappings()]


def cells(data: bytes) -> list[str]:
    wb = load_workbook(BytesIO(data))
    return [shown_text(cell.value) for ws in wb.worksheets for row in ws.iter_rows() for cell in row
            if cell.value is not None]


def test_the_confirmed_report_arrives_with_russian_headers_body_and_the_workbook(
        store: Store, registry: Registry, reviewed: dict[str, int], tmp_path: Path) -> None:
    with smtp_server(auth=True) as (inbox, port):
        record = send_report(store, registry, None, "г. ангарск", "24.01.2025", "Иванова А. П.",
                             smtp=settings(port, user=LOGIN, password=PASSWORD), output_dir=tmp_path / "sent")
    assert [e.rcpt_tos for e in inbox.received] == [[RECIPIENT]]
    assert inbox.received[0].mail_from == "uo@angarsk.example.ru"
    raw = bytes(inbox.received[0].content).decode("ascii")  # non-ASCII headers travel encoded
    assert "Subject: =?utf-8?" in raw
    message = inbox.messages()[0]
    assert message["Subject"] == SUBJECT
    # decoded as mail clients do (RFC 2047: space between encoded words is dropped); Python 3.11's
    # address parser keeps it, so message["To"].addresses would show «мони торинга»
    raw_to = message_from_bytes(bytes(inbox.received[0].content))["To"]
    assert str(make_header(decode_header(raw_to))) == f"{RECIPIENT_NAME} <{RECIPIENT}>"
    assert message["From"] == SENDER
    text = message.get_body(("plain",)).get_content()
    assert "кампании «Итоги реализации нацпроектов» муниципального образования «г. Ангарск»" in text
    assert "за период с 14.01.2025 по 24.01.2025 (срок представления — 24.01.2025)" in text
    assert ("  сайт — 0\n  ВКонтакте — 1\n  Одноклассники — 0\n  Telegram — 1\n  MAX — 0\n  другие каналы — 0\n"
            "  всего — 2\n") in text
    assert "Образовательных организаций с публикациями: 2 из 4 (50 %)." in text
    assert "Отправитель: Управление образования (г. Ангарск)." in text
    assert "Отправил(а): Иванова А. П." in text
    assert "natmon" in text
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "final-g-angarsk-2025-01-24.xlsx"
    data = attachment.get_content()
    values = cells(data)
    assert "https://example.ru/club1001/v1" in values and "https://example.ru/school2_angarsk/t1" in values
    assert "https://example.ru/club1001/v2" not in values  # rejected
    assert (record.status, record.municipality, record.recipient) == ("sent", "г. Ангарск", RECIPIENT)
    assert record.smtp_response == QUEUED
    assert record.checksum == hashlib.sha256(data).hexdigest()
    assert (tmp_path / "sent" / record.file_name).read_bytes() == data
    [row] = sendings(store)
    assert (row["status"], row["who"], row["checksum"], row["deadline"]) == (
        "sent", "Иванова А. П.", record.checksum, "2025-01-24")
    [entry] = audit(store)
    assert entry["action"] == "send" and entry["details"]["sending_id"] == record.id
    assert PASSWORD not in repr(settings(port, user=LOGIN, password=PASSWORD))
    assert PASSWORD not in str(row) + str(entry)


def test_unreviewed_rows_block_the_sending_and_nothing_is_recorded(store: Store, registry: Registry,
                                                                   filled: dict[str, int]) -> None:
    with smtp_server() as (inbox, port), pytest.raises(SendRefused) as caught:
        send_report(store, registry, None, "г. Ангарск", "24.01.2025", "Иванова", smtp=settings(port))
    assert "не проверено публикаций: 3" in caught.value.message
    assert "Школа № 2, Telegram, 22.01.2025: https://example.ru/school2_angarsk/t1" in caught.value.rows
    assert inbox.received == [] and sendings(store) == [] and audit(store) == []


def test_the_second_sending_needs_resend(store: Store, registry: Registry, reviewed: dict[str, int]) -> None:
    with smtp_server() as (inbox, port):
        first = send_report(store, registry, None, "г. Ангарск", "24.01", "Иванова", smtp=settings(port))
        with pytest.raises(SendRefused) as caught:
            send_report(store, registry, None, "г. Ангарск", "24.01", "Петров", smtp=settings(port))
        assert len(inbox.received) == 1
        local = first.at.astimezone(registry.timezone)
        assert f"уже отправлен {local:%d.%m.%Y %H:%M} на {RECIPIENT}" in caught.value.message
        assert "--resend" in caught.value.message and caught.value.previous == first
        second = send_report(store, registry, None, "г. Ангарск", "24.01", "Петров", smtp=settings(port),
                             resend=True)
        # another municipality's report, or another period's, is a first sending
        review(store, reviewed, ("p1_site",))
        send_report(store, registry, None, "г. Ангарск", "13.01", "Иванова", smtp=settings(port))
    assert len(inbox.received) == 3
    assert [r["status"] for r in sendings(store)] == ["sent"] * 3
    assert second.id != first.id and second.checksum != ""


@pytest.mark.parametrize("case", ["server down", "login refused", "recipient refused", "no starttls"])
def test_a_failure_is_recorded_changes_nothing_and_a_retry_works(case: str, store: Store, registry: Registry,
                                                                  reviewed: dict[str, int]) -> None:
    with smtp_server(auth=True) as (inbox, port):
        good = settings(port, user=LOGIN, password=PASSWORD)
        bad, expected = {
            "server down": (replace(good, port=free_port()), "соединение отклонено"),
            "login refused": (replace(good, password="wrong-one"), "отклонил вход пользователя uo-angarsk"),
            "recipient refused": (good, f"отказался принять адрес получателя {RECIPIENT} (550 5.1.1"),
            "no starttls": (replace(good, security="starttls"), "не поддерживает STARTTLS"),
        }[case]
        if case == "recipient refused":
            inbox.refuse.add(RECIPIENT)
        with pytest.raises(SendFailed) as caught:
            send_report(store, registry, None, "г. Ангарск", "24.01.2025", "Иванова", smtp=bad)
        message = caught.value.message
        assert message.startswith("г. Ангарск, отчёт по 24.01.2025: не отправлен.") and expected in message
        assert "wrong-one" not in message and PASSWORD not in message
        assert inbox.received == []
        [failed] = sendings(store)
        assert failed["status"] == "failed" and failed["smtp_response"] and failed["checksum"]
        assert caught.value.record.id == failed["id"]
        inbox.refuse.clear()
        retry = send_report(store, registry, None, "г. Ангарск", "24.01.2025", "Иванова", smtp=good)
    assert retry.status == "sent" and len(inbox.received) == 1
    assert [r["status"] for r in sendings(store)] == ["failed", "sent"]
    assert [a["details"]["status"] for a in audit(store)] == ["failed", "sent"]


def test_the_regional_workbook_is_sent_the_same_way(store: Store, registry: Registry,
                                                    reviewed: dict[str, int]) -> None:
    with smtp_server() as (inbox, port):
        record = send_report(store, registry, None, None, "24.01.2025", "Оператор", smtp=settings(port))
        with pytest.raises(SendRefused):
            send_report(store, registry, None, None, "24.01.2025", "Оператор", smtp=settings(port))
    message = inbox.messages()[0]
    assert message["Subject"] == ("Отчёт об информационном сопровождении «Итоги реализации нацпроектов»: "
                                  "сводный отчёт региона за период с 14.01.2025 по 24.01.2025")
    text = message.get_body(("plain",)).get_content()
    assert "по региону (Иркутская область), муниципальных образований: 2" in text
    assert "Образовательных организаций с публикациями: 2 из 5" in text
    assert "Ещё не проверено муниципалитетами публикаций: 1" in text  # Шелехов's post
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "region-region-2025-01-24.xlsx"
    assert "Сводка" in load_workbook(BytesIO(attachment.get_content())).sheetnames
    assert record.municipality is None and sendings(store)[0]["municipality_id"] is None


def test_without_the_recipient_address_the_error_names_the_field(store: Store, registry: Registry,
                                                                 reviewed: dict[str, int]) -> None:
    campaign = replace(registry.campaigns[0], recipient_email="")
    with pytest.raises(ReportError) as caught:
        send_report(store, registry, campaign, "г. Ангарск", "24.01.2025", "Иванова", smtp=settings(free_port()))
    assert "campaigns[].recipient.email" in caught.value.message and str(registry.path) in caught.value.message
    assert sendings(store) == []


def test_without_smtp_settings_the_error_names_the_variables(store: Store, registry: Registry,
                                                             reviewed: dict[str, int],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HOST", "PORT", "SECURITY", "USER", "PASSWORD", "FROM"):
        monkeypatch.delenv(f"NATMON_SMTP_{name}", raising=False)
    with pytest.raises(ReportError) as caught:
        send_report(store, registry, None, "г. Ангарск", "24.01.2025", "Иванова")
    assert "NATMON_SMTP_HOST, NATMON_SMTP_FROM" in caught.value.message
    assert sendings(store) == []
