"""sources.yaml of the simulated region (≈3.5 channels per institution)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import yaml

from benchmarks.simregion.model import TZ, Region

CAMPAIGN_ID = "sim-campaign"
CAMPAIGN_AFTER_DAYS = 60  # the campaign goes on after the simulated "now"
DEADLINE_EVERY_DAYS = 14


def sources_data(region: Region, port: int, settings: dict[str, object] | None = None) -> dict[str, object]:
    """The registry as a dict; websites at http://sNNNNN.sim.test:PORT."""
    start = region.start.date()
    end = (datetime.fromtimestamp(region.t0, TZ) + timedelta(days=CAMPAIGN_AFTER_DAYS)).date()
    deadlines = []
    day = start + timedelta(days=DEADLINE_EVERY_DAYS)
    while day <= end:
        deadlines.append(day)
        day += timedelta(days=DEADLINE_EVERY_DAYS)
    municipalities: dict[int, list[dict[str, object]]] = {}
    for inst in region.institutions:
        channels: list[dict[str, str]] = [{"website": f"http://{inst.host}:{port}"}]
        if inst.vk is not None:
            channels.append({"vk": f"club{inst.vk}"})
        if inst.telegram:
            channels.append({"telegram": f"@{inst.telegram}"})
        if inst.ok is not None:
            channels.append({"ok": f"https://ok.ru/group/{inst.ok}"})
        if inst.max is not None:
            channels.append({"max": str(inst.max)})
        municipalities.setdefault(inst.municipality, []).append(
            {"name": inst.name, "kind": inst.kind, "channels": channels})
    return {
        "region": {"name": "Симулированная область (бенчмарк)", "timezone": "Asia/Irkutsk"},
        "settings": {"contact": "bench@example.org", "allow_private_addresses": True,  # the region is on loopback
                     **(settings or {})},
        "campaigns": [{
            "id": CAMPAIGN_ID, "name": "Итоги реализации нацпроектов (симуляция)",
            "start": start, "end": end, "deadlines": deadlines,
            "recipient": {"name": "Получатель (вымышленный)", "email": "bench@example.org"},
            "phrases": ["итоги реализации нацпроектов", "как нацпроекты изменили", "было — стало"],
            "hashtags": ["#ИтогиНацпроектов", "#Нацпроекты38"],
        }],
        "municipalities": [{"name": f"Район № {number + 1} (сим.)",
                            "authority": f"Управление образования района № {number + 1} (сим.)",
                            "institutions": institutions}
                           for number, institutions in sorted(municipalities.items())],
    }


def write_sources(region: Region, port: int, path: Path, settings: dict[str, object] | None = None) -> Path:
    path.write_text(yaml.safe_dump(sources_data(region, port, settings), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path
