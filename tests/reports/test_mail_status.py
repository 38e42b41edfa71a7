"""Which reports reached the regional centre: sent, late, failed, missing, not due; the preview block."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from crawler.registry import Registry
from crawler.store import Store
from reports.coverage import municipality_coverage
from reports.data import load
from reports.mail import preview_sending, sending_status
from reports.mail_records import save
from reports.periods import find_period
from reports.preview import render_municipality

from .mail_support import RECIPIENT, recipient_registry

UTC = timezone.utc
CAMPAIGN = "itogi-np-2025"
JAN_24 = date(2025, 1, 24)


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    return recipient_registry(tmp_path)


def record(store: Store, municipality: str | None, deadline: date, at_utc: str, status: str = "sent") -> None:
    save(store.engine, CAMPAIGN, deadline, municipality, "Иванова", datetime.fromisoformat(at_utc).replace(tzinfo=UTC),
         RECIPIENT, status, "250 OK" if status == "sent" else "ошибка соединения", "f.xlsx", "0" * 64)


def states(store: Store, registry: Registry, today: date) -> dict[tuple[str | None, date], str]:
    return {(row.municipality, row.deadline): row.state
            for row in sending_status(store, registry, CAMPAIGN, today)}


def test_each_report_is_sent_late_failed_missing_or_not_due(store: Store, registry: Registry) -> None:
    # Irkutsk is UTC+8: 15:30 UTC on the 24th is 23:30 local, still in time; 16:30 UTC is the 25th
    record(store, "г. Ангарск", JAN_24, "2025-01-24T15:30:00")
    record(store, "г. Ангарск", JAN_24, "2025-01-26T09:00:00")  # a resend later changes nothing
    record(store, "Шелеховский район", JAN_24, "2025-01-24T12:00:00", "failed")
    record(store, "Шелеховский район", JAN_24, "2025-01-24T16:30:00")
    record(store, None, JAN_24, "2025-01-25T02:00:00", "failed")
    found = states(store, registry, date(2025, 1, 27))
    assert found[("г. Ангарск", JAN_24)] == "sent"
    assert found[("Шелеховский район", JAN_24)] == "late"
    assert found[(None, JAN_24)] == "failed"
    assert found[("г. Ангарск", date(2025, 1, 13))] == "missing"
    assert found[("г. Ангарск", date(2025, 2, 10))] == "not_due"
    assert len(found) == 3 * 6  # two municipalities and the region, six deadlines
    rows = sending_status(store, registry, CAMPAIGN, date(2025, 1, 27))
    sent = next(r for r in rows if r.municipality == "г. Ангарск" and r.deadline == JAN_24)
    assert sent.describe(registry.timezone) == f"отправлен 24.01.2025 23:30 на {RECIPIENT}"
    assert rows[-1].municipality is None  # the region comes after the municipalities of each deadline


def test_the_deadline_day_itself_is_not_yet_missing(store: Store, registry: Registry) -> None:
    assert states(store, registry, JAN_24)[("г. Ангарск", JAN_24)] == "not_due"
    assert states(store, registry, date(2025, 1, 25))[("г. Ангарск", JAN_24)] == "missing"


def test_the_preview_shows_whether_its_report_was_sent(store: Store, registry: Registry, filled: dict[str, int],
                                                       tmp_path: Path) -> None:
    campaign = registry.campaigns[0]
    coverage = municipality_coverage(load(store, registry, campaign), "г. Ангарск",
                                     find_period(campaign, JAN_24, JAN_24))

    def page(today: date) -> str:
        sending = preview_sending(store, registry, None, "г. Ангарск", "24.01.2025", today)
        return render_municipality(coverage, registry.region, campaign.name, today, sending=sending)

    assert ('<p id="sending" class="bad">Отправка в региональный центр: не отправлен, срок прошёл</p>'
            in page(date(2025, 1, 27)))
    record(store, "г. Ангарск", JAN_24, "2025-01-25T01:00:00")
    assert ('<p id="sending" class="bad">Отправка в региональный центр: отправлен с опозданием 25.01.2025 09:00 '
            f'на {RECIPIENT}</p>') in page(date(2025, 1, 27))
    assert 'id="sending"' not in render_municipality(coverage, registry.region, campaign.name, JAN_24)


def test_the_written_preview_file_carries_the_sending_block(store: Store, registry: Registry,
                                                            filled: dict[str, int], tmp_path: Path) -> None:
    from reports import write_preview

    record(store, "г. Ангарск", JAN_24, "2025-01-24T02:00:00")
    page = write_preview(store, registry, None, "г. Ангарск", "24.01.2025", tmp_path / "p.html")
    assert f"Отправка в региональный центр: отправлен 24.01.2025 10:00 на {RECIPIENT}" in page.read_text("utf-8")
