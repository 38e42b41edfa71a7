"""`natmon report send` and `natmon report status` with SMTP settings from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from crawler.registry import Registry
from crawler.store import Store

from .mail_support import (
    HOST,
    LOGIN,
    PASSWORD,
    RECIPIENT,
    SENDER,
    free_port,
    recipient_registry,
    review_angarsk,
    smtp_server,
)


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    return recipient_registry(tmp_path)


@pytest.fixture
def paths(registry: Registry, store: Store, filled: dict[str, int], tmp_path: Path) -> list[str]:
    review_angarsk(store, filled)
    return ["--sources", str(registry.path), "--db", store.name]


def smtp_env(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    for name, value in {"HOST": HOST, "PORT": str(port), "SECURITY": "none", "USER": LOGIN, "PASSWORD": PASSWORD,
                        "FROM": SENDER}.items():
        monkeypatch.setenv(f"NATMON_SMTP_{name}", value)


def run(app: typer.Typer, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["report", *args])
    return result.exit_code, result.stdout, result.stderr


def test_send_then_refuse_without_resend_then_status(app: typer.Typer, paths: list[str], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    with smtp_server(auth=True) as (inbox, port):
        smtp_env(monkeypatch, port)
        code, out, err = run(app, "send", "-m", "г. Ангарск", "--period", "24.01.2025", "--who", "Иванова А. П.",
                             "--output-dir", str(tmp_path / "sent"), *paths)
        assert code == 0, err
        assert out.startswith("г. Ангарск: отчёт отправлен ") and f"на {RECIPIENT}\n" in out
        assert "ответ сервера: 250 2.0.0 Ok: queued as 7F3A2" in out and "final-g-angarsk-2025-01-24.xlsx" in out
        assert (tmp_path / "sent" / "final-g-angarsk-2025-01-24.xlsx").exists()
        code, _, err = run(app, "send", "-m", "г. Ангарск", "--period", "24.01.2025", *paths)
        assert code == 2 and "уже отправлен" in err and "--resend" in err
        assert run(app, "send", "-m", "г. Ангарск", "--period", "24.01.2025", "--resend", *paths)[0] == 0
        code, _, err = run(app, "send", "-m", "Шелеховский район", "--period", "24.01.2025", *paths)
        assert code == 2 and "не проверено публикаций: 1" in err
        assert "  – Шелеховская школа № 4, ВКонтакте, 15.01.2025: https://example.ru/club2004/w1" in err
        assert run(app, "send", "--region", "--period", "24.01.2025", *paths)[0] == 0
    assert len(inbox.received) == 3
    code, out, _ = run(app, "status", "--campaign", "itogi-np-2025", *paths)
    assert code == 0
    # the campaign is over, so reports sent now are late and the others missing
    block = out.split("Срок 24.01.2025:\n", 1)[1].split("Срок", 1)[0]
    lines = block.splitlines()
    assert lines[0].startswith("  г. Ангарск: отправлен с опозданием ") and lines[0].endswith(f"на {RECIPIENT}")
    assert lines[1] == "  Шелеховский район: не отправлен, срок прошёл"
    assert lines[2].startswith("  Сводный отчёт региона: отправлен с опозданием ")
    assert PASSWORD not in out


def test_a_send_failure_exits_1_and_shows_in_status(app: typer.Typer, paths: list[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    smtp_env(monkeypatch, free_port())
    code, _, err = run(app, "send", "-m", "г. Ангарск", "--period", "24.01.2025", *paths)
    assert code == 1
    assert "не отправлен. Не удалось подключиться к почтовому серверу 127.0.0.1:" in err
    assert "соединение отклонено" in err and PASSWORD not in err
    code, out, _ = run(app, "status", *paths)
    assert "  г. Ангарск: не удалось отправить " in out


@pytest.mark.parametrize(("args", "message"), [
    (["send", "--period", "24.01"], "Укажите либо --municipality НАЗВАНИЕ, либо --region"),
    (["send", "-m", "г. Ангарск", "--region"], "Укажите либо --municipality НАЗВАНИЕ, либо --region"),
    (["send", "-m", "г. Ангарск", "--period", "24.01"], "NATMON_SMTP_HOST, NATMON_SMTP_FROM"),
])
def test_bad_input_exits_2(app: typer.Typer, paths: list[str], args: list[str], message: str,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HOST", "PORT", "SECURITY", "USER", "PASSWORD", "FROM"):
        monkeypatch.delenv(f"NATMON_SMTP_{name}", raising=False)
    code, _, err = run(app, *args, *paths)
    assert code == 2 and message in err
