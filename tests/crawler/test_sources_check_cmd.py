"""`natmon sources check`: errors refuse the file, gaps later commands meet are warned of."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("text, line, words", [
    ("region:\n  name: [Иркутская, область\n  timezone: Asia/Irkutsk\n", 3, "нет «,» или «]»"),
    ("region:\n  name: Область: Иркутская\n", 2, "двоеточие здесь не на месте"),
    ("region:\n\tname: x\n", 2, "отступы в YAML делаются только пробелами"),
    ("region:\n  name: 'Иркутская\n", 3, "закройте кавычку"),
    ("region:\n  name: x\n timezone: y\n", 3, "отступ не совпадает"),
    ("region:\n  name: @x\n", 2, "не может начинаться с символа «@»"),
])
def test_yaml_syntax_errors_are_russian_with_line_and_column(tmp_path, text, line, words):
    sources = tmp_path / "sources.yaml"
    sources.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["sources", "check", "--sources", str(sources)])
    assert result.exit_code == 2
    assert f"sources.yaml, строка {line}, поле «синтаксис»: " in result.stderr and words in result.stderr
    assert "(столбец " in result.stderr
    assert not re.search(r"[a-z]{4,}", result.stderr.replace(str(sources), "")), result.stderr
