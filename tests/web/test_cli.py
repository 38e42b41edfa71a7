"""`natmon users …` and `natmon serve` as a person runs them."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from crawler.commands import serve, users
from reports.users import authenticate, get_user, list_users
from tests.web.conftest import ANGARSK, SECRET

runner = CliRunner()


def cli() -> typer.Typer:
    app = typer.Typer()
    users.register(app)
    serve.register(app)
    return app


def db_of(region) -> str:
    return region.store.name


def test_add_asks_the_password_twice_and_stores_only_an_argon2_hash(region):
    result = runner.invoke(cli(), ["users", "add", "petrov", "--role", "coordinator", "--municipality", "г. ангарск",
                                   "--telegram-chat", "555", "--db", db_of(region)],
                           input="Секретный-пароль-7\nСекретный-пароль-7\n")
    assert result.exit_code == 0, result.output
    assert "Пользователь petrov добавлен: координатор муниципалитета, г. Ангарск." in result.output
    assert "Секретный-пароль-7" not in result.output
    user = get_user(region.store, login="petrov")
    assert (user.municipality, user.telegram_chat_id, user.role) == (ANGARSK, "555", "coordinator")
    assert authenticate(region.store, "petrov", "Секретный-пароль-7") == user
    with region.store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM users WHERE login='petrov'").scalar_one()
    assert stored.startswith("$argon2id$") and "Секретный" not in stored


def test_add_refuses_two_different_passwords(region):
    result = runner.invoke(cli(), ["users", "add", "petrov", "--role", "operator", "--db", db_of(region)],
                           input="Первый-пароль-1\nВторой-пароль-2\n")
    assert result.exit_code == 2 and "Пароли не совпадают" in result.output
    assert get_user(region.store, login="petrov") is None


def test_add_reads_the_password_from_stdin(region):
    result = runner.invoke(cli(), ["users", "add", "centr", "--role", "operator", "--password-stdin",
                                   "--db", db_of(region)], input="Пароль-со-стандартного-входа\n")
    assert result.exit_code == 0, result.output
    assert authenticate(region.store, "centr", "Пароль-со-стандартного-входа") is not None


def test_add_explains_bad_input_with_exit_code_2(region):
    db = db_of(region)
    cases = [
        (["users", "add", "x1", "--role", "boss", "--password-stdin", "--db", db], "неизвестная роль «boss»"),
        (["users", "add", "x2", "--role", "coordinator", "--password-stdin", "--db", db], "нужен муниципалитет"),
        (["users", "add", "x3", "--role", "coordinator", "-m", "Атлантида", "--password-stdin", "--db", db],
         "Нет муниципалитета «Атлантида»"),
        (["users", "add", "angarsk", "--role", "operator", "--password-stdin", "--db", db], "уже есть"),
        (["users", "add", "x4", "--role", "operator", "--password-stdin", "--db", db], "слишком короткий"),
    ]
    for args, message in cases:
        result = runner.invoke(cli(), args, input="Длинный-пароль-9\n" if "x4" not in args else "корот\n")
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)


def test_list_and_disable(region):
    listed = runner.invoke(cli(), ["users", "list", "--db", db_of(region)])
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert "angarsk · координатор муниципалитета · г. Ангарск · Telegram 1001 · Иванова А. П." in lines
    assert any(line.startswith("gone ·") and line.endswith("ОТКЛЮЧЁН") for line in lines)
    result = runner.invoke(cli(), ["users", "disable", "angarsk", "--db", db_of(region)])
    assert result.exit_code == 0 and "отключён" in result.output
    assert authenticate(region.store, "angarsk", "Пароль-для-тестов-1") is None
    assert runner.invoke(cli(), ["users", "disable", "nobody", "--db", db_of(region)]).exit_code == 2
    assert len(list_users(region.store)) == 4


def test_serve_refuses_to_start_without_a_secret_key(region, monkeypatch, tmp_path):
    started = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: started.append(kwargs))
    monkeypatch.delenv("NATMON_SECRET_KEY", raising=False)
    args = ["serve", "--db", db_of(region), "--sources", str(region.registry.path)]
    result = runner.invoke(cli(), args)
    assert result.exit_code == 2 and "NATMON_SECRET_KEY" in result.output
    assert started == []
    result = runner.invoke(cli(), [*args, "--dev", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert started == [{"host": "127.0.0.1", "port": 8123, "proxy_headers": False, "server_header": False,
                        "log_level": "warning"}]
    result = runner.invoke(cli(), args, env={"NATMON_SECRET_KEY": SECRET})
    assert result.exit_code == 0 and len(started) == 2
    result = runner.invoke(cli(), ["serve", "--db", str(tmp_path / "нет.db"), "--sources", str(region.registry.path)],
                           env={"NATMON_SECRET_KEY": SECRET})
    assert result.exit_code == 2 and "не найдено" in result.output
