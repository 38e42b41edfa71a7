"""The store's errors in Russian: SQLite's and SQLAlchemy's English details, and the URL's password hidden.

SQLAlchemy appends «(Background on this error at: https://sqlalche.me/…)» to its messages and the
drivers speak English; a coordinator reads what happened to the file and what to do instead.
"""

from __future__ import annotations

import re

BACKGROUND = re.compile(r"\s*\(Background on this error at: \S+\)")
WRAPPER = re.compile(r"^\((?:[\w.]+)\)\s*")  # «(sqlite3.OperationalError) »
DETAILS: tuple[tuple[str, str], ...] = (
    (r"unable to open database file", "файл базы не открывается: нет такой папки, нет прав на неё или по этому "
                                      "пути папка, а не файл"),
    (r"file is not a database", "это не файл базы SQLite (файл повреждён или это другой файл)"),
    (r"database disk image is malformed", "файл базы повреждён; восстановите его из резервной копии"),
    (r"database is locked", "база занята другим процессом; повторите позже"),
    (r"attempt to write a readonly database", "база доступна только для чтения"),
    (r"database or disk is full", "на диске не осталось места"),
    (r"disk I/O error", "ошибка чтения или записи диска"),
    (r"no such table: (\w+)", r"в базе нет таблицы \1: это не хранилище natmon"),
    (r"No module named '(\w+)'", r"не установлен драйвер базы (модуль \1): установите его или укажите файл SQLite"),
    (r"Can't load plugin: sqlalchemy\.dialects:([\w.]+)", r"неизвестный вид базы «\1» в URL; пример: "
                                                           "postgresql+psycopg://пользователь@сервер/база"),
    (r"Could not parse SQLAlchemy URL.*",
     "адрес базы не разобран; пример: postgresql+psycopg://пользователь@сервер/база"),
    (r"(?:connection refused|could not connect to server|Connection refused).*", "сервер базы не отвечает"),
    (r"password authentication failed.*", "сервер базы не принял имя пользователя или пароль"),
    (r'.*database "([^"]+)" does not exist.*', r"на сервере PostgreSQL нет базы «\1»: создайте её "
                                                r"(createdb -O пользователь \1) или исправьте имя в адресе"),
    (r'.*role "([^"]+)" does not exist.*', r"на сервере PostgreSQL нет пользователя «\1»: создайте его "
                                            r"(createuser \1) или исправьте имя в адресе"),
    (r"value too long for type character varying\((\d+)\).*",
     r"значение длиннее \1 символов, допустимых в этом поле базы; сократите его (например, название в sources.yaml)"),
)


POSTGRES_EXTRA = ("не установлен драйвер PostgreSQL (модуль {module}): установите natmon с дополнением postgres — "
                  "pip install 'natmon[postgres]' (из папки с исходниками: pip install -e '.[postgres]'); "
                  "адрес базы вида postgresql+psycopg://пользователь@сервер/база")


def db_detail(exc: BaseException) -> str:
    """What went wrong, in Russian; an unknown driver text is kept, marked as the driver's."""
    missing = exc.name if isinstance(exc, ImportError) else None
    if missing and missing.split(".")[0] in ("psycopg", "psycopg2"):
        return POSTGRES_EXTRA.format(module=missing)
    text = BACKGROUND.sub("", str(getattr(exc, "orig", None) or exc)).strip()
    text = WRAPPER.sub("", text)
    for pattern, russian in DETAILS:
        translated, count = re.subn(pattern, russian, text)
        if count:
            return translated
    return f"сообщение драйвера базы: {text}" if text else f"ошибка базы данных ({type(exc).__name__})"


def db_label(db: str) -> str:
    """The store as a person should see it: a path, or a URL without its password."""
    if "://" not in db:
        return db
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", db)


__all__ = ["db_detail", "db_label"]
