"""`natmon users …`: the people who sign in to the web app and get the bot's messages."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Optional

import typer

from crawler.settings import DEFAULT_DB
from crawler.store import Store, StoreError
from reports.users import (MAX, MESSENGER_LABELS, MESSENGERS, ROLE_LABELS, ROLES, UserError, add_user, disable_user,
                           list_users, set_messenger, set_password)

EXIT_BAD_INPUT = 2

Db = Annotated[str, typer.Option("--db", envvar="NATMON_DB", help="Хранилище: путь к SQLite или URL.")]


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(EXIT_BAD_INPUT)


def _open(db: str) -> Store:
    try:
        return Store.open(db)
    except StoreError as exc:
        raise _fail(str(exc)) from None


@contextmanager
def _users_store(db: str) -> Iterator[Store]:
    """The store for one change of users: a refused change (UserError) is its Russian message and exit 2."""
    store = _open(db)
    try:
        yield store
    except UserError as exc:
        raise _fail(exc.message) from None
    finally:
        store.close()


def _password(from_stdin: bool) -> str:
    if from_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
        if not value:
            raise _fail("--password-stdin: на стандартный ввод не пришёл пароль (одна строка)")
        return value
    first = str(typer.prompt("Пароль", hide_input=True))
    if str(typer.prompt("Повторите пароль", hide_input=True)) != first:
        raise _fail("Пароли не совпадают; запустите команду ещё раз")
    return first


def register(app: typer.Typer) -> None:
    users = typer.Typer(help="Пользователи веб-приложения и бота: координаторы муниципалитетов и операторы.",
                        no_args_is_help=True)
    app.add_typer(users, name="users")

    @users.command("add")
    def add(
        login: Annotated[str, typer.Argument(help="Логин (без пробелов).")],
        role: Annotated[str, typer.Option("--role", help="coordinator — один муниципалитет; operator — весь "
                                          "регион.")],
        municipality: Annotated[Optional[str], typer.Option("--municipality", "-m", help="Муниципалитет "
                                                            "координатора, как в реестре.")] = None,
        telegram_chat: Annotated[Optional[str], typer.Option("--telegram-chat", help="ID чата Telegram для "
                                                             "уведомлений бота.")] = None,
        full_name: Annotated[str, typer.Option("--full-name", help="ФИО (видно в журнале решений).")] = "",
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Прочитать пароль со "
                                                     "стандартного ввода (одна строка).")] = False,
        db: Db = DEFAULT_DB,
    ) -> None:
        """Завести пользователя; пароль спрашивается дважды и не показывается на экране.

        Пароль: не короче 10 символов, не содержит логин и не из списка распространённых.

        Примеры:

          natmon users add ivanova --role coordinator --municipality "г. Ангарск" --telegram-chat 123456789

          echo "$PASSWORD" | natmon users add centr --role operator --password-stdin
        """
        if role not in ROLES:
            raise _fail(f"--role: неизвестная роль «{role}»; допустимы: {', '.join(ROLES)}")
        with _users_store(db) as store:
            user = add_user(store, login, _password(password_stdin), role, municipality,
                            telegram_chat_id=telegram_chat, full_name=full_name)
        where = f", {user.municipality}" if user.municipality else ""
        typer.echo(f"Пользователь {user.login} добавлен: {ROLE_LABELS[user.role]}{where}.")

    @users.command("list")
    def list_(db: Db = DEFAULT_DB) -> None:
        """Показать пользователей: логин, роль, муниципалитет, чат Telegram, ID MAX, куда уведомления, отключён ли.

        Пример:

          natmon users list
        """
        store = _open(db)
        try:
            found = list_users(store)
        finally:
            store.close()
        if not found:
            typer.echo("Пользователей нет; добавьте: natmon users add ЛОГИН --role operator")
            return
        for user in found:
            parts = [user.login, ROLE_LABELS[user.role] if user.role in ROLE_LABELS else user.role]
            parts.append(user.municipality or "весь регион")
            parts.append(f"Telegram {user.telegram_chat_id}" if user.telegram_chat_id else "без Telegram")
            if user.full_name:
                parts.append(user.full_name)
            if user.max_user_id:
                parts.append(f"MAX {user.max_user_id}")
            if user.notify_via == MAX:  # Telegram, the default, goes unsaid
                parts.append("уведомления в MAX" + ("" if user.max_user_id else " (ID MAX не указан!)"))
            if user.disabled:
                parts.append("ОТКЛЮЧЁН")
            typer.echo(" · ".join(parts))

    @users.command("disable")
    def disable(login: Annotated[str, typer.Argument(help="Логин.")], db: Db = DEFAULT_DB) -> None:
        """Отключить пользователя: он больше не войдёт, его открытые сеансы завершаются.

        Пример:

          natmon users disable ivanova
        """
        with _users_store(db) as store:
            user = disable_user(store, login)
        typer.echo(f"Пользователь {user.login} отключён; его сеансы в веб-приложении завершены.")

    @users.command("password")
    def password(
        login: Annotated[str, typer.Argument(help="Логин.")],
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Прочитать новый пароль со "
                                                     "стандартного ввода (одна строка).")] = False,
        db: Db = DEFAULT_DB,
    ) -> None:
        """Сменить пароль пользователя; все его сеансы в веб-приложении завершаются.

        Пароль: не короче 10 символов, не содержит логин и не из списка распространённых.

        Примеры:

          natmon users password ivanova

          echo "$PASSWORD" | natmon users password ivanova --password-stdin
        """
        with _users_store(db) as store:
            user = set_password(store, login, _password(password_stdin))
        typer.echo(f"Пароль пользователя {user.login} изменён; его сеансы в веб-приложении завершены.")


    @users.command("messenger")
    def messenger(
        login: Annotated[str, typer.Argument(help="Логин.")],
        via: Annotated[Optional[str], typer.Option("--via", help="Куда слать уведомления natmon notify: telegram "
                                                   "(по умолчанию у всех) или max.")] = None,
        max_user: Annotated[Optional[str], typer.Option("--max-user", help="ID пользователя MAX (число); пустая "
                                                        "строка убирает его.")] = None,
        telegram_chat: Annotated[Optional[str], typer.Option("--telegram-chat", help="ID чата Telegram; пустая "
                                                             "строка убирает его.")] = None,
        db: Db = DEFAULT_DB,
    ) -> None:
        """Выбрать мессенджер для уведомлений пользователя (Telegram или MAX) и указать его ID в MAX.

        Уведомления natmon notify уходят туда, что выбрано; без --via выбор не меняется.
        Бот MAX пишет только тем, кто сам начал с ним диалог: пусть координатор найдёт бота
        natmon региона в MAX, нажмёт «Начать» и напишет свой логин; его ID в MAX (число)
        покажет natmon users max-ids.

        Примеры:

          natmon users messenger ivanova --via max --max-user 40539817

          natmon users messenger ivanova --via telegram
        """
        if via is not None and via not in MESSENGERS:
            raise _fail(f"--via: неизвестный мессенджер «{via}»; допустимы: {', '.join(MESSENGERS)}")
        with _users_store(db) as store:
            user = set_messenger(store, login, via, max_user_id=max_user, telegram_chat_id=telegram_chat)
        label = MESSENGER_LABELS[user.notify_via]
        typer.echo(f"Уведомления пользователя {user.login}: {label}"
                   + (f" (ID {user.recipient})." if user.recipient else "."))
        if user.recipient is None:
            hint = ("--max-user ID" if user.notify_via == MAX else "--telegram-chat ID")
            typer.echo(f"Внимание: ID в {label} не указан — уведомления не придут; добавьте: natmon users messenger "
                       f"{user.login} {hint}", err=True)

    @users.command("max-ids")
    def max_ids(
        reply: Annotated[bool, typer.Option("--reply/--no-reply", help="Ответить каждому его ID в MAX.")] = True,
        db: Db = DEFAULT_DB,
    ) -> None:
        """Показать, кто написал боту natmon в MAX, с их ID в MAX, и ответить каждому его ID.

        Координатор находит бота региона в MAX, нажимает «Начать» и пишет свой логин natmon;
        здесь видно его ID и готовая команда natmon users messenger. Каждый запуск показывает
        тех, кто написал после прошлого. Нужен NATMON_MAX_BOT_TOKEN (и NATMON_CA_BUNDLE).

        Примеры:

          natmon users max-ids

          natmon users max-ids --no-reply
        """
        import asyncio

        from crawler.settings import Settings, from_env
        from reports.bot.client import BotError
        from reports.bot.max_client import TOKEN_ENV, MaxClient
        from reports.bot.max_link import SenderLine, read_senders, render

        settings = from_env(Settings())
        store = _open(db)  # a path that cannot be used is named first
        if not settings.channels.max_bot_token:
            store.close()
            raise _fail(f"Не задана переменная окружения {TOKEN_ENV} (токен бота natmon в MAX).")

        async def read() -> list[SenderLine]:
            async with MaxClient(settings.channels.max_bot_token or "", settings.channels.max_api_url,
                                 ca_bundle=settings.http.ca_bundle) as client:
                return await read_senders(store, client, reply=reply)

        try:
            lines = asyncio.run(read())
        except BotError as exc:
            raise _fail(f"MAX: {exc.message}") from None
        finally:
            store.close()
        if not lines:
            typer.echo("Новых сообщений боту в MAX нет. Попросите координатора найти бота natmon региона в MAX, "
                       "нажать «Начать» и написать свой логин natmon, затем запустите команду снова.")
            return
        for line in lines:
            typer.echo(render(line))


__all__ = ["register"]
