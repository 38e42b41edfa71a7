"""`natmon sources check`: errors refuse the file, gaps later commands meet are warned of."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from crawler.cli import app

DATA = Path(__file__).parent.parent / "data" / "registry"


def test_a_campaign_without_a_recipient_email_is_warned_of_not_refused(tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text((DATA / "good.yaml").read_text(encoding="utf-8").replace("email: centre@example.org", ""),
                       encoding="utf-8")
    result = CliRunner().invoke(app, ["sources", "check", "--sources", str(sources)])
    assert result.exit_code == 0
    assert "ошибок нет" in result.stdout
    assert "Предупреждение:" in result.stderr and "recipient.email" in result.stderr
    assert "natmon report send" in result.stderr


def test_a_complete_registry_gets_no_warning(tmp_path):
    result = CliRunner().invoke(app, ["sources", "check", "--sources", str(DATA / "good.yaml")])
    assert result.exit_code == 0 and result.stderr == ""
