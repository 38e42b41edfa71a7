"""The lexicon is data: it loads, exposes the two sets, and reports bad YAML clearly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from matching import LexiconError, Matcher, load_lexicon
from matching.lexicon import DEFAULT_LEXICON_DIR


def test_default_lexicon_keeps_old_and_new_projects_apart() -> None:
    lex = load_lexicon()
    assert lex.project_period("Образование") == "2019–2024"
    assert lex.project_period("Молодёжь и дети") == "2025+"
    assert lex.project_period("Семья") == "2025+"
    assert lex.project_period("Нет такого") is None
    names = {p.name for p in lex.programmes}
    assert {"Точка роста", "Кванториум", "IT-куб", "Профессионалитет", "Земский учитель"} <= names


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_LEXICON_DIR, target)
    return target


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    lex_dir = _copy(tmp_path)
    bad = lex_dir / "cues.yaml"
    lines = bad.read_text(encoding="utf-8").splitlines()
    lines[9] = "general: [unclosed"
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        Matcher(lex_dir)
    assert "cues.yaml" in str(err.value) and "строка" in str(err.value)
    assert err.value.line is not None


def test_bad_regex_is_reported_in_russian_with_line(tmp_path: Path) -> None:
    lex_dir = _copy(tmp_path)
    path = lex_dir / "cues.yaml"
    text = path.read_text(encoding="utf-8").replace("- pattern: 'xn--80aapampemcchfmo7a3c9ehj'", "- pattern: '(unclosed'")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError, match="неверное регулярное выражение") as err:
        load_lexicon(lex_dir)
    assert err.value.line is not None and err.value.path == path


def test_unknown_period_is_rejected(tmp_path: Path) -> None:
    lex_dir = _copy(tmp_path)
    path = lex_dir / "national_projects.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('period: "2025+"', 'period: "2030"', 1), encoding="utf-8")
    with pytest.raises(LexiconError, match="period"):
        load_lexicon(lex_dir)


def test_missing_lexicon_path() -> None:
    with pytest.raises(LexiconError, match="не найдены"):
        load_lexicon(Path("/nonexistent/lexicon"))
