"""A PostgreSQL URL on an installation without the driver says which extra to install."""

from __future__ import annotations

import sys

import pytest
from typer.testing import CliRunner

from crawler.cli import app
from crawler.store import Store, StoreError

URL = "postgresql+psycopg://natmon:секрет@127.0.0.1:1/natmon"


@pytest.fixture
def without_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    """`import psycopg` fails as on an installation without the postgres extra."""
    monkeypatch.setitem(sys.modules, "psycopg", None)


def test_opening_postgresql_without_the_driver_names_the_extra(without_psycopg):
    with pytest.raises(StoreError) as raised:
        Store.open(URL)
    message = str(raised.value)
    assert "не установлен драйвер PostgreSQL" in message and "pip install 'natmon[postgres]'" in message
    assert "секрет" not in message and "natmon:***@" in message


def test_a_command_given_a_postgresql_url_without_the_driver_explains_it(without_psycopg):
    result = CliRunner().invoke(app, ["users", "list", "--db", URL])
    assert result.exit_code != 0
    assert "natmon[postgres]" in result.stderr and "halted" not in result.stderr, result.stderr


def test_with_the_driver_an_unreachable_server_is_named_not_the_driver():
    with pytest.raises(StoreError) as raised:
        Store.open(URL)
    assert "natmon[postgres]" not in str(raised.value) and "сервер базы не отвечает" in str(raised.value)
