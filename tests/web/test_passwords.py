"""Password rules: at least 10 characters, not the login, not a common password; everywhere a password is set."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reports.users import (MIN_PASSWORD, UserError, add_user, authenticate, check_password_rules, common_passwords,
                           set_password)
from tests.web.conftest import make_client, log_in
from tests.web.test_cli import cli, db_of

runner = CliRunner()


@pytest.mark.parametrize(("login", "password", "reason"), [
    ("petrov", "password", "слишком короткий"),
    ("petrov", "12345678", "слишком короткий"),
    ("petrov", "Лето-2025", "слишком короткий"),  # 9 characters
    ("petrov", "password123", "слишком распространён"),
    ("petrov", "1234567890", "слишком распространён"),
    ("petrov", "qwertyuiop", "слишком распространён"),
    ("petrov", "ЙЦУКЕНГШЩЗ", "слишком распространён"),
    ("petrov", "Пароль1234", "слишком распространён"),
    ("ivanova", "IVANOVA2025!", "содержать его"),
    ("ivanova", "моя-ivanova-навсегда", "содержать его"),
    ("longlogin1", "longlogin1", "совпадать с логином"),
])
def test_weak_passwords_are_refused_with_a_russian_reason(login, password, reason):
    with pytest.raises(UserError) as refused:
        check_password_rules(password, login)
    assert reason in refused.value.message and "Придумайте" in refused.value.message


@pytest.mark.parametrize("password", ["Синий-трамвай-идёт", "ангарск школа 7 мастерская", "k3#Lp9!vQ2zT"])
def test_good_passwords_pass(password):
    assert len(password) >= MIN_PASSWORD
    check_password_rules(password, "petrov")


def test_the_shipped_list_is_a_few_hundred_common_passwords():
    shipped = common_passwords()
    assert len(shipped) >= 500
    assert {"password", "12345678", "qwerty", "йцукен", "пароль", "parol123", "1q2w3e4r"} <= shipped


def test_a_new_user_and_a_new_password_follow_the_rules(region):
    with pytest.raises(UserError):
        add_user(region.store, "petrov", "password123", "operator")
    with pytest.raises(UserError):
        set_password(region.store, "angarsk", "angarsk-2025")
    assert authenticate(region.store, "angarsk", "angarsk-2025") is None


def test_users_add_refuses_a_common_password(region):
    result = runner.invoke(cli(), ["users", "add", "petrov", "--role", "operator", "--password-stdin",
                                   "--db", db_of(region)], input="qwerty123456\n")
    assert result.exit_code == 2 and "слишком распространён" in result.output


async def test_users_password_changes_it_and_ends_the_sessions(region, app):
    async with make_client(app) as browser:
        await log_in(browser, "angarsk")
        result = runner.invoke(cli(), ["users", "password", "angarsk", "--db", db_of(region)],
                               input="Новый-пароль-для-ангарска\nНовый-пароль-для-ангарска\n")
        assert result.exit_code == 0, result.output
        assert "сеансы в веб-приложении завершены" in result.output
        assert (await browser.get("/posts")).status_code == 303
    assert authenticate(region.store, "angarsk", "Новый-пароль-для-ангарска") is not None
    weak = runner.invoke(cli(), ["users", "password", "angarsk", "--password-stdin", "--db", db_of(region)],
                         input="12345678\n")
    assert weak.exit_code == 2 and "слишком короткий" in weak.output
    unknown = runner.invoke(cli(), ["users", "password", "nobody", "--password-stdin", "--db", db_of(region)],
                            input="Новый-пароль-для-ангарска\n")
    assert unknown.exit_code == 2 and "Пользователя «nobody» нет" in unknown.output
