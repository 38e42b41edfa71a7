"""People who use the web app and the bot: coordinators (one municipality) and operators (the region).

Passwords are kept as argon2 hashes (argon2-cffi); a login is checked against the hash and a
disabled user never authenticates. A password has at least MIN_PASSWORD characters, does not
contain the login and is not in the list of common passwords shipped with natmon
(reports/data/common-passwords.txt). Disabling a user or changing their password ends their
web sessions. Every function takes the store and keeps its transaction short.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, Select, delete, select, update

from crawler import schema as t
from crawler.store import Store

COORDINATOR = "coordinator"
OPERATOR = "operator"
ROLES = (COORDINATOR, OPERATOR)
ROLE_LABELS = {COORDINATOR: "координатор муниципалитета", OPERATOR: "оператор регионального центра"}
TELEGRAM = "telegram"
MAX = "max"
MESSENGERS = (TELEGRAM, MAX)  # where a user's notifications go (users.notify_via); Telegram is the default
MESSENGER_LABELS = {TELEGRAM: "Telegram", MAX: "MAX"}
MIN_PASSWORD = 10
MIN_LOGIN_IN_PASSWORD = 3  # a shorter login may well occur in a good password by chance
COMMON_PASSWORDS = "common-passwords.txt"  # in reports/data: one a line, lower case
MAX_LOGIN = 100

_HASHER = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified when the login is unknown, so a wrong login costs as long as a wrong password.

    Made on first use: hashing takes 64 MB and 0.2 s, which no other command should pay."""
    return _HASHER.hash("natmon-no-such-user")


class UserError(Exception):
    """A user cannot be created or changed; the message is Russian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(slots=True, frozen=True)
class User:
    id: int
    login: str
    role: str
    municipality_id: int | None
    municipality: str | None
    full_name: str
    telegram_chat_id: str | None
    disabled: bool
    notify_via: str = TELEGRAM
    max_user_id: str | None = None

    @property
    def is_operator(self) -> bool:
        return self.role == OPERATOR

    def may_see(self, municipality_id: int | None) -> bool:
        """Operators see the whole region; a coordinator only their own municipality."""
        return self.is_operator or (municipality_id is not None and municipality_id == self.municipality_id)

    @property
    def display(self) -> str:
        return f"{self.full_name} ({self.login})" if self.full_name else self.login

    @property
    def recipient(self) -> str | None:
        """The chat or user id in the chosen messenger; None when the user has not given it."""
        return self.max_user_id if self.notify_via == MAX else self.telegram_chat_id


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of passwords people choose most (lower case)."""
    text = files("reports").joinpath("data").joinpath(COMMON_PASSWORDS).read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def check_password_rules(password: str, login: str = "") -> None:
    """Raise UserError (Russian, saying what to choose instead) when the password is too weak."""
    advice = "Придумайте фразу из нескольких слов, например «Синий-трамвай-идёт-в-депо»."
    if len(password) < MIN_PASSWORD:
        raise UserError(f"Пароль слишком короткий: нужно не меньше {MIN_PASSWORD} символов. {advice}")
    folded = password.casefold()
    name = login.strip().casefold()
    if name and (folded == name or (len(name) >= MIN_LOGIN_IN_PASSWORD and name in folded)):
        raise UserError(f"Пароль не должен совпадать с логином или содержать его. {advice}")
    if folded in common_passwords() or folded.strip("0123456789!.") in common_passwords():
        raise UserError(f"Этот пароль слишком распространён: такие подбирают первыми. {advice}")


def municipality_id(store: Store, name: str) -> tuple[int, str]:
    """The store's id and exact name of a municipality (compared case-insensitively)."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.municipalities.c.id, t.municipalities.c.name)).all()
    for row in rows:
        if row.name.casefold() == name.strip().casefold():
            return int(row.id), str(row.name)
    known = ", ".join(sorted(str(row.name) for row in rows)[:10]) or "хранилище пустое — выполните natmon crawl"
    raise UserError(f"Нет муниципалитета «{name}» в хранилище; есть, например: {known}")


def add_user(store: Store, login: str, password: str, role: str, municipality: str | None = None, *,
             telegram_chat_id: str | None = None, full_name: str = "", now: datetime | None = None) -> User:
    """Create a user; a coordinator needs a municipality, an operator has none."""
    login = login.strip()
    if not login or len(login) > MAX_LOGIN or any(ch.isspace() for ch in login):
        raise UserError(f"Логин должен быть непустым, без пробелов и не длиннее {MAX_LOGIN} символов")
    if role not in ROLES:
        raise UserError(f"Неизвестная роль «{role}»; допустимы: {', '.join(ROLES)}")
    if role == COORDINATOR and not municipality:
        raise UserError("Координатору нужен муниципалитет: --municipality НАЗВАНИЕ")
    if role == OPERATOR and municipality:
        raise UserError("Оператор видит весь регион; --municipality для него не указывается")
    _check_id(telegram_chat_id, "Идентификатор чата Telegram")
    check_password_rules(password, login)
    m_id = municipality_id(store, municipality)[0] if municipality else None
    with store.engine.begin() as conn:
        if conn.execute(select(t.users.c.id).where(t.users.c.login == login)).first() is not None:
            raise UserError(f"Пользователь «{login}» уже есть; выберите другой логин")
        conn.execute(t.users.insert().values(
            login=login, password_hash=hash_password(password), role=role, municipality_id=m_id,
            full_name=full_name, telegram_chat_id=telegram_chat_id, disabled=False,
            created_at=now or datetime.now(timezone.utc)))
    found = get_user(store, login=login)
    assert found is not None
    return found


def _query() -> Select:  # type: ignore[type-arg]
    u, m = t.users, t.municipalities
    return (select(u.c.id, u.c.login, u.c.role, u.c.municipality_id, m.c.name.label("municipality"), u.c.full_name,
                   u.c.telegram_chat_id, u.c.disabled, u.c.password_hash, u.c.notify_via, u.c.max_user_id)
            .outerjoin(m, m.c.id == u.c.municipality_id))


def _user(row: object) -> User:
    return User(int(row.id), row.login, row.role, row.municipality_id, row.municipality,  # type: ignore[attr-defined]
                row.full_name or "", row.telegram_chat_id, bool(row.disabled),  # type: ignore[attr-defined]
                row.notify_via or TELEGRAM, row.max_user_id)  # type: ignore[attr-defined]


def get_user(store: Store, *, user_id: int | None = None, login: str | None = None) -> User | None:
    query = _query()
    query = query.where(t.users.c.id == user_id) if user_id is not None else query.where(t.users.c.login == login)
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    return _user(row) if row is not None else None


def list_users(store: Store) -> list[User]:
    with store.engine.connect() as conn:
        return [_user(row) for row in conn.execute(_query().order_by(t.users.c.login))]


def users_with_chats(store: Store) -> list[User]:
    """Enabled users who gave a Telegram chat (notifications go there)."""
    return [user for user in list_users(store) if user.telegram_chat_id and not user.disabled]


def users_to_notify(store: Store) -> list[User]:
    """Enabled users to whom `natmon notify` writes: those who chose MAX (with or without their
    MAX id, which notify then asks for) and those with a Telegram chat."""
    return [user for user in list_users(store)
            if not user.disabled and (user.notify_via == MAX or user.telegram_chat_id)]


def _check_id(value: str | None, what: str) -> None:
    if value is not None and not value.lstrip("-").isdigit():
        raise UserError(f"{what} — целое число, получено «{value}»")


def set_messenger(store: Store, login: str, via: str | None = None, *, max_user_id: str | None = None,
                  telegram_chat_id: str | None = None) -> User:
    """Choose where a user's notifications go and/or record their MAX user id or Telegram chat.

    An empty string clears an id. Choosing MAX without an id is allowed: `natmon notify` then
    warns until the id is given."""
    if via is not None and via not in MESSENGERS:
        raise UserError(f"Неизвестный мессенджер «{via}»; допустимы: {', '.join(MESSENGERS)}")
    max_user_id = max_user_id.strip() if max_user_id is not None else None
    telegram_chat_id = telegram_chat_id.strip() if telegram_chat_id is not None else None
    _check_id(max_user_id or None, "Идентификатор пользователя MAX")
    _check_id(telegram_chat_id or None, "Идентификатор чата Telegram")
    values: dict[str, object] = {}
    if via is not None:
        values["notify_via"] = via
    if max_user_id is not None:
        values["max_user_id"] = max_user_id or None
    if telegram_chat_id is not None:
        values["telegram_chat_id"] = telegram_chat_id or None
    if not values:
        raise UserError("Нечего менять: укажите --via, --max-user или --telegram-chat")
    with store.engine.begin() as conn:
        result = conn.execute(update(t.users).where(t.users.c.login == login.strip()).values(**values))
    if result.rowcount == 0:
        raise UserError(f"Пользователя «{login}» нет; список: natmon users list")
    found = get_user(store, login=login.strip())
    assert found is not None
    return found


def user_by_chat(store: Store, chat_id: int | str) -> User | None:
    """The enabled user linked to a Telegram chat, if any."""
    for user in users_with_chats(store):
        if user.telegram_chat_id == str(chat_id):
            return user
    return None


def authenticate(store: Store, login: str, password: str) -> User | None:
    """The user when the login exists, is enabled and the password matches; None otherwise."""
    with store.engine.connect() as conn:
        row = conn.execute(_query().where(t.users.c.login == login.strip())).first()
    stored = row.password_hash if row is not None else _dummy_hash()
    try:
        _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if row is None or row.disabled:
        return None
    if _HASHER.check_needs_rehash(stored):
        with store.engine.begin() as conn:
            conn.execute(update(t.users).where(t.users.c.id == row.id).values(password_hash=hash_password(password)))
    return _user(row)


def _end_sessions(conn: Connection, login: str) -> None:
    user_ids = select(t.users.c.id).where(t.users.c.login == login).scalar_subquery()
    conn.execute(delete(t.sessions).where(t.sessions.c.user_id == user_ids))


def disable_user(store: Store, login: str) -> User:
    """Disable a user and end their web sessions."""
    with store.engine.begin() as conn:
        result = conn.execute(update(t.users).where(t.users.c.login == login.strip()).values(disabled=True))
        _end_sessions(conn, login.strip())
    if result.rowcount == 0:
        raise UserError(f"Пользователя «{login}» нет; список: natmon users list")
    found = get_user(store, login=login.strip())
    assert found is not None
    return found


def set_password(store: Store, login: str, password: str) -> User:
    """Change a user's password (the same rules as for a new one) and end all their web sessions."""
    found = get_user(store, login=login.strip())
    if found is None:
        raise UserError(f"Пользователя «{login}» нет; список: natmon users list")
    check_password_rules(password, found.login)
    with store.engine.begin() as conn:
        conn.execute(update(t.users).where(t.users.c.id == found.id).values(password_hash=hash_password(password)))
        _end_sessions(conn, found.login)
    return found


__all__ = ["User", "UserError", "ROLES", "ROLE_LABELS", "COORDINATOR", "OPERATOR", "add_user", "authenticate",
           "disable_user", "set_password", "get_user", "list_users", "users_with_chats", "user_by_chat",
           "users_to_notify", "set_messenger", "MESSENGERS", "MESSENGER_LABELS", "TELEGRAM", "MAX",
           "hash_password", "municipality_id", "check_password_rules", "common_passwords", "MIN_PASSWORD"]
