"""Store errors in Russian: no SQLAlchemy background link, no driver's English, no password."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from crawler.cli import app


@pytest.mark.parametrize("make, words", [
    (lambda tmp: (tmp / "папка").mkdir() or tmp / "папка", "по этому пути папка, а не файл"),
    (lambda tmp: (tmp / "мусор.db").write_bytes(b"\x00\x01 not sqlite " * 500) and tmp / "мусор.db",
     "это не файл базы SQLite"),
    (lambda tmp: "foo://сервер/база", "неизвестный вид базы «foo»"),
])
def test_a_store_that_cannot_be_opened_is_explained_in_russian(tmp_path, make, words):
    db = str(make(tmp_path))
    result = CliRunner().invoke(app, ["users", "list", "--db", db])
    assert result.exit_code != 0
    assert db in result.stderr and words in result.stderr, result.stderr
    assert not re.search(r"sqlalche\.me|Background|OperationalError|DatabaseError|unable|plugin", result.stderr)


def test_the_password_of_a_database_url_is_not_shown():
    result = CliRunner().invoke(app, ["users", "list", "--db", "postgresql+nosuchdriver://natmon:секрет@127.0.0.1/x"])
    assert result.exit_code != 0 and "секрет" not in result.stderr and "natmon:***@" in result.stderr, result.stderr
